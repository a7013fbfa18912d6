import http from 'node:http';
import type { Core } from '@strapi/strapi';
import { loadEnv, metricsHost } from '@skillyug/config';
import { collectProcessMetrics, metricsPayload, observeLive, stopObservingLive } from '@skillyug/live/utils/metrics';

let server: http.Server | null = null;

/**
 * Switches metrics on when they can be read: METRICS_PORT (a plain HTTP server answering
 * GET /metrics, for a scraper inside the network; the load balancer doesn't route the port) or
 * METRICS_TOKEN (GET /api/metrics on Strapi's port, cms/src/middlewares/metrics.ts). Neither set:
 * no metrics endpoint at all, and no gauge reads the database.
 */
export async function startMetrics(strapi: Core.Strapi): Promise<void> {
  const env = loadEnv('cms');
  if (env.METRICS_PORT === undefined && !env.METRICS_TOKEN) return;
  collectProcessMetrics();
  observeLive(strapi);
  if (env.METRICS_PORT === undefined) return;

  const host = metricsHost(env);
  const listening = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found: the metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Use GET\n');
      return;
    }
    metricsPayload().then(
      ({ contentType, body }) => {
        res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: Error) => {
        strapi.log.error(`[metrics] rendering the metrics failed: ${error.message}`);
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The metrics could not be rendered\n');
      }
    );
  });
  await new Promise<void>((resolve, reject) => {
    listening.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`[metrics] cannot listen on ${host}:${env.METRICS_PORT} (METRICS_PORT): ${error.code ?? error.message}`))
    );
    listening.listen(env.METRICS_PORT, host, () => resolve());
  });
  server = listening;
  strapi.log.info(`[metrics] Prometheus metrics on http://${host}:${env.METRICS_PORT}/metrics`);
}

/** Closes the metrics server (Strapi is stopping); scrapes in flight are cut. */
export async function stopMetrics(): Promise<void> {
  stopObservingLive();
  const closing = server;
  server = null;
  if (!closing) return;
  await new Promise<void>((resolve) => {
    closing.close(() => resolve());
    closing.closeAllConnections();
  });
}
