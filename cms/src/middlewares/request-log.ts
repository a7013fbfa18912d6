import type { Context, Next } from 'koa';
import type { Core } from '@strapi/strapi';
import { REQUEST_ID_HEADER, redactUrl, requestIdFrom } from '@skillyug/config';
import { routeOf, runInRequestContext, userIdOf } from '@skillyug/live/utils/request-context';
import { escapeControlChars } from '../utils/log-safety';

/** The URL as it may be logged: secret query values replaced by "***", control characters escaped. */
export function loggableUrl(url: string): string {
  return escapeControlChars(redactUrl(url));
}

/**
 * The first middleware: gives the request its id (the caller's X-Request-Id when it is a plain
 * token of 8–128 characters, e.g. the site's or a load balancer's, else a new UUID), echoes it on
 * the response — errors and 503s included — and runs the rest of the chain in the request's
 * context, so every log line written meanwhile carries the id (and the user, once signed in).
 * Then Strapi's request log line (`strapi::logger`), without secrets: a viewer's playback URL
 * carries its token in the query string, and log files outlive the token's purpose.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) =>
  async (ctx: Context, next: Next) => {
    const start = performance.now();
    const requestId = requestIdFrom(ctx.get(REQUEST_ID_HEADER) || undefined);
    ctx.state.requestId = requestId;
    ctx.set(REQUEST_ID_HEADER, requestId);
    let thrown: unknown;
    try {
      await runInRequestContext(requestId, ctx, next);
    } catch (error) {
      thrown = error;
      // Koa's last-resort error handler clears the response's headers and keeps only the error's own.
      if (error && typeof error === 'object') {
        const withHeaders = error as { headers?: Record<string, string> };
        withHeaders.headers = { ...withHeaders.headers, [REQUEST_ID_HEADER]: requestId };
      }
      throw error;
    } finally {
      const durationMs = Math.round((performance.now() - start) * 10) / 10;
      const status = thrown ? Number((thrown as { status?: number }).status) || 500 : ctx.status;
      strapi.log.http(`${ctx.method} ${loggableUrl(ctx.url)} (${Math.ceil(durationMs)} ms) ${status}`, {
        requestId,
        userId: userIdOf(ctx),
        route: routeOf(ctx),
        method: ctx.method,
        status,
        durationMs,
      });
    }
  };
