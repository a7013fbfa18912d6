import contentTypes from './content-types';
import controllers from './controllers';
import services from './services';
import routes from './routes';
import { bootstrapRecordings, destroyRecordings } from './bootstrap';
import { defineModule } from '../modules';

/** Recordings of live classes: recorded (local ingest or IVS), processed, stored (disk or S3), replayed with the class, published as lessons. */
export default defineModule({ name: 'recordings', contentTypes, controllers, services, routes, bootstrap: bootstrapRecordings, destroy: destroyRecordings });
