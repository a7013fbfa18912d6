import contentTypes from './content-types';
import controllers from './controllers';
import services from './services';
import routes from './routes';
import { bootstrapRealtime, destroyRealtime } from './bootstrap';
import { defineModule } from '../modules';

/** The live classroom's real-time layer: socket.io on Strapi's port, chat, presence, moderation. */
export default defineModule({ name: 'realtime', contentTypes, controllers, services, routes, bootstrap: bootstrapRealtime, destroy: destroyRealtime });
