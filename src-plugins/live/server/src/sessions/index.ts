import contentTypes from './content-types';
import controllers from './controllers';
import services from './services';
import routes from './routes';
import { bootstrapSessions, destroySessions } from './bootstrap';
import { defineModule } from '../modules';

/** Live sessions: scheduling, the stream state machine, providers (IVS, local), attendance, analytics. */
export default defineModule({ name: 'sessions', contentTypes, controllers, services, routes, bootstrap: bootstrapSessions, destroy: destroySessions });
