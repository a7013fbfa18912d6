import { defineModule } from '../modules';
import controller from './controller';
import service from './service';

/** GET /api/live/health (public) and the admin's /live/health: what the plugin runs on, no secrets. */
export default defineModule({
  name: 'health',
  services: { health: service },
  controllers: { health: controller },
  routes: {
    'content-api': {
      type: 'content-api',
      routes: [{ method: 'GET', path: '/health', handler: 'health.check', config: { auth: false, policies: [] } }],
    },
    admin: {
      type: 'admin',
      routes: [{ method: 'GET', path: '/health', handler: 'health.check', config: { policies: ['admin::isAuthenticatedAdmin'] } }],
    },
  },
});
