// Production entry: the built Astro server on SITE_HOST/SITE_PORT, with the public page cache in
// front. Public catalog pages requested by visitors without a session are answered from memory
// (src/lib/catalog.ts `lookupPage`) before Astro builds a Request or runs any middleware;
// everything else — static assets included — goes to the Node adapter's standalone handler.
// (The adapter would listen on HOST/PORT, which in Skillyug's shared environment are Strapi's.)
import http from 'node:http';
import { loadEnv } from '@skillyug/config';
import { createHealthRoutes } from './server/health.mjs';
import { withRequestContext } from './server/request-log.mjs';

const env = loadEnv('site');
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler } = await import('./dist/server/entry.mjs');

const lookupPage = () => globalThis[Symbol.for('skillyug.site.lookupPage')];

/**
 * Set on SIGTERM/SIGINT (see shutdown below): /api/ready answers 503 "shutting down" while the
 * requests in flight finish. Also on globalThis for code inside the Astro bundle.
 */
let draining = false;
let requestsInFlight = 0;
let whenIdle = () => {};

// /api/health, /healthz and /api/ready (server/health.mjs): answered before the page cache and Astro.
const answerHealth = createHealthRoutes({ apiUrl: env.API_URL, redis: () => revalidationSubscriber, isDraining: () => draining });

// Every response carries X-Request-Id; JSON logs get one line per request (server/request-log.mjs).
const server = http.createServer(withRequestContext(env, (req, res) => {
  requestsInFlight += 1;
  res.once('close', () => {
    requestsInFlight -= 1;
    if (requestsInFlight === 0) whenIdle();
  });
  // A keep-alive connection must not bring more requests to a process that is going away.
  if (draining) res.setHeader('Connection', 'close');
  if (answerHealth(req, res)) return;
  const lookup = lookupPage();
  const page = lookup?.(req.method ?? 'GET', req.url ?? '/', req.headers.cookie);
  if (page) {
    res.writeHead(page.status, [...page.headers.flat(), 'X-Cache', 'HIT', 'Content-Length', String(page.body.byteLength)]);
    res.end(req.method === 'HEAD' ? undefined : page.body);
    return;
  }
  // The TCP peer, for the visitor's address (src/lib/client-address.ts): Astro's own
  // clientAddress would be the first X-Forwarded-For entry, which the client writes.
  handler(req, res, undefined, { socketAddress: req.socket.remoteAddress });
}));
// Longer than a load balancer's idle timeout (60 s is common), so it never reuses a closed connection.
server.keepAliveTimeout = 65_000;
server.listen(env.SITE_PORT, env.SITE_HOST, () => {
  console.log(`[site] Server listening on http://${env.SITE_HOST}:${env.SITE_PORT} (API ${env.API_URL})`);
});

/**
 * Every site process drops its catalog cache when an editor publishes: with REDIS_URL, Strapi
 * publishes on `${REDIS_KEY_PREFIX}site:revalidate` (cms/src/site-revalidation.ts) and each
 * process hears it here; without Redis, Strapi POSTs /api/revalidate to its one site process.
 */
let revalidationSubscriber = null;
if (env.REDIS_URL) {
  const { default: Redis } = await import('ioredis');
  const channel = `${env.REDIS_KEY_PREFIX}site:revalidate`;
  revalidationSubscriber = new Redis(env.REDIS_URL);
  revalidationSubscriber.on('error', (error) => console.warn(`[site] cache invalidation over Redis: ${error.message}`));
  // ioredis re-subscribes by itself after a reconnect; a notice missed meanwhile is bounded by the cache's TTL.
  revalidationSubscriber.on('message', (_channel, message) => {
    let change = {};
    try {
      change = JSON.parse(message);
    } catch {
      /* an unreadable notice still invalidates */
    }
    // Until the bundle's catalog module has loaded (the first page), nothing is cached to drop.
    globalThis[Symbol.for('skillyug.site.invalidateCatalog')]?.();
    const text = (value, max) => (typeof value === 'string' ? value.slice(0, max) : '');
    console.log(`[site] catalog cache invalidated over Redis (${text(change.event, 40) || 'change'} ${text(change.model, 80)})`);
  });
  revalidationSubscriber.subscribe(channel).then(
    () => console.log(`[site] cache invalidation: subscribed to Redis channel ${channel}`),
    (error) => console.warn(`[site] cache invalidation: could not subscribe (${error.message}); the cache TTL bounds staleness`)
  );
}

/**
 * SIGTERM (ECS stopping the task, a deploy): readiness answers 503 for a notice period (a quarter
 * of SHUTDOWN_GRACE_SECONDS, at most 5 s) so the load balancer stops routing here, then the
 * server stops accepting, the requests in flight finish, and the process exits 0. SIGINT skips
 * the notice; a second signal (a second later or more), or the grace running out, exits 1 at once.
 */
let drainingSince = 0;
const shutdown = (signal) => {
  // A repeat within a second is the same stop delivered twice (Ctrl-C to the group, then npm start's own).
  if (draining) {
    if (Date.now() - drainingSince < 1_000) return;
    process.exit(1);
  }
  draining = true;
  drainingSince = Date.now();
  globalThis[Symbol.for('skillyug.site.draining')] = true;
  const graceMs = env.SHUTDOWN_GRACE_SECONDS * 1000;
  const noticeMs = signal === 'SIGTERM' ? Math.min(5_000, graceMs / 4) : 0;
  console.log(`[site] ${signal}: draining (readiness answers 503), ${noticeMs} ms notice, ${env.SHUTDOWN_GRACE_SECONDS} s at most`);
  setTimeout(() => {
    console.error('[site] still running after SHUTDOWN_GRACE_SECONDS: exiting anyway');
    process.exit(1);
  }, graceMs);
  setTimeout(() => {
    server.close();
    const finish = () => {
      server.closeIdleConnections();
      Promise.resolve(revalidationSubscriber?.quit())
        .catch(() => revalidationSubscriber?.disconnect())
        .finally(() => process.exit(0));
    };
    if (requestsInFlight === 0) finish();
    else whenIdle = finish;
  }, noticeMs);
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
