import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import crypto from 'node:crypto';
import request from 'supertest';
import Redis from 'ioredis';
import { startStrapi, freePort, type TestApp } from './helpers/strapi';
import { waitFor } from './helpers/wait';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// Long enough that a loaded machine's slow bcrypt logins all land in one window.
const WINDOW = 30;

let app: TestApp;
let second: ChildProcess;
let secondUrl: string;
const prefix = `skillyug-test:${crypto.randomBytes(4).toString('hex')}:`;

/** A second Strapi process on the same database and Redis (seeded by the first). */
async function startSecondProcess(): Promise<string> {
  // Its own live ingest ports: the first process holds the ones in process.env.
  const ports = { LOCAL_RTMP_PORT: String(await freePort()), LOCAL_MEDIA_HTTP_PORT: String(await freePort()) };
  return new Promise((resolve, reject) => {
    second = spawn(process.execPath, [path.join(__dirname, 'helpers', 'child-strapi.js')], {
      cwd: path.resolve(__dirname, '..'),
      env: { ...process.env, SEED_ON_EMPTY: 'false', ...ports },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    second.stdout!.on('data', (chunk) => {
      const match = /LISTENING (\d+)/.exec(String(chunk));
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
    });
    second.on('exit', (code) => reject(new Error(`second Strapi exited with ${code}`)));
  });
}

beforeAll(async () => {
  app = await startStrapi({ REDIS_URL, REDIS_KEY_PREFIX: prefix, AUTH_RATE_LIMIT_WINDOW_SECONDS: String(WINDOW) });
  secondUrl = await startSecondProcess();
}, 120_000);

afterAll(async () => {
  if (second && second.exitCode === null) {
    const exited = new Promise((resolve) => second.once('exit', resolve));
    second.kill('SIGTERM');
    await exited;
  }
  await app?.stop();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

const wrongLogin = (target: any, identifier: string) =>
  target.post('/api/auth/local').send({ identifier, password: 'Wrong@Password1' });

describe('sign-in rate limits', () => {
  it('answers 429 with Retry-After once an account has had its tries, then recovers', async () => {
    const identifier = `limit-${Date.now()}@mail.test`;
    const statuses = [];
    for (let i = 0; i < 11; i += 1) statuses.push((await wrongLogin(app.http, identifier)).status);
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    const limited = await wrongLogin(app.http, identifier);
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ status: 429, name: 'RateLimitError' });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW);

    // Another account from the same IP isn't blocked by this one's limit.
    expect((await wrongLogin(app.http, `other-${Date.now()}@mail.test`)).status).toBe(400);

    // The account's count is one Redis key that expires with its window (cms/src/security/rate-limit.ts
    // names it): Retry-After matches its life, and once Redis drops it the account may try again.
    // Redis announces expiries only when the server is configured to, so this polls for it.
    const accountKey = `${prefix}rl:login:account:${crypto.createHash('sha256').update(identifier).digest('hex').slice(0, 32)}`;
    const redis = new Redis(REDIS_URL);
    try {
      const ttl = await redis.pttl(accountKey);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(retryAfter * 1000);
      await waitFor(async () => (await redis.exists(accountKey)) === 0, ttl + 5_000, 'Redis to expire the limit');
    } finally {
      await redis.quit();
    }
    expect((await wrongLogin(app.http, identifier)).status).toBe(400);
  });

  it('is one limit across two Strapi processes sharing Redis', async () => {
    const identifier = `shared-${Date.now()}@mail.test`;
    const other = request(secondUrl);
    const results = [];
    // Alternate between the processes: each alone would allow 10 tries.
    for (let i = 0; i < 12; i += 1) results.push((await wrongLogin(i % 2 ? other : app.http, identifier)).status);
    expect(results.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(results.slice(10)).toEqual([429, 429]);
  });

  it('limits sign-ups per IP', async () => {
    const answers = [];
    for (let i = 0; i < 11; i += 1) {
      const email = `burst-${Date.now()}-${i}@mail.test`;
      const res = await app.http.post('/api/auth/local/register').send({ email, password: 'Learn@Skillyug42', displayName: 'Burst' });
      answers.push(res.status === 200 ? 200 : `${res.status} ${JSON.stringify(res.body?.error)}`);
    }
    expect(answers).toEqual([...Array(10).fill(200), expect.stringMatching(/^429 /)]);
  });
});
