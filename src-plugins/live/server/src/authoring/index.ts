import controllers from './controllers';
import services from './services';
import routes from './routes';
import { bootstrapAuthoring } from './bootstrap';
import { defineModule } from '../modules';

/** Course authoring for editors: a course's outline (modules and lessons) edited, ordered, and published or unpublished whole. */
export default defineModule({ name: 'authoring', controllers, services, routes, bootstrap: bootstrapAuthoring });
