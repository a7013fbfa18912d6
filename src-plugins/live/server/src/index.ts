import register from './register';
import bootstrap from './bootstrap';
import routes from './routes';
import controllers from './controllers';
import services from './services';

export = { register, bootstrap, routes, controllers, services, contentTypes: {}, policies: {}, middlewares: {} };
