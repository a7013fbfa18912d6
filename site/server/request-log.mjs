/**
 * Request ids and the request log line for the site's production server (server.mjs).
 *
 * Every request gets an id — the caller's X-Request-Id when it is a plain token of 8–128
 * characters (a load balancer's, a test's), else a new UUID — echoed on the response (cache hits,
 * probes and errors included) and kept in an AsyncLocalStorage that the Astro bundle reads
 * (src/lib/request-context.ts) to forward it on its calls to Strapi, so one id finds a page view
 * in both processes' logs. The middleware adds the matched route and the signed-in student.
 * With JSON logs (LOG_FORMAT=json; the default in production) each request ends with one line on
 * stdout: time, level, message, requestId, userId, route, method, status, durationMs — the URL
 * in the message with its secret query values (preview tokens, codes) replaced by "***".
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { jsonLogLine, logFormat, redactUrl, requestIdFrom, REQUEST_ID_HEADER } from '@skillyug/config';

/** Shared with the bundle through globalThis: server.mjs and dist/ are separate module graphs. */
const storage = (globalThis[Symbol.for('skillyug.site.requestContext')] ??= new AsyncLocalStorage());

/** Successful load-balancer probes every few seconds would drown the log; failing ones are logged. */
const PROBE_PATHS = new Set(['/api/health', '/healthz', '/api/ready']);

/**
 * Wraps the server's request handler.
 * @param {import('@skillyug/config').Env} env
 * @param {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void} handle
 * @param {(line: string) => void} [write] where log lines go (stdout)
 */
export function withRequestContext(env, handle, write = (line) => process.stdout.write(`${line}\n`)) {
  const json = logFormat(env) === 'json';
  return (req, res) => {
    const start = performance.now();
    const context = { requestId: requestIdFrom(req.headers['x-request-id']), userId: undefined, route: undefined };
    res.setHeader(REQUEST_ID_HEADER, context.requestId);
    if (json) {
      res.once('close', () => {
        const path = (req.url ?? '/').split('?')[0];
        const status = res.statusCode;
        if (PROBE_PATHS.has(path) && status < 400) return;
        const durationMs = Math.round((performance.now() - start) * 10) / 10;
        const method = req.method ?? 'GET';
        write(
          jsonLogLine({
            time: new Date().toISOString(),
            level: 'http',
            message: `${method} ${redactUrl(req.url ?? '/')} (${Math.ceil(durationMs)} ms) ${status}${res.writableFinished ? '' : ' (connection closed before the end)'}`,
            requestId: context.requestId,
            userId: context.userId,
            route: context.route,
            method,
            status,
            durationMs,
            cache: res.getHeader('x-cache') === 'HIT' ? 'hit' : undefined,
          })
        );
      });
    }
    storage.run(context, () => handle(req, res));
  };
}
