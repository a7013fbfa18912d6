import type { Context, Next } from 'koa';
import type { Core } from '@strapi/strapi';
import { connectionFailureOf } from '@skillyug/live/utils/db-errors';
import { outageMessage, RETRY_AFTER_SECONDS, type Dependency, type DependencyMonitor } from '@skillyug/live/utils/dependency-monitor';

/** The probes answer for themselves: liveness is always 200, readiness names what is down. */
const EXEMPT_PATHS = new Set(['/api/health', '/api/ready', '/_health']);

/**
 * Answers that, with the database down, are what users-permissions and the controllers make of a
 * failed query: its auth strategy swallows the error and says 401 (a signed-in student would be
 * told their session is gone), Strapi's role lookups 403, and everything else 500.
 */
const suspicious = (status: number) => status === 401 || status === 403 || (status >= 500 && status !== 503);

/** Strapi's error envelope for an outage, with Retry-After. No host name, no error text. */
export function answerUnavailable(ctx: Context, down: readonly string[]) {
  ctx.status = 503;
  ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data: null, error: { status: 503, name: 'ServiceUnavailableError', message: outageMessage(down), details: {} } };
}

/**
 * `global::dependency-outage`: during an outage of the database or Redis every request is
 * answered 503 with Retry-After and a plain message — never 401 or 500 — and recovery is automatic.
 *  - While a dependency is known down (utils/dependency-monitor.ts: the database since a check found
 *    it down, Redis while its connection isn't ready) the request is answered at once, without
 *    running it; the monitor probes in the background and lets requests through when it is back.
 *  - A request that throws a lost-connection error (utils/db-errors.ts `connectionFailureOf`), or
 *    ends 401/403/5xx, makes the monitor check (one `select 1` at a time, cached 250 ms): if a
 *    dependency is down the answer becomes the 503. A PostgreSQL shutdown/terminated-connection
 *    error is a 503 even when the check finds the database back (it failed this request).
 * Sits after strapi::errors (so it sees the error before it becomes a 500) and strapi::cors (so
 * its 503s carry the CORS headers a browser needs to read them), before any middleware that reads.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const monitor = (): DependencyMonitor => strapi.plugin('live').service('dependencies');

  return async (ctx: Context, next: Next) => {
    if (EXEMPT_PATHS.has(ctx.path.replace(/(.)\/+$/, '$1'))) return next();
    const known = monitor().knownDown();
    if (known.length > 0) return answerUnavailable(ctx, known);

    try {
      await next();
    } catch (error) {
      const failure = connectionFailureOf(error);
      if (!failure) throw error;
      const down = await monitor().check();
      if (down.length > 0) return answerUnavailable(ctx, down);
      if (failure === 'network') throw error; // not the database or Redis (S3, a gateway…): the error stands
      return answerUnavailable(ctx, [failure satisfies Dependency]);
    }

    if (suspicious(ctx.status) && !ctx.headerSent) {
      const down = await monitor().check();
      if (down.length > 0) answerUnavailable(ctx, down);
    }
  };
};
