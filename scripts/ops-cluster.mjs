// npm run ops:cluster: the production topology on one machine — two Strapi processes and two site
// processes on PostgreSQL and Redis, behind a local stand-in for the ALB (cookie stickiness,
// round-robin, a process taken out while its /api/ready fails). Stays up until Ctrl-C, then
// stops every process gracefully (SIGTERM) and drops its database.
//
//   CLUSTER_PG_URL   admin connection to create the fresh database from (default postgres://postgres@127.0.0.1:5432/postgres)
//   CLUSTER_DATABASE_URL   use this database instead (kept)
//   REDIS_URL        default redis://127.0.0.1:6379
//   CLUSTER_API_PORT / CLUSTER_SITE_PORT   the balancers' ports (default 1337 / 4321)
//   SHUTDOWN_GRACE_SECONDS, and anything else in .env.example, pass through to every process.
//   --no-admin       don't build the admin panel when it is missing (the API and the site only)
import fs from 'node:fs';
import path from 'node:path';
import { root, run, bin, buildLibraries, step } from './lib.mjs';
import clusterLauncher from './lib/cluster.cjs';

const { builtArtifacts, startCluster } = clusterLauncher;

const env = process.env;
if (!fs.existsSync(path.join(root, 'config', 'dist', 'index.js')) || !fs.existsSync(path.join(root, 'src-plugins', 'live', 'dist', 'server', 'index.js'))) {
  step('building config and the live plugin');
  await buildLibraries();
}
const withAdmin = !process.argv.includes('--no-admin');
if (withAdmin && !fs.existsSync(path.join(root, 'cms', 'dist', 'build', 'index.html'))) {
  step('building Strapi: server and admin panel');
  await run(bin('strapi'), ['build'], { cwd: path.join(root, 'cms'), env: { SKILLYUG_BUILD: 'true' } });
} else if (!fs.existsSync(builtArtifacts.cms)) {
  step('compiling Strapi (no admin panel)');
  await run(process.execPath, ['-e', "require('@strapi/strapi').compileStrapi({ appDir: process.cwd(), ignoreDiagnostics: true })"], { cwd: path.join(root, 'cms') });
}
if (!fs.existsSync(builtArtifacts.site)) {
  step('building the site');
  await run(bin('astro'), ['build'], { cwd: path.join(root, 'site'), env: { SKILLYUG_BUILD: 'true' } });
}

step('starting two Strapi processes and two site processes behind the local balancer');
const cluster = await startCluster({
  pgAdminUrl: env.CLUSTER_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  databaseUrl: env.CLUSTER_DATABASE_URL,
  redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
  ports: { api: Number(env.CLUSTER_API_PORT ?? 1337), site: Number(env.CLUSTER_SITE_PORT ?? 4321) },
  graceSeconds: Number(env.SHUTDOWN_GRACE_SECONDS ?? 20),
  nodeEnv: env.NODE_ENV ?? 'development',
  log: (line) => console.log(line),
});

console.log(`
  Site (2 processes):   ${cluster.siteUrl}
  API  (2 processes):   ${cluster.apiUrl}   admin: ${fs.existsSync(path.join(root, 'cms', 'dist', 'build', 'index.html')) ? `${cluster.apiUrl}/admin` : '(not built: run without --no-admin)'}
  Processes:            ${[...cluster.strapis, ...cluster.sites].map((node) => `${node.id} ${node.url} (pid ${node.child.pid})`).join('\n                        ')}
  Database:             ${cluster.databaseUrl.replace(/\/\/[^@]*@/, '//')}
  Redis:                ${cluster.redisUrl} (prefix ${cluster.redisKeyPrefix})

  Try: kill -TERM <pid> of a Strapi process (graceful drain) or kill -KILL it; the balancer moves
  its clients to the other one. Ctrl-C stops everything.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    step('stopping (SIGTERM to every process, then dropping the database)');
    await cluster.stop();
    process.exit(0);
  });
}
// A process that dies on its own is reported; the balancer has taken it out.
for (const node of [...cluster.strapis, ...cluster.sites]) {
  node.exited.then(({ code, signal }) => !stopping && console.log(`[${node.id}] exited (${signal ?? code}); the balancer routes around it`));
}
