// Two Strapi processes and two site processes on one PostgreSQL database and one Redis, behind
// two local load balancers (scripts/lib/proxy.cjs): one port for the site, one for the API (and
// its socket.io path). Shared by `npm run ops:cluster` (scripts/ops-cluster.mjs) and the ops test
// cms/tests/ops/cluster.test.ts, so what the test proves is what the command runs (CommonJS: jest loads it).
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const readline = require('node:readline');
const { EventEmitter } = require('node:events');
const { createProxy } = require('./proxy.cjs');

const root = path.resolve(__dirname, '..', '..');

/** What the cluster runs from: the compiled Strapi app and the built site. */
const builtArtifacts = {
  cms: path.join(root, 'cms', 'dist', 'src', 'index.js'),
  site: path.join(root, 'site', 'dist', 'server', 'entry.mjs'),
};

/** A TCP port free right now on 127.0.0.1. */
function anyFreePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function withPg(adminUrl, fn) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Resolves when the process prints a line matching `test`; rejects when it exits first or after `timeoutMs`. */
function lineFrom(node, test, { timeoutMs, what }) {
  return new Promise((resolve, reject) => {
    if (node.logs.some(test)) return resolve();
    const done = (error) => {
      clearTimeout(timer);
      node.events.off('line', onLine);
      node.child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const onLine = (line) => test(line) && done();
    const onExit = (code, signal) => done(new Error(`${what} exited (${signal ?? code}) before it was ready:\n${node.logs.slice(-40).join('\n')}`));
    const timer = setTimeout(() => done(new Error(`${what} not ready within ${timeoutMs} ms:\n${node.logs.slice(-40).join('\n')}`)), timeoutMs);
    node.events.on('line', onLine);
    node.child.once('exit', onExit);
  });
}


/**
 * Starts the cluster. Options (all optional):
 * - pgAdminUrl: where to create the fresh database (default postgres://postgres@127.0.0.1:5432/postgres);
 *   databaseUrl: use this database instead (not dropped on stop)
 * - redisUrl (default redis://127.0.0.1:6379), redisKeyPrefix (default a fresh one; its keys are deleted on stop)
 * - env: more variables for every process (SMTP_…, …); nodeEnv (default development)
 * - ports: { api, site } for the two balancers (default free ports); freePort: how to find the others
 * - graceSeconds: SHUTDOWN_GRACE_SECONDS of every process; checkIntervalMs: the balancers' readiness checks
 * - log: where process output and balancer events go (default: nowhere; each process keeps its lines in `logs`)
 */
async function startCluster(options = {}) {
  const {
    pgAdminUrl = 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl = 'redis://127.0.0.1:6379',
    redisKeyPrefix = `skillyug-cluster:${crypto.randomBytes(4).toString('hex')}:`,
    env: extraEnv = {},
    nodeEnv = 'development',
    ports = {},
    freePort = anyFreePort,
    graceSeconds = 20,
    checkIntervalMs = 1_000,
    log = () => {},
  } = options;
  for (const [what, file] of Object.entries(builtArtifacts)) {
    if (!fs.existsSync(file)) throw new Error(`${what} is not built (${path.relative(root, file)} is missing): run npm run build`);
  }
  const { generateSecrets } = require(path.join(root, 'config', 'dist', 'index.js'));

  const children = [];
  let databaseName = null;
  let databaseUrl = options.databaseUrl;
  let proxies = [];
  let stopped = false;

  async function stop() {
    if (stopped) return;
    stopped = true;
    await Promise.all(proxies.map((proxy) => proxy.close().catch(() => undefined)));
    await Promise.all(children.map((node) => node.stop()));
    if (databaseName) await withPg(pgAdminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`)).catch(() => undefined);
    if (!options.redisKeyPrefix) {
      const Redis = require(require.resolve('ioredis', { paths: [path.join(root, 'site')] }));
      const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        const keys = await redis.keys(`${redisKeyPrefix}*`);
        if (keys.length) await redis.del(...keys);
      } catch {
        /* Redis gone: nothing to tidy */
      } finally {
        redis.disconnect();
      }
    }
  }

  function launch(id, command, args, cwd, env) {
    const logs = [];
    const events = new EventEmitter();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        logs.push(line);
        if (logs.length > 2_000) logs.splice(0, 500);
        log(`[${id}] ${line}`);
        events.emit('line', line);
      });
    }
    const node = {
      id,
      child,
      logs,
      events,
      exited,
      url: `http://127.0.0.1:${env.PORT ?? env.SITE_PORT}`,
      running: () => child.exitCode === null && child.signalCode === null,
      kill: (signal = 'SIGTERM') => node.running() && child.kill(signal),
      /** SIGTERM, then SIGKILL if it is still there after its grace (+5 s). */
      async stop() {
        if (!node.running()) return exited;
        child.kill('SIGTERM');
        const timer = setTimeout(() => node.kill('SIGKILL'), (graceSeconds + 5) * 1000);
        const result = await exited;
        clearTimeout(timer);
        return result;
      },
    };
    children.push(node);
    return node;
  }

  try {
    if (!databaseUrl) {
      databaseName = `skillyug_cluster_${crypto.randomBytes(4).toString('hex')}`;
      await withPg(pgAdminUrl, (c) => c.query(`CREATE DATABASE "${databaseName}"`));
      const url = new URL(pgAdminUrl);
      url.pathname = `/${databaseName}`;
      databaseUrl = url.toString();
    }
    const apiPort = ports.api ?? (await freePort());
    const sitePort = ports.site ?? (await freePort());
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const siteUrl = `http://127.0.0.1:${sitePort}`;
    const shared = {
      ...process.env,
      NODE_ENV: nodeEnv,
      STRAPI_TELEMETRY_DISABLED: 'true',
      ...generateSecrets(),
      SITE_REVALIDATE_SECRET: crypto.randomBytes(24).toString('base64url'),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: redisKeyPrefix,
      // Browsers reach both through the balancers; the balancer appends X-Forwarded-For.
      PUBLIC_URL: apiUrl,
      SITE_URL: siteUrl,
      API_URL: apiUrl,
      TRUSTED_PROXY_HOPS: '1',
      SITE_TRUSTED_PROXY_HOPS: '1',
      SHUTDOWN_GRACE_SECONDS: String(graceSeconds),
      ...extraEnv,
    };
    delete shared.SQLITE_FILENAME;

    const strapis = [];
    for (const [index, id] of ['strapi-1', 'strapi-2'].entries()) {
      const env = {
        ...shared,
        HOST: '127.0.0.1',
        PORT: String(await freePort()),
        LOCAL_RTMP_PORT: String(await freePort()),
        LOCAL_MEDIA_HTTP_PORT: String(await freePort()),
        // The first process migrates and seeds the empty database; the second starts on it after.
        SEED_ON_EMPTY: index === 0 ? (extraEnv.SEED_ON_EMPTY ?? 'true') : 'false',
      };
      const node = launch(id, process.execPath, [path.join(root, 'scripts', 'lib', 'strapi-process.cjs')], path.join(root, 'cms'), env);
      // Its own word that it is listening (a port probe could reach some other server on that port).
      await lineFrom(node, (line) => line === `LISTENING ${env.PORT}`, { timeoutMs: 180_000, what: id });
      strapis.push(node);
    }

    const sites = [];
    for (const id of ['site-1', 'site-2']) {
      const env = { ...shared, SITE_HOST: '127.0.0.1', SITE_PORT: String(await freePort()) };
      const node = launch(id, process.execPath, ['server.mjs'], path.join(root, 'site'), env);
      await lineFrom(node, (line) => line.includes('Server listening on'), { timeoutMs: 30_000, what: id });
      // With Redis, each site process must be listening for Strapi's change notices before it counts as up.
      await lineFrom(node, (line) => line.includes('cache invalidation: subscribed'), { timeoutMs: 10_000, what: `${id}'s Redis subscription` });
      sites.push(node);
    }

    const api = createProxy({ name: 'api', targets: strapis.map(({ id, url }) => ({ id, url })), checkIntervalMs, log });
    const site = createProxy({ name: 'site', targets: sites.map(({ id, url }) => ({ id, url })), checkIntervalMs, log });
    proxies = [api, site];
    await api.listen(apiPort);
    await site.listen(sitePort);

    return { apiUrl, siteUrl, databaseUrl, redisUrl, redisKeyPrefix, revalidateSecret: shared.SITE_REVALIDATE_SECRET, strapis, sites, proxies: { api, site }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

module.exports = { builtArtifacts, anyFreePort, startCluster };
