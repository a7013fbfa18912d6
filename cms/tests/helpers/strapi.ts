import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';
import crypto from 'node:crypto';
import net from 'node:net';
import request from 'supertest';
import { Client } from 'pg';
import { generateSecrets } from '@skillyug/config';

const appDir = path.resolve(__dirname, '..', '..');
const distDir = path.join(appDir, 'dist');

/** The admin database the tests create and drop their own databases from. */
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const testDatabase = (process.env.TEST_DB ?? 'sqlite') as 'sqlite' | 'postgres';


async function withPg<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database for one test file: a temp SQLite file or a new PostgreSQL database. */
async function createDatabase(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const name = `skillyug_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  if (testDatabase === 'postgres') {
    await withPg((c) => c.query(`CREATE DATABASE "${name}"`));
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: url.toString() },
      drop: () => withPg((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillyug-test-'));
  return {
    env: { SQLITE_FILENAME: path.join(dir, `${name}.db`) },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** The seed uploads covers into cms/public/uploads; each test database's files go with it. */
async function removeUploadedFiles(strapi: any) {
  const files = await strapi.db.query('plugin::upload.file').findMany({ select: ['url', 'formats'] });
  const urls = files.flatMap((f: any) => [f.url, ...Object.values(f.formats ?? {}).map((format: any) => format.url)]);
  for (const url of urls) {
    if (typeof url === 'string' && url.startsWith('/uploads/')) fs.rmSync(path.join(appDir, 'public', url), { force: true });
  }
}

/** A port nothing listens on right now (each Strapi under test runs its own RTMP ingest). */
/** Listens on `port` (0: any) for a moment to learn whether it is free; the port, or null. */
function tryPort(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as net.AddressInfo;
      server.close(() => resolve(bound));
    });
  });
}

/** The first port of the kernel's ephemeral range (Linux), where outgoing connections take their local ports. */
function ephemeralStart(): number {
  try {
    const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && low > 12_000) return low;
  } catch {
    /* not Linux: fall through */
  }
  return 32_768;
}

const PORTS_PER_WORKER = 1_000;

/**
 * A port nobody is listening on, for a server this test starts a little later (Strapi, the site,
 * the RTMP ingest …). Taken below the ephemeral range — outgoing connections (database pools,
 * fetches, the browser) take their local ports from that range, and one of them once took a
 * port the site was about to listen on — and from a slice of its own per jest worker, so two
 * workers don't pick the same one between the check and the listen.
 */
/** The ports this process handed out last, not bound yet perhaps: not handed out again. */
const handedOut: number[] = [];
const RECENT_PORTS = 32;

export async function freePort(): Promise<number> {
  const worker = Number(process.env.JEST_WORKER_ID ?? 1) || 1;
  const top = ephemeralStart();
  const base = top - PORTS_PER_WORKER * (1 + ((worker - 1) % 8));
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = base + crypto.randomInt(PORTS_PER_WORKER);
    // A port handed out a moment ago may not be bound yet (two ports for one Strapi): never twice in a row.
    if (handedOut.includes(candidate)) continue;
    const port = await tryPort(candidate);
    if (port !== null) {
      handedOut.push(port);
      if (handedOut.length > RECENT_PORTS) handedOut.shift();
      return port;
    }
  }
  const any = await tryPort(0);
  if (any === null) throw new Error('no free TCP port on 127.0.0.1');
  return any;
}

export type TestApp = Awaited<ReturnType<typeof startStrapi>>;

/**
 * Boots the real Strapi app (compiled once by global-setup) on a fresh database seeded
 * with the demo data, without the admin panel (unless `serveAdminPanel`: then it serves the
 * built admin from cms/dist/build, which `strapi build` writes), and returns a supertest agent on it.
 */
export async function startStrapi(extraEnv: Record<string, string> = {}, options: { serveAdminPanel?: boolean } = {}) {
  const database = await createDatabase();
  delete process.env.DATABASE_URL;
  Object.assign(process.env, {
    NODE_ENV: 'test',
    STRAPI_TELEMETRY_DISABLED: 'true',
    SKILLYUG_ENV_FILE: path.join(os.tmpdir(), 'skillyug-test-no-env-file'),
    SEED_ON_EMPTY: 'true',
    LOG_LEVEL: 'warn',
    // Processes a test stops with SIGTERM (child-strapi.js) drain with a 2 s notice instead of 5 s.
    SHUTDOWN_GRACE_SECONDS: '8',
    ...generateSecrets(),
    LOCAL_RTMP_PORT: String(await freePort()),
    LOCAL_MEDIA_HTTP_PORT: String(await freePort()),
    ...database.env,
    ...extraEnv,
  });

  const { createStrapi } = require('@strapi/strapi');
  const strapi = await createStrapi({ appDir, distDir, serveAdminPanel: options.serveAdminPanel ?? false, autoReload: false }).load();
  await strapi.server.mount();
  const http = request(strapi.server.httpServer);

  return {
    strapi,
    http,
    async stop() {
      await removeUploadedFiles(strapi);
      await strapi.destroy();
      await database.drop();
    },
  };
}

let studentCounter = 0;

/**
 * Creates a confirmed student and opens a session for them the way `POST /api/auth/local`
 * does (refresh token → access token), without going through the login rate limiter.
 */
export async function signInNewStudent(app: TestApp, label = 'student') {
  const email = `${label}-${Date.now()}-${++studentCounter}@test.skillyug.local`;
  const password = 'Test@Password1';
  const role = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'student' } });
  const user = await app.strapi
    .plugin('users-permissions')
    .service('user')
    .add({ username: email, email, password, provider: 'local', confirmed: true, blocked: false, role: role.id });
  const sessions = app.strapi.sessionManager('users-permissions');
  const refresh = await sessions.generateRefreshToken(String(user.id), undefined, { type: 'refresh' });
  const access = await sessions.generateAccessToken(refresh.token);
  if ('error' in access) throw new Error(`could not open a session: ${access.error}`);
  return { id: user.id as number, email, password, auth: { Authorization: `Bearer ${access.token}` } };
}

/** A published course of the demo seed by slug (free or paid), with its lessons' documentIds. */
export async function demoCourse(app: TestApp, kind: 'free' | 'paid') {
  const courses = await app.strapi.documents('api::course.course').findMany({
    status: 'published',
    filters: kind === 'free' ? { isFree: true } : { isFree: false, price: { $gt: 0 } },
    populate: { modules: { populate: { lessons: { fields: ['documentId', 'isPreview', 'title'] } } } },
    sort: 'slug:asc',
  } as any);
  const course: any = courses[0];
  const lessons = course.modules.flatMap((m: any) => m.lessons);
  return {
    course,
    paidLesson: lessons.find((l: any) => !l.isPreview),
    previewLesson: lessons.find((l: any) => l.isPreview),
  };
}
