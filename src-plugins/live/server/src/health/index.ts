import { defineModule } from '../modules';
import controller from './controller';
import service from './service';
import dependencies from './dependencies';

/** No user, no permission lookup: the probes answer while the database is down. */
const probe = () => ({ prefix: '', auth: false as const, policies: [] });

/**
 * Health: GET /api/health (liveness) and GET /api/ready (readiness) for load balancers, the
 * container's HEALTHCHECK and the deploy's smoke test — served at /api/…, not /api/live/…
 * (`config.prefix: ''`); GET /api/live/health (public) and the admin's /live/health: what the
 * plugin runs on, no secrets. The `dependencies` monitor is shared with the cms's outage middleware.
 */
export default defineModule({
  name: 'health',
  services: { health: service, dependencies },
  controllers: { health: controller },
  routes: {
    'content-api': {
      type: 'content-api',
      routes: [
        { method: 'GET', path: '/health', handler: 'health.check', config: { auth: false, policies: [] } },
        { method: 'GET', path: '/health', handler: 'health.liveness', config: probe() },
        { method: 'GET', path: '/ready', handler: 'health.readiness', config: probe() },
      ],
    },
    admin: {
      type: 'admin',
      routes: [{ method: 'GET', path: '/health', handler: 'health.check', config: { policies: ['admin::isAuthenticatedAdmin'] } }],
    },
  },
  destroy(strapi) {
    strapi.plugin('live').service('dependencies').stop();
  },
});
