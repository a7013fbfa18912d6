import register from './register';
import bootstrap from './bootstrap';
import routes from './routes';
import controllers from './controllers';
import services from './services';
import contentTypes from './content-types';

export = { register, bootstrap, routes, controllers, services, contentTypes, policies: {}, middlewares: {} };
