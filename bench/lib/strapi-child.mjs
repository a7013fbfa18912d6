// A benchmark's Strapi process (spawned by server-process.mjs with an IPC channel; cwd cms/):
// boots the compiled app without the admin panel, optionally prepares a LIVE class with
// BENCH_STUDENTS enrolled students (fixture written to BENCH_FIXTURE), listens on 127.0.0.1:PORT,
// then answers the parent's `stats` requests with its own figures (memory, CPU, open connections).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { prepareClass } from './live-class.mjs';
import { answerStatsRequests } from './process-stats.mjs';

const cmsDir = process.cwd();
const requireFromCms = createRequire(path.join(cmsDir, 'package.json'));
const { createStrapi } = requireFromCms('@strapi/strapi');

const strapi = await createStrapi({ appDir: cmsDir, distDir: path.join(cmsDir, 'dist'), serveAdminPanel: false, autoReload: false }).load();
await strapi.server.mount();
const students = Number(process.env.BENCH_STUDENTS ?? 0);
if (students > 0) {
  const fixture = await prepareClass(strapi, students);
  fs.writeFileSync(process.env.BENCH_FIXTURE, JSON.stringify(fixture));
}
const httpServer = strapi.server.httpServer;
httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`LISTENING ${httpServer.address().port}`);
  process.send?.({ type: 'listening', port: httpServer.address().port });
});

answerStatsRequests(httpServer, process.env.BENCH_QUERY_STATS ? countQueries(strapi) : undefined);

/**
 * BENCH_QUERY_STATS: every SQL statement counted and timed (knex's query / query-response events),
 * by its text; each `stats` answer hands over the counts since the last one.
 */
function countQueries(strapi) {
  let byText = new Map();
  const started = new Map();
  const connection = strapi.db.connection;
  connection.on('query', (query) => started.set(query.__knexQueryUid, { sql: query.sql, at: performance.now() }));
  const done = (query) => {
    const start = started.get(query.__knexQueryUid);
    if (!start) return;
    started.delete(query.__knexQueryUid);
    const entry = byText.get(start.sql) ?? { sql: start.sql, count: 0, ms: 0 };
    entry.count++;
    entry.ms += performance.now() - start.at;
    byText.set(start.sql, entry);
  };
  connection.on('query-response', (_response, query) => done(query));
  connection.on('query-error', (_error, query) => done(query));
  return () => {
    const entries = [...byText.values()];
    byText = new Map();
    return entries;
  };
}
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
// Strapi installs its own SIGTERM handler (destroy, then exit).
