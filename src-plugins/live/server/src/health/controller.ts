import type { Core } from '@strapi/strapi';
import { RETRY_AFTER_SECONDS } from '../utils/dependency-monitor';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async check(ctx: any) {
    ctx.body = await strapi.plugin('live').service('health').report();
  },

  /** GET /api/health: the process answers. Checks nothing else, so a database outage never gets the container restarted. */
  liveness(ctx: any) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  },

  /** GET /api/ready: 200 when this process can serve, else 503 naming what is down. */
  async readiness(ctx: any) {
    const readiness = await strapi.plugin('live').service('health').ready();
    ctx.set('Cache-Control', 'no-store');
    if (readiness.status !== 'ready') {
      ctx.status = 503;
      ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
    }
    ctx.body = readiness;
  },
});
