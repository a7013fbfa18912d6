import register from './register';
import bootstrap from './bootstrap';
import destroy from './destroy';
import routes from './routes';
import controllers from './controllers';
import services from './services';
import contentTypes from './content-types';

export = { register, bootstrap, destroy, routes, controllers, services, contentTypes, policies: {}, middlewares: {} };
