import type { Core } from '@strapi/strapi';
import { redis } from '../utils/redis';
import { createDependencyMonitor } from '../utils/dependency-monitor';

/**
 * The process's one dependency monitor (utils/dependency-monitor.ts) on Strapi's database and the
 * shared Redis connection: `strapi.plugin('live').service('dependencies')`. The outage middleware,
 * the realtime handshake and /api/ready all read this one, so an outage one of them finds is
 * known to the others at once (and logged once).
 */
export default ({ strapi }: { strapi: Core.Strapi }) =>
  createDependencyMonitor({
    probeDatabase: () => strapi.db.connection.raw('select 1'),
    redis,
    log: { error: (message) => strapi.log.error(message), warn: (message) => strapi.log.warn(message) },
  });
