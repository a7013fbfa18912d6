// Production entry: the built Astro server on SITE_HOST/SITE_PORT, with the public page cache in
// front. Public catalog pages requested by visitors without a session are answered from memory
// (src/lib/catalog.ts `lookupPage`) before Astro builds a Request or runs any middleware;
// everything else — static assets included — goes to the Node adapter's standalone handler.
// (The adapter would listen on HOST/PORT, which in Skillyug's shared environment are Strapi's.)
import http from 'node:http';
import { loadEnv } from '@skillyug/config';

const env = loadEnv('site');
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler } = await import('./dist/server/entry.mjs');

const lookupPage = () => globalThis[Symbol.for('skillyug.site.lookupPage')];

const server = http.createServer((req, res) => {
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
});
// Longer than a load balancer's idle timeout (60 s is common), so it never reuses a closed connection.
server.keepAliveTimeout = 65_000;
server.listen(env.SITE_PORT, env.SITE_HOST, () => {
  console.log(`[site] Server listening on http://${env.SITE_HOST}:${env.SITE_PORT} (API ${env.API_URL})`);
});

const shutdown = () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5_000);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
