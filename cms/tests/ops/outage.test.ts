/**
 * Dependency outages under a running product: a PostgreSQL cluster and a Redis server of this
 * test's own (the shared 127.0.0.1:5432 and :6379 serve the other test files meanwhile) are
 * stopped and started again under Strapi and the built site. During an outage every request is
 * answered 503 with Retry-After and a plain message (never 401, which would tell a signed-in
 * student their session is gone, nor 500), liveness stays 200, readiness names what is down, and
 * everything recovers by itself once the dependency is back. Runs as root (pg_createcluster), in
 * the PostgreSQL pass only (scripts/test.mjs).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { startStrapi, signInNewStudent, freePort, type TestApp } from '../helpers/strapi';
import { eventually, waitFor } from '../helpers/wait';
import { connectClient } from '../helpers/realtime';

const run = promisify(execFile);
const PG_VERSION = process.env.TEST_PG_VERSION ?? fs.readdirSync('/etc/postgresql').sort().at(-1) ?? '15';
const cluster = `skillyug_outage_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
const siteDir = path.resolve(__dirname, '..', '..', '..', 'site');
/** How long recovery may take once the dependency is back (ioredis backs off up to 2 s between tries). */
const RECOVERY_MS = 20_000;

let pgPort: number;
let clusterCreated = false;
let redisPort: number;
let redisServer: ChildProcess | null = null;
let app: TestApp;
let apiUrl: string;
let site: ChildProcess | null = null;
let siteUrl: string;
const siteLogs: string[] = [];
let student: { auth: { Authorization: string } };

const pgctl = (action: 'start' | 'stop') => run('pg_ctlcluster', [PG_VERSION, cluster, action, ...(action === 'stop' ? ['--', '-m', 'fast'] : [])]);

/** A throwaway Redis with nothing on disk; resolves once it accepts connections. */
function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) {
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        child.stdout!.resume();
        resolve(child);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`redis-server exited with ${code}:\n${output}`));
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.once('exit', onExit);
  });
}

function stopChild(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The built site (node site/server.mjs) pointed at this Strapi and this Redis. */
async function startSite(): Promise<void> {
  if (!fs.existsSync(path.join(siteDir, 'dist', 'server', 'entry.mjs'))) {
    throw new Error('The site is not built: run `npm run build -w site` (npm test builds it when it is missing or stale).');
  }
  const port = await freePort();
  siteUrl = `http://127.0.0.1:${port}`;
  site = spawn(process.execPath, ['server.mjs'], {
    cwd: siteDir,
    env: { ...process.env, NODE_ENV: 'test', API_URL: apiUrl, PUBLIC_URL: apiUrl, SITE_URL: siteUrl, SITE_HOST: '127.0.0.1', SITE_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  site.stdout!.on('data', (chunk) => siteLogs.push(String(chunk)));
  site.stderr!.on('data', (chunk) => siteLogs.push(String(chunk)));
  const exited = new Promise<never>((_, reject) => site!.once('exit', (code) => reject(new Error(`the site exited with ${code}:\n${siteLogs.join('')}`))));
  exited.catch(() => undefined);
  await Promise.race([waitFor(() => siteLogs.join('').includes('Server listening on'), 30_000, 'the site to listen'), exited]);
}

const siteGet = async (pathname: string) => {
  const response = await fetch(`${siteUrl}${pathname}`);
  return { status: response.status, headers: response.headers, body: await response.json() };
};

beforeAll(async () => {
  pgPort = await freePort();
  await run('pg_createcluster', [PG_VERSION, cluster, '-p', String(pgPort), '--', '--auth=trust']);
  clusterCreated = true;
  await pgctl('start');
  const admin = new Client({ connectionString: `postgres://postgres@127.0.0.1:${pgPort}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE skillyug');
  await admin.end();

  redisPort = await freePort();
  redisServer = await startRedis(redisPort);

  const apiPort = await freePort();
  apiUrl = `http://127.0.0.1:${apiPort}`;
  app = await startStrapi({
    DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/skillyug`,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    PUBLIC_URL: apiUrl,
  });
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(apiPort, '127.0.0.1', () => resolve()));
  student = await signInNewStudent(app, 'outage');
  await startSite();
}, 240_000);

afterAll(async () => {
  await stopChild(site);
  // The dependencies must be up for Strapi to stop cleanly (a failed test may have left one down).
  if (clusterCreated) await pgctl('start').catch(() => undefined);
  if (redisPort && (!redisServer || redisServer.exitCode !== null)) redisServer = await startRedis(redisPort).catch(() => null);
  await app?.stop();
  await stopChild(redisServer);
  if (clusterCreated) await run('pg_dropcluster', [PG_VERSION, cluster, '--stop']);
}, 120_000);

/** What an outage answer looks like: Strapi's error envelope, Retry-After, nothing about hosts or errors. */
function expectUnavailable(res: { status: number; headers: Record<string, string>; body: any; text: string }, dependency: string) {
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBe('5');
  expect(res.body).toEqual({
    data: null,
    error: { status: 503, name: 'ServiceUnavailableError', message: `Skillyug is briefly unavailable (${dependency}). Try again in a few seconds.`, details: {} },
  });
  expect(res.text).not.toMatch(/127\.0\.0\.1|ECONN|postgres|redis:\/\//i);
  expect(res.text).not.toContain(String(pgPort));
  expect(res.text).not.toContain(String(redisPort));
}

const catalogRead = (page = 1) => app.http.get(`/api/courses?pagination[page]=${page}`);
const me = () => app.http.get('/api/users/me').set(student.auth);

/** Everything a visitor and a student do answers as usual, and both processes say they are ready. */
async function expectAllServing() {
  expect((await catalogRead()).status).toBe(200);
  const account = await me();
  expect(account.status).toBe(200);
  expect(account.body.email).toMatch(/^outage-/);
  const ready = await app.http.get('/api/ready');
  expect(ready.status).toBe(200);
  expect(ready.body).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok', live: 'ok', storage: 'ok' } });
  expect(ready.headers['cache-control']).toBe('no-store');
  const siteReady = await siteGet('/api/ready');
  expect(siteReady.status).toBe(200);
  expect(siteReady.body).toEqual({ status: 'ready', checks: { api: 'ok', redis: 'ok' } });
}

/** A realtime join's handshake: what the gateway refuses it with (the token is not a real one). */
async function handshakeRefusal() {
  const client = connectClient(apiUrl, { token: 'not-a-realtime-token' });
  try {
    return (await client.waitForEvent('connect_error')).data;
  } finally {
    client.close();
  }
}

describe('health routes', () => {
  it('answer liveness with nothing but "ok" and readiness with every check, on Strapi and the site', async () => {
    const health = await app.http.get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    expect(health.headers['cache-control']).toBe('no-store');
    await expectAllServing();
    for (const pathname of ['/api/health', '/healthz']) {
      const siteHealth = await siteGet(pathname);
      expect(siteHealth.status).toBe(200);
      expect(siteHealth.body).toEqual({ status: 'ok' });
      expect(siteHealth.headers.get('cache-control')).toBe('no-store');
    }
    // The plugin's own report stays where it was.
    expect((await app.http.get('/api/live/health')).body).toMatchObject({ status: 'ok', plugin: 'live' });
    expect(await handshakeRefusal()).toMatchObject({ code: 'bad-token' });
  });
});

describe('a PostgreSQL outage', () => {
  it('is answered 503 with Retry-After everywhere (never 401 or 500), named by readiness, and recovers by itself', async () => {
    await expectAllServing();
    const errors = jest.spyOn(app.strapi.log, 'error');
    await pgctl('stop');

    // The first request finds the outage: users-permissions can't load the public role and says 401;
    // the middleware checks the database and answers 503 instead. A new URL: the catalog cache can't answer it.
    expectUnavailable(await catalogRead(2), 'database');
    // Known down now: a student's request is answered at once, not with "your session is gone".
    expectUnavailable(await me(), 'database');
    expectUnavailable(await catalogRead(), 'database');
    expectUnavailable(await app.http.post('/api/auth/local').send({ identifier: 'someone@mail.test', password: 'Whatever@1' }), 'database');

    const health = await app.http.get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    const ready = await app.http.get('/api/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers['retry-after']).toBe('5');
    expect(ready.body).toEqual({ status: 'unavailable', down: ['database'], checks: { database: 'down', redis: 'ok', live: 'ok', storage: 'ok' } });

    // The site: alive, not ready (its API isn't).
    expect((await siteGet('/api/health')).status).toBe(200);
    const siteReady = await siteGet('/api/ready');
    expect(siteReady.status).toBe(503);
    expect(siteReady.headers.get('retry-after')).toBe('5');
    expect(siteReady.body).toEqual({ status: 'unavailable', down: ['api'], checks: { api: 'down', redis: 'ok' } });

    // A class join is refused with the same plain sentence, not a crash.
    expect(await handshakeRefusal()).toEqual({ code: 'unavailable', message: 'Skillyug is briefly unavailable (database). Try again in a few seconds.' });

    // The operator's log has the reason, once for the whole outage.
    const outageLines = () => errors.mock.calls.map(([line]) => String(line)).filter((line) => line.startsWith('[outage]'));
    expect(outageLines()).toEqual([expect.stringMatching(/^\[outage\] database unavailable \(.*ECONNREFUSED.*\)/)]);

    await pgctl('start');
    await eventually(expectAllServing, RECOVERY_MS);
    expect(await handshakeRefusal()).toMatchObject({ code: 'bad-token' });
    expect(outageLines()).toHaveLength(1);
    errors.mockRestore();
  });

  it('is also found by a request whose query throws (not only by a 401)', async () => {
    await pgctl('stop');
    // /api/live/health runs `select 1` itself, outside users-permissions: the connection error reaches the middleware.
    expectUnavailable(await app.http.get('/api/live/health'), 'database');
    expectUnavailable(await me(), 'database');
    await pgctl('start');
    await eventually(expectAllServing, RECOVERY_MS);
  });
});

describe('a Redis outage', () => {
  it('is answered 503 with Retry-After everywhere, named by readiness, and recovers by itself', async () => {
    await expectAllServing();
    await stopChild(redisServer);

    // The connection notices the server went away within a moment; from then on every request is refused.
    await eventually(async () => expectUnavailable(await catalogRead(3), 'redis'), 5_000, 50);
    expectUnavailable(await me(), 'redis');
    expectUnavailable(await app.http.post('/api/auth/local').send({ identifier: 'someone@mail.test', password: 'Whatever@1' }), 'redis');
    expect((await app.http.get('/api/health')).status).toBe(200);
    const ready = await app.http.get('/api/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'unavailable', down: ['redis'], checks: { database: 'ok', redis: 'down', live: 'ok', storage: 'ok' } });
    expect(await handshakeRefusal()).toEqual({ code: 'unavailable', message: 'Skillyug is briefly unavailable (redis). Try again in a few seconds.' });

    // The site's own Redis connection (cache invalidations) is down too, and its API isn't ready.
    await eventually(async () => {
      const siteReady = await siteGet('/api/ready');
      expect(siteReady.status).toBe(503);
      expect(siteReady.body).toEqual({ status: 'unavailable', down: ['api', 'redis'], checks: { api: 'down', redis: 'down' } });
    });
    expect((await siteGet('/api/health')).status).toBe(200);

    redisServer = await startRedis(redisPort);
    await eventually(expectAllServing, RECOVERY_MS);
  });
});

describe('draining after SIGTERM', () => {
  it('makes readiness 503 "shutting down" (the load balancer stops sending work) while liveness stays 200', async () => {
    // The flag cms/src's SIGTERM handler sets; the same module instance Strapi loaded.
    const { startDraining, resetLifecycle } = await import('@skillyug/live/utils/lifecycle');
    startDraining();
    try {
      const ready = await app.http.get('/api/ready');
      expect(ready.status).toBe(503);
      expect(ready.headers['retry-after']).toBe('5');
      expect(ready.body).toEqual({ status: 'unavailable', down: ['shutting down'], checks: {} });
      expect((await app.http.get('/api/health')).status).toBe(200);
      // Requests in flight and the ones still routed here are served meanwhile.
      expect((await catalogRead()).status).toBe(200);
    } finally {
      resetLifecycle();
    }
    expect((await app.http.get('/api/ready')).status).toBe(200);
  });
});
