/**
 * Graceful shutdown under load, on PostgreSQL and Redis: two Strapi processes (A, a child process;
 * B, this worker's) behind the local balancer of `npm run ops:cluster` (scripts/lib/proxy.cjs).
 * Students sit on A (its sticky cookie) with the site's own chat client; A gets SIGTERM while
 * they flood the chat and more students join. A answers readiness 503 while it drains, every
 * client ends up on B, every message sent is stored exactly once (the client re-sends what wasn't
 * acked with the same clientId; the server stores a clientId once), every join succeeds, and A
 * exits 0 within SHUTDOWN_GRACE_SECONDS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import crypto from 'node:crypto';
import Redis from 'ioredis';
import { startStrapi, freePort, signInNewStudent, testDatabase, type TestApp } from '../helpers/strapi';
import { liveActors, scheduleSession, type LiveActors } from '../helpers/live';
import { connectClient, listen, type ClassClient } from '../helpers/realtime';
import { waitFor } from '../helpers/wait';
import { untilChatState } from '../../../site/src/lib/__tests__/chat-state';
import { createChatClient, type ChatClient, type ChatState } from '../../../site/src/lib/chat-client';
import type { JoinOutcome, RealtimeGrant } from '../../../site/src/lib/live-state';

const stateOf = (client: ChatClient, test: (state: ChatState) => boolean, what: string, timeoutMs = 20_000) => untilChatState(client, test, what, timeoutMs);
const connected = (client: ChatClient) => stateOf(client, (s) => s.connection === 'connected', 'the chat to be connected');

const { createProxy } = require('../../../scripts/lib/proxy.cjs');

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `skillyug-test:${crypto.randomBytes(4).toString('hex')}:`;
const GRACE_SECONDS = 10;
const FLOOD_STUDENTS = 16;
/** Each student's burst allowance (CHAT_RATE.burst): the flood stays inside the limits. */
const MESSAGES_EACH = 5;
const STORM_STUDENTS = 12;

const onPostgres = testDatabase === 'postgres';
const it = onPostgres ? global.it : global.it.skip;

let app: TestApp;
let who: LiveActors;
let nodeB: string;
let nodeA: { child: ChildProcess; url: string; exited: Promise<{ code: number | null; signal: string | null }>; logs: string[] };
let proxy: any;
let balancer: string;
const chats: ChatClient[] = [];
const raw: ClassClient[] = [];

/** Strapi on the same database and Redis as this worker's, in a child process (SIGTERM goes to it alone). */
async function startChild() {
  const ports = { LOCAL_RTMP_PORT: String(await freePort()), LOCAL_MEDIA_HTTP_PORT: String(await freePort()) };
  const logs: string[] = [];
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'helpers', 'child-strapi.js')], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: { ...process.env, SEED_ON_EMPTY: 'false', LOG_LEVEL: 'info', ...ports },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.stderr!.on('data', (chunk) => logs.push(String(chunk)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      logs.push(String(chunk));
      const match = /LISTENING (\d+)/.exec(String(chunk));
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
    });
    void exited.then(({ code }) => reject(new Error(`Strapi A exited with ${code} while starting:\n${logs.join('')}`)));
  });
  return { child, url, exited, logs };
}

async function enrolledStudent(label: string) {
  const student = await signInNewStudent(app, label);
  await app.http.post(`/api/courses/${who.course}/enroll`).set(student.auth).expect((res) => expect([200, 201]).toContain(res.status));
  return student;
}

/** A join through `base` (the balancer, or a node), as the site's server makes it for the browser. */
async function join(base: string, auth: Record<string, string>, sessionId: string, cookie?: string): Promise<JoinOutcome> {
  const response = await fetch(`${base}/api/live/sessions/${sessionId}/join`, { headers: { ...auth, ...(cookie ? { cookie } : {}) } });
  const body = (await response.json()) as any;
  if (!response.ok) return { ok: false, status: response.status, message: body?.error?.message ?? 'refused' };
  // The browser reaches the realtime server where it reaches the API: the balancer.
  return { ok: true, data: { ...body.data, realtime: body.data.realtime ? { ...body.data.realtime, url: balancer } : null } };
}

/** The site's chat client for a student, through the balancer (with A's sticky cookie when `sticky`). */
async function classroom(auth: Record<string, string>, sessionId: string, sticky?: string) {
  const joined = await join(balancer, auth, sessionId, sticky);
  if (!joined.ok || !joined.data.realtime) throw new Error(`join refused: ${JSON.stringify(joined)}`);
  const client = createChatClient({
    sessionId,
    grant: joined.data.realtime as RealtimeGrant,
    status: 'LIVE',
    refreshGrant: (id) => join(balancer, auth, id),
    ...(sticky ? { extraHeaders: { cookie: sticky } } : {}),
  });
  chats.push(client);
  client.start();
  return client;
}


beforeAll(async () => {
  if (!onPostgres) return;
  app = await startStrapi({ REDIS_URL, REDIS_KEY_PREFIX: prefix, SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS) });
  who = await liveActors(app);
  nodeB = await listen(app);
  nodeA = await startChild();
  proxy = createProxy({ name: 'api', targets: [{ id: 'a', url: nodeA.url }, { id: 'b', url: nodeB }], checkIntervalMs: 200 });
  balancer = await proxy.listen(0);
}, 180_000);

afterAll(async () => {
  if (!onPostgres) return;
  for (const client of chats) client.stop();
  for (const client of raw) client.close();
  await proxy?.close();
  if (nodeA && nodeA.child.exitCode === null && nodeA.child.signalCode === null) {
    nodeA.child.kill('SIGKILL');
    await nodeA.exited;
  }
  await app?.stop();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

it('stores a message re-sent with the same clientId once, whichever process each copy reaches', async () => {
  const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Re-send class' });
  await app.http.post(`/api/live/sessions/${session.id}/start`).set(who.owner.auth).send({}).expect(200);
  const grant = await join(nodeB, who.enrolled.auth, session.id);
  if (!grant.ok) throw new Error('join refused');
  const token = grant.data.realtime!.token;
  const [onA, onB] = [connectClient(nodeA.url, { token }), connectClient(nodeB, { token })];
  raw.push(onA, onB);
  await Promise.all([onA.waitForEvent('ready'), onB.waitForEvent('ready')]);

  const first = await onA.call('chat:send', { text: 'only once', clientId: 'resend-1' });
  const again = await onB.call('chat:send', { text: 'only once', clientId: 'resend-1' });
  const racing = await Promise.all([onA.call('chat:send', { text: 'raced', clientId: 'resend-2' }), onB.call('chat:send', { text: 'raced', clientId: 'resend-2' })]);
  expect(first).toMatchObject({ ok: true, clientId: 'resend-1' });
  expect(again).toMatchObject({ ok: true, message: { seq: first.message.seq } });
  expect(racing[0]).toMatchObject({ ok: true });
  expect(racing[1]).toMatchObject({ ok: true, message: { seq: racing[0].message.seq } });
  // Another student's clientId is theirs: the same id stores their message.
  const other = await enrolledStudent('resend-other');
  const otherGrant = await join(nodeB, other.auth, session.id);
  if (!otherGrant.ok) throw new Error('join refused');
  const theirs = connectClient(nodeB, { token: otherGrant.data.realtime!.token });
  raw.push(theirs);
  await theirs.waitForEvent('ready');
  expect(await theirs.call('chat:send', { text: 'mine', clientId: 'resend-1' })).toMatchObject({ ok: true, message: { text: 'mine' } });

  const history = await app.http.get(`/api/live/sessions/${session.id}/chat?limit=50`).set(who.owner.auth).expect(200);
  expect(history.body.data.messages.filter((m: any) => m.type === 'CHAT').map((m: any) => m.text)).toEqual(['only once', 'raced', 'mine']);
  for (const client of [onA, onB, theirs]) client.close();
});

it('drains on SIGTERM during a chat flood and a join storm: everyone moves to the other process, nothing lost or doubled', async () => {
  const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Shutdown class' });
  await app.http.post(`/api/live/sessions/${session.id}/start`).set(who.owner.auth).send({}).expect(200);
  const flooders = await Promise.all(Array.from({ length: FLOOD_STUDENTS }, (_, i) => enrolledStudent(`flood-${i}`)));
  const stormers = await Promise.all(Array.from({ length: STORM_STUDENTS }, (_, i) => enrolledStudent(`storm-${i}`)));

  // Everyone in the class sits on A (the balancer's sticky cookie for A, as their browsers would send it).
  const stickyA = `${proxy.cookie}=a`;
  const clients = await Promise.all(flooders.map((student) => classroom(student.auth, session.id, stickyA)));
  await Promise.all(clients.map(connected));
  await waitFor(() => proxy.websockets('a') === FLOOD_STUDENTS, 10_000, 'every student on A');

  // A watcher on A itself hears the notice and the moment A closes its transports.
  const watcherGrant = await join(nodeA.url, who.enrolled.auth, session.id);
  if (!watcherGrant.ok) throw new Error('join refused');
  const watcher = connectClient(nodeA.url, { token: watcherGrant.data.realtime!.token });
  raw.push(watcher);
  await watcher.waitForEvent('ready');

  // The flood, in waves of one message per student: before SIGTERM, while A drains, at the very
  // moment A closes the transports (acks lost in flight: re-sent to B), and on B afterwards.
  // "Offline" (between the transport closing and B's `ready`) means not sent: the student waits
  // for the connection and sends that text again, as a person would.
  const sent: string[] = [];
  const failures: string[] = [];
  async function sendReliably(client: ChatClient, text: string) {
    for (;;) {
      await connected(client);
      const result = await client.send(text);
      if (result.ok) return void sent.push(text);
      if (result.refusal.code === 'offline' && result.refusal.message === 'offline') continue;
      return void failures.push(`${text}: ${result.refusal.code} ${result.refusal.message}`);
    }
  }
  const wave = (m: number) => Promise.all(clients.map((client, s) => sendReliably(client, `s${s} m${m}`)));
  await wave(1);

  const signalledAt = Date.now();
  nodeA.child.kill('SIGTERM');

  // The join storm, through the balancer (no cookie: round-robin), while A drains.
  const storm = stormers.map(async (student) => {
    const client = await classroom(student.auth, session.id);
    await connected(client);
    return client;
  });

  // While draining, A still answers — readiness 503 "shutting down" — so the balancer takes it out.
  const draining = await waitFor(async () => {
    const res = await fetch(`${nodeA.url}/api/ready`).catch(() => null);
    return res && res.status === 503 ? { status: res.status, body: await res.json() } : null;
  }, 5_000, 'A answering readiness 503');
  expect(draining.body).toMatchObject({ status: 'unavailable', down: ['shutting down'] });
  const duringNotice = wave(2);
  await new Promise<void>((resolve) => (proxy.inService('a') ? proxy.events.once('out', () => resolve()) : resolve()));
  expect(watcher.events.find((e) => e.name === 'server:draining')?.payload).toMatchObject({ message: expect.any(String) });
  // A transport close (not a server-side disconnect): what socket.io clients reconnect after by themselves.
  expect(await watcher.waitForEvent('disconnect', undefined, GRACE_SECONDS * 1000)).toBe('transport close');
  const atClose = wave(3);
  await Promise.all([duringNotice, atClose]);
  await wave(4);
  await wave(5);

  const exit = await nodeA.exited;
  const tookMs = Date.now() - signalledAt;
  expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
  expect(tookMs).toBeLessThan(GRACE_SECONDS * 1000);

  const stormClients = await Promise.all(storm);
  expect(failures).toEqual([]);
  expect(sent).toHaveLength(FLOOD_STUDENTS * MESSAGES_EACH);

  // Every client reconnected — to B, the only process left — and resumed.
  await Promise.all([...clients, ...stormClients].map(connected));
  for (const client of clients) expect(client.getState().resumes).toBeGreaterThanOrEqual(1);
  await waitFor(() => proxy.websockets('b') === FLOOD_STUDENTS + STORM_STUDENTS, 10_000, 'every client on B');

  // Stored exactly once: the database holds each text sent, once.
  const row = await app.strapi.db.query('plugin::live.live-session').findOne({ where: { documentId: session.id }, select: ['id'] });
  const stored = await app.strapi.db.query('plugin::live.live-chat-message').findMany({ where: { sessionId: row.id, type: 'CHAT' }, select: ['text', 'clientId'] });
  expect(stored).toHaveLength(sent.length);
  expect(stored.map((m: any) => m.text).sort()).toEqual([...sent].sort());
  expect(stored.every((m: any) => typeof m.clientId === 'string' && m.clientId.length > 0)).toBe(true);

  // And every student's chat shows all of them, in one order, without gaps.
  const everything = new Set(sent);
  for (const client of [...clients, ...stormClients]) {
    await stateOf(client, (s) => s.log.messages.filter((m) => m.type === 'CHAT' && everything.has(m.text)).length === everything.size, 'every message in every chat');
  }
  // A said why it went away, in its log.
  expect(nodeA.logs.join('')).toMatch(/\[shutdown\] SIGTERM: draining/);
}, 180_000);
