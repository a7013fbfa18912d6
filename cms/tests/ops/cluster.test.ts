/**
 * `npm run ops:cluster`'s topology, started with its own launcher (scripts/lib/cluster.cjs): two
 * Strapi processes and two site processes on one PostgreSQL database and Redis, behind the local
 * balancer. Through either process: sign-up with an emailed code, a purchase (Razorpay's double:
 * the sandbox checkout keeps payments in one process's memory, so it is a one-process feature),
 * a live class whose students sit on both processes and see each other's messages; an editor's
 * publish reaches both site processes' caches (over Redis); one Strapi process killed (SIGKILL)
 * mid-class moves its students to the other, the chat carries on, and every acked message is stored.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort, PG_ADMIN_URL, testDatabase } from '../helpers/strapi';
import { startMailbox, codeIn, type Mailbox } from '../helpers/mailbox';
import { startRazorpayDouble, type RazorpayDouble } from '../helpers/razorpay-double';
import { waitFor } from '../helpers/wait';
import { untilChatState } from '../../../site/src/lib/__tests__/chat-state';
import { createChatClient, type ChatClient, type ChatState } from '../../../site/src/lib/chat-client';
import type { JoinOutcome, RealtimeGrant } from '../../../site/src/lib/live-state';

const stateOf = (client: ChatClient, test: (state: ChatState) => boolean, what: string, timeoutMs = 20_000) => untilChatState(client, test, what, timeoutMs);
const connected = (client: ChatClient) => stateOf(client, (s) => s.connection === 'connected', 'the chat to be connected');

const { startCluster } = require('../../../scripts/lib/cluster.cjs');

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const onPostgres = testDatabase === 'postgres';
const it = onPostgres ? global.it : global.it.skip;

let cluster: any;
let mailbox: Mailbox;
let razorpay: RazorpayDouble;
let db: Client;
const chats: ChatClient[] = [];

type Auth = Record<string, string>;

/** A JSON call through the API balancer (or `base`), with an optional sticky cookie. */
async function api(method: string, url: string, { auth, body, base, cookie }: { auth?: Auth; body?: unknown; base?: string; cookie?: string } = {}) {
  const response = await fetch(`${base ?? cluster.apiUrl}${url}`, {
    method,
    headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...auth, ...(cookie ? { cookie } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, body: json };
}

let counter = 0;
/** Sign-up with the emailed code, as the site does it: register, read the code, verify (each call to whichever process the balancer picks). */
async function signUp(label: string): Promise<{ email: string; auth: Auth }> {
  const email = `${label}-${Date.now()}-${++counter}@cluster.test`;
  const registered = await api('POST', '/api/auth/local/register', { body: { email, password: 'Learn@Skillyug42', displayName: `Student ${label}` } });
  expect(registered.status).toBe(200);
  const code = codeIn(await mailbox.waitFor(email));
  const verified = await api('POST', '/api/auth/otp/verify', { body: { email, code, registration: registered.body.registration } });
  expect(verified.status).toBe(200);
  return { email, auth: { Authorization: `Bearer ${verified.body.jwt}` } };
}

async function adminLogin(email: string, password: string): Promise<Auth> {
  const res = await api('POST', '/admin/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`admin login answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { Authorization: `Bearer ${res.body.data.token}` };
}

async function join(auth: Auth, sessionId: string): Promise<JoinOutcome> {
  const res = await api('GET', `/api/live/sessions/${sessionId}/join`, { auth });
  if (res.status !== 200) return { ok: false, status: res.status, message: res.body?.error?.message ?? 'refused' };
  // The browser reaches the realtime server through the balancer (PUBLIC_URL is the balancer's URL already).
  return { ok: true, data: res.body.data };
}

/** The site's chat client, stuck to one Strapi process by the balancer's cookie (as a browser that joined there). */
async function classroom(auth: Auth, sessionId: string, node: 'strapi-1' | 'strapi-2') {
  const joined = await join(auth, sessionId);
  if (!joined.ok || !joined.data.realtime) throw new Error(`join refused: ${JSON.stringify(joined)}`);
  expect(joined.data.realtime.url).toBe(cluster.apiUrl);
  const client = createChatClient({
    sessionId,
    grant: joined.data.realtime as RealtimeGrant,
    status: 'LIVE',
    refreshGrant: (id) => join(auth, id),
    extraHeaders: { cookie: `${cluster.proxies.api.cookie}=${node}` },
  });
  chats.push(client);
  client.start();
  return client;
}

const chatTexts = (client: ChatClient) => client.getState().log.messages.filter((m) => m.type === 'CHAT').map((m) => m.text);

beforeAll(async () => {
  if (!onPostgres) return;
  mailbox = await startMailbox();
  // Razorpay (its test double): the sandbox checkout keeps its payments in one process's memory.
  razorpay = await startRazorpayDouble();
  cluster = await startCluster({
    pgAdminUrl: PG_ADMIN_URL,
    redisUrl: REDIS_URL,
    redisKeyPrefix: `skillyug-test:${crypto.randomBytes(4).toString('hex')}:`,
    nodeEnv: 'test',
    freePort,
    graceSeconds: 10,
    checkIntervalMs: 250,
    env: { ...mailbox.env, ...razorpay.env, LOG_LEVEL: 'warn', SKILLYUG_ENV_FILE: path.join(os.tmpdir(), 'skillyug-test-no-env-file') },
    log: process.env.CLUSTER_TEST_LOGS ? (line: string) => console.log(line) : undefined,
  });
  db = new Client({ connectionString: cluster.databaseUrl });
  await db.connect();
}, 300_000);

afterAll(async () => {
  if (!onPostgres) return;
  for (const client of chats) client.stop();
  await db?.end().catch(() => undefined);
  await cluster?.stop();
  // The launcher deletes the keys of a prefix it made itself; this one is the test's.
  if (cluster) {
    const Redis = require('ioredis');
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${cluster.redisKeyPrefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
  await mailbox?.close();
  await razorpay?.close();
}, 120_000);

it('serves sign-up, a purchase, a live class and a publish through both processes, and survives one being killed', async () => {
  // Round-robin: consecutive requests alternate between the processes; the state they share is in PostgreSQL and Redis.
  const asha = await signUp('asha');
  const ravi = await signUp('ravi');
  const [paid] = (await db.query(`SELECT document_id, slug FROM courses WHERE published_at IS NOT NULL AND is_free = false AND price > 0 ORDER BY slug LIMIT 1`)).rows;
  const created = await api('POST', '/api/payments/orders', { auth: asha.auth, body: { courseId: paid.document_id } });
  expect(created.status).toBe(201);
  // Checkout: the customer pays at Razorpay; the browser hands its answer to verify (another process, round-robin).
  const payment = razorpay.pay(created.body.data.checkout.order_id);
  const verified = await api('POST', '/api/payments/verify', { auth: asha.auth, body: razorpay.checkoutResponse(payment) });
  expect(verified.status).toBe(200);
  expect(verified.body.data.enrollment).toMatchObject({ state: 'active', source: 'purchase' });

  // The editor publishes a course change: both site processes serve it (each process's cache dropped over Redis).
  const [course] = (await db.query(`SELECT document_id, slug, title FROM courses WHERE published_at IS NOT NULL AND slug = 'javascript-foundations'`)).rows;
  // The catalog's search page lists the course (its own page isn't cached while it has live classes).
  const page = (site: any) => fetch(`${site.url}/courses?q=javascript`).then(async (res) => ({ status: res.status, cache: res.headers.get('x-cache'), html: await res.text() }));
  for (const site of cluster.sites) {
    expect((await page(site)).status).toBe(200);
    // The second visit comes from the process's page cache.
    expect(await page(site)).toMatchObject({ status: 200, cache: 'HIT' });
  }
  const editor = await adminLogin('editor@skillyug.local', 'Skillyug@Editor1');
  const CM = '/content-manager/collection-types/api::course.course';
  const marker = `cluster-${crypto.randomBytes(3).toString('hex')}`;
  const updated = await api('PUT', `${CM}/${course.document_id}`, { auth: editor, body: { title: `${course.title} ${marker}` } });
  expect(updated.status).toBe(200);
  const published = await api('POST', `${CM}/${course.document_id}/actions/publish`, { auth: editor, body: {} });
  expect(published.status).toBe(200);
  for (const site of cluster.sites) {
    await waitFor(async () => (await page(site)).html.includes(marker), 10_000, `${site.id} serving the published title`);
  }
  for (const site of cluster.sites) expect(site.logs.join('\n')).toMatch(/catalog cache invalidated over Redis/);

  // A live class: the mentor starts it; students sit on both processes and see each other.
  const mentor = await adminLogin('ananya.rao@skillyug.local', 'Skillyug@Mentor1');
  const scheduled = await api('POST', '/api/live/sessions', { auth: mentor, body: { courseId: course.document_id, title: 'Cluster class', scheduledAt: new Date(Date.now() + 3600_000).toISOString() } });
  expect(scheduled.status).toBe(201);
  const sessionId = scheduled.body.data.id;
  expect((await api('POST', `/api/live/sessions/${sessionId}/start`, { auth: mentor, body: {} })).status).toBe(200);
  const students = [asha, ravi, await signUp('meera'), await signUp('kabir')];
  for (const student of students) expect([200, 201]).toContain((await api('POST', `/api/courses/${course.document_id}/enroll`, { auth: student.auth })).status);
  const placement = ['strapi-1', 'strapi-1', 'strapi-2', 'strapi-2'] as const;
  const clients = await Promise.all(students.map((student, i) => classroom(student.auth, sessionId, placement[i])));
  await Promise.all(clients.map(connected));
  expect(cluster.proxies.api.websockets('strapi-1')).toBe(2);
  expect(cluster.proxies.api.websockets('strapi-2')).toBe(2);

  const acked: string[] = [];
  const say = async (client: ChatClient, text: string) => {
    await connected(client);
    const result = await client.send(text);
    if (!result.ok) throw new Error(`"${text}" refused: ${JSON.stringify(result.refusal)}`);
    acked.push(text);
  };
  await Promise.all(clients.map((client, i) => say(client, `hello from ${placement[i]} #${i}`)));
  for (const client of clients) {
    await stateOf(client, () => acked.every((text) => chatTexts(client).includes(text)), 'every greeting on both processes');
  }

  // strapi-1 dies mid-class (no drain): its students reconnect through the balancer to strapi-2.
  const chatting = Promise.all(clients.map(async (client, i) => {
    // Two each: with the greeting and the last word, inside the burst limit (5) even if a message
    // spent its point on strapi-1 just before it died and again when re-sent.
    for (let m = 1; m <= 2; m++) await say(client, `during #${i}.${m}`);
  }));
  await waitFor(() => acked.some((text) => text.startsWith('during')), 10_000, 'the chat under way');
  cluster.strapis[0].kill('SIGKILL');
  expect(await cluster.strapis[0].exited).toMatchObject({ signal: 'SIGKILL' });
  await chatting;
  await Promise.all(clients.map(connected));
  await waitFor(() => cluster.proxies.api.websockets('strapi-2') === clients.length, 20_000, 'every student on strapi-2');
  await Promise.all(clients.map((client, i) => say(client, `after #${i}`)));

  // Nothing lost: every acked message is stored once, and every student's chat has them all.
  const { rows } = await db.query(`SELECT m.text FROM live_chat_messages m JOIN live_sessions s ON s.id = m.session_id WHERE s.document_id = $1 AND m.type = 'CHAT'`, [sessionId]);
  expect(rows.map((r) => r.text).sort()).toEqual([...acked].sort());
  for (const client of clients) {
    await stateOf(client, () => acked.every((text) => chatTexts(client).includes(text)), 'every message in every chat');
    expect(chatTexts(client)).toHaveLength(acked.length);
  }
  // The API still answers through the balancer (strapi-1 out of service).
  expect(cluster.proxies.api.inService('strapi-1')).toBe(false);
  expect((await api('GET', '/api/ready')).status).toBe(200);
}, 300_000);
