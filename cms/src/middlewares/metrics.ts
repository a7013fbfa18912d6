import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import { loadEnv } from '@skillyug/config';
import { metricsPayload, observeHttpRequest } from '@skillyug/live/utils/metrics';
import { routeOf } from '@skillyug/live/utils/request-context';

const METRICS_PATH = '/api/metrics';

/** Compares a presented token with the configured one in constant time (hashing first makes the lengths equal). */
export function tokenMatches(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Counts and times every request under its matched route pattern (http_requests_total,
 * http_request_duration_seconds), 503s of the dependency-outage guard included (it comes after
 * this one). With METRICS_TOKEN set it also answers GET /api/metrics for a scraper presenting
 * `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise); without it that path is an ordinary
 * 404. Answered here, before sessions, guards and the database: metrics stay readable while a
 * dependency is down, which is when they are wanted.
 */
export default () => {
  const token = loadEnv('cms').METRICS_TOKEN;
  return async (ctx: Context, next: Next) => {
    const start = performance.now();
    let route: string | undefined;
    let status = 500;
    try {
      if (token && ctx.path === METRICS_PATH) {
        route = METRICS_PATH;
        await serveMetrics(ctx, token);
      } else {
        await next();
      }
      status = ctx.status;
    } catch (error) {
      status = Number((error as { status?: number })?.status) || 500;
      throw error;
    } finally {
      observeHttpRequest(ctx.method, route ?? routeOf(ctx), status, (performance.now() - start) / 1000);
    }
  };
};

async function serveMetrics(ctx: Context, token: string) {
  ctx.set('Cache-Control', 'no-store');
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
    ctx.set('Allow', 'GET, HEAD');
    ctx.status = 405;
    ctx.body = { error: { status: 405, name: 'MethodNotAllowedError', message: 'Use GET' } };
    return;
  }
  const presented = bearerToken(ctx.get('authorization'));
  if (!presented || !tokenMatches(presented, token)) {
    ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
    ctx.status = 401;
    ctx.body = { data: null, error: { status: 401, name: 'UnauthorizedError', message: 'Present the metrics token: Authorization: Bearer <METRICS_TOKEN>' } };
    return;
  }
  const { contentType, body } = await metricsPayload();
  ctx.type = contentType;
  ctx.body = body;
}
