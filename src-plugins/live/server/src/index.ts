import register from './register';
import { composeModules } from './modules';
import health from './health';
import payments from './payments';
import sessions from './sessions';
import realtime from './realtime';
import recordings from './recordings';
import authoring from './authoring';

/**
 * The plugin is its modules, composed once: each brings its own services, controllers, routes,
 * content types and lifecycle (see modules.ts), and a name two modules share stops the load.
 */
const live = composeModules([health, payments, sessions, realtime, recordings, authoring]);

export = {
  register,
  async bootstrap(context: Parameters<typeof live.bootstrap>[0]) {
    await live.bootstrap(context);
    context.strapi.log.debug('[live] bootstrapped');
  },
  destroy: live.destroy,
  routes: live.routes,
  controllers: live.controllers,
  services: live.services,
  contentTypes: live.contentTypes,
  policies: {},
  middlewares: {},
};
