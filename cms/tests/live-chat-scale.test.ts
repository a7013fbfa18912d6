/**
 * The classroom across two Strapi processes on the real Redis (socket.io's Redis streams adapter,
 * shared presence and limits): messages cross processes in order, viewer counts sum both, a ban
 * on one disconnects the student on the other, and when one process is killed mid-class its
 * clients reconnect to the other and lose nothing (every client's log equals the stored history).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import crypto from 'node:crypto';
import Redis from 'ioredis';
import { startStrapi, freePort, signInNewStudent, testDatabase, type TestApp } from './helpers/strapi';
import { liveActors, scheduleSession, type LiveActors } from './helpers/live';
import { connectClient, grantOf, listen, type ClassClient } from './helpers/realtime';
import { waitFor } from './helpers/wait';

const { addMessages, emptyChatLog, resumeLog } = require('../../src-plugins/live/dist/server/realtime/chat-log');

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `skillyug-test:${crypto.randomBytes(4).toString('hex')}:`;

let app: TestApp;
let who: LiveActors;
let first: string;
let second: ChildProcess;
let secondUrl: string;
const clients: ClassClient[] = [];

async function startProcess(): Promise<{ child: ChildProcess; url: string }> {
  const ports = { LOCAL_RTMP_PORT: String(await freePort()), LOCAL_MEDIA_HTTP_PORT: String(await freePort()) };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'helpers', 'child-strapi.js')], {
      cwd: path.resolve(__dirname, '..'),
      env: { ...process.env, SEED_ON_EMPTY: 'false', ...ports },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.on('data', (chunk) => {
      const match = /LISTENING (\d+)/.exec(String(chunk));
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}` });
    });
    child.on('exit', (code) => reject(new Error(`a second Strapi exited with ${code}`)));
  });
}

async function enrolledStudent(label: string) {
  const student = await signInNewStudent(app, label);
  await app.http.post(`/api/courses/${who.course}/enroll`).set(student.auth).expect((res) => expect([200, 201]).toContain(res.status));
  return student;
}

/**
 * A classroom client as the site runs it: keeps a ChatLog, and on a lost connection reconnects
 * (to `fallback`, as a load balancer would send it to a live process) resuming after log.lastSeq.
 */
function classroom(url: string, token: string, fallback?: string) {
  const state = { log: emptyChatLog(), client: null as ClassClient | null, reconnects: 0 };
  const connect = (target: string) => {
    const client = connectClient(target, () => ({ token, lastSeq: state.log.lastSeq }));
    clients.push(client);
    client.socket.on('ready', (ready: any) => (state.log = resumeLog(state.log, ready)));
    client.socket.on('chat:message', (message: any) => (state.log = addMessages(state.log, [message])));
    client.socket.on('disconnect', (reason: string) => {
      if (reason === 'io client disconnect' || !fallback) return;
      state.reconnects += 1;
      state.client = connect(fallback);
    });
    return client;
  };
  state.client = connect(url);
  return state;
}

// Scale-out runs on PostgreSQL (README): two processes writing one SQLite file lock each other out.
const onPostgres = testDatabase === 'postgres';
const it = onPostgres ? global.it : global.it.skip;

beforeAll(async () => {
  if (!onPostgres) return;
  app = await startStrapi({ REDIS_URL, REDIS_KEY_PREFIX: prefix });
  who = await liveActors(app);
  first = await listen(app);
  ({ child: second, url: secondUrl } = await startProcess());
}, 120_000);

afterAll(async () => {
  if (!onPostgres) return;
  for (const client of clients) client.close();
  if (second && second.exitCode === null && second.signalCode === null) {
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

it('carries messages, viewer counts and bans across processes, and loses nothing when one process dies', async () => {
  const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Scale-out class' });
  await app.http.post(`/api/live/sessions/${session.id}/start`).set(who.owner.auth).send({}).expect(200);
  const [bea, chen] = [await enrolledStudent('scale-b'), await enrolledStudent('scale-c')];

  const mentor = connectClient(first, { token: (await grantOf(app, who.owner.auth, session.id)).token });
  clients.push(mentor);
  const a = classroom(first, (await grantOf(app, who.enrolled.auth, session.id)).token);
  const b = classroom(secondUrl, (await grantOf(app, bea.auth, session.id)).token, first);
  const cGrant = await grantOf(app, chen.auth, session.id);
  const c = connectClient(secondUrl, { token: cGrant.token });
  clients.push(c);
  await Promise.all([mentor.waitForEvent('ready'), a.client!.waitForEvent('ready'), b.client!.waitForEvent('ready'), c.waitForEvent('ready')]);

  // Across processes, in order, both ways.
  for (let i = 1; i <= 3; i++) expect(await a.client!.call('chat:send', { text: `from first ${i}` })).toMatchObject({ ok: true });
  for (let i = 1; i <= 3; i++) expect(await b.client!.call('chat:send', { text: `from second ${i}` })).toMatchObject({ ok: true });
  const texts = (log: any) => log.messages.filter((m: any) => m.type === 'CHAT').map((m: any) => m.text);
  const expected = ['from first 1', 'from first 2', 'from first 3', 'from second 1', 'from second 2', 'from second 3'];
  await waitFor(() => texts(a.log).length === 6 && texts(b.log).length === 6, 5_000, 'six messages on both processes');
  expect(texts(a.log)).toEqual(expected);
  expect(texts(b.log)).toEqual(expected);

  // Viewer counts sum both processes (A on the first; B and C on the second), whichever process answers.
  await waitFor(async () => (await app.http.get(`/api/live/sessions/${session.id}/viewers`).set(who.owner.auth)).body.data.current === 3, 5_000, 'three viewers');
  const viewers = await app.http.get(`/api/live/sessions/${session.id}/viewers`).set(who.owner.auth);
  expect(viewers.body.data.viewers.map((v: any) => v.userId).sort()).toEqual([who.enrolled.id, bea.id, chen.id].sort());
  await mentor.waitForEvent('presence:count', (p) => p.viewers === 3);

  // A ban on the first process disconnects the student on the second.
  expect(await mentor.call('chat:ban', { userId: chen.id })).toEqual({ ok: true });
  expect(await c.waitForEvent('bye')).toMatchObject({ reason: 'banned' });
  await waitFor(() => !c.socket.connected, 5_000, 'the banned student disconnected from the other process');

  // Kill the second process mid-class while the class keeps talking (three senders, within the
  // per-student limits): B reconnects to the first process and loses nothing.
  const senders = [who.owner.auth, (await enrolledStudent('scale-d')).auth, (await enrolledStudent('scale-e')).auth];
  const sending = (async () => {
    for (let i = 1; i <= 12; i++) {
      await app.http.post(`/api/live/sessions/${session.id}/chat`).set(senders[i % 3]).send({ text: `during ${i}` }).expect(201);
    }
  })();
  await waitFor(() => texts(b.log).some((t: string) => t.startsWith('during')), 5_000, 'B receiving');
  second.kill('SIGKILL');
  await sending;
  await waitFor(() => b.reconnects === 1 && b.client!.ready(), 10_000, 'B back on the first process');
  await waitFor(() => texts(b.log).filter((t: string) => t.startsWith('during')).length === 12, 10_000, 'B caught up');

  const history = await app.http.get(`/api/live/sessions/${session.id}/chat?limit=200`).set(who.owner.auth).expect(200);
  const stored = history.body.data.messages.map((m: any) => m.seq);
  for (const state of [a, b]) {
    await waitFor(() => state.log.lastSeq === history.body.data.lastSeq, 5_000, 'every client at the last seq');
    expect(state.log.messages.map((m: any) => m.seq)).toEqual(stored);
  }
}, 90_000);

it('tells its clients to reconnect elsewhere when a process shuts down (SIGTERM), instead of cutting them off', async () => {
  const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Rolling deploy' });
  const { child, url } = await startProcess();
  const client = connectClient(url, { token: (await grantOf(app, who.enrolled.auth, session.id)).token });
  clients.push(client);
  await client.waitForEvent('ready');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  expect(await client.waitForEvent('bye', undefined, 10_000)).toMatchObject({ reason: 'shutdown', reconnect: true });
  // A transport close (not a server-side disconnect) is what socket.io clients reconnect after by themselves.
  expect(await client.waitForEvent('disconnect', undefined, 10_000)).toBe('transport close');
  const order = client.events.map((e) => e.name);
  expect(order.indexOf('bye')).toBeLessThan(order.indexOf('disconnect'));
  await exited;
}, 60_000);

it('counts 200 concurrent voters across two processes exactly, and pushes the right totals to both', async () => {
  const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Two-process poll' });
  await app.http.post(`/api/live/sessions/${session.id}/start`).set(who.owner.auth).send({}).expect(200);
  const mentor = connectClient(first, { token: (await grantOf(app, who.owner.auth, session.id)).token });
  clients.push(mentor);
  await mentor.waitForEvent('ready');

  // The first test killed the original second process: this one gets its own.
  const other = await startProcess();
  const students = [];
  for (let batch = 0; batch < 10; batch++) students.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => enrolledStudent(`voter-${batch}-${i}`)))));
  const voters = await Promise.all(
    students.map(async (student, i) => {
      const client = connectClient(i % 2 ? other.url : first, { token: (await grantOf(app, student.auth, session.id)).token });
      clients.push(client);
      await client.waitForEvent('ready', undefined, 30_000);
      return client;
    })
  );
  const { poll } = await mentor.call('poll:create', { poll: { question: 'Which one?', options: ['A', 'B', 'C', 'D'] }, launch: true });
  await Promise.all(voters.map((v) => v.waitForEvent('poll:updated', (p) => p.id === poll.id && p.state === 'open', 10_000)));

  const acks = await Promise.all(voters.map((v, i) => v.call('poll:vote', { id: poll.id, option: i % 4 })));
  expect(acks.filter((ack) => !ack.ok)).toEqual([]);
  // A second vote from anyone, on either process, is refused.
  expect(await voters[1].call('poll:vote', { id: poll.id, option: 0 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });

  await mentor.waitForEvent('poll:results', (r) => r.id === poll.id && r.total === 200, 10_000);
  expect(await mentor.call('poll:reveal', { id: poll.id })).toMatchObject({ ok: true, poll: { results: { counts: [50, 50, 50, 50], total: 200 } } });
  // A student on the other process sees the final count once revealed.
  const seen = await voters[1].waitForEvent('poll:updated', (p) => p.id === poll.id && p.revealed, 10_000);
  expect(seen.results).toEqual({ counts: [50, 50, 50, 50], total: 200 });
  const stored = await app.strapi.db.query('plugin::live.live-poll-vote').count({ where: { pollId: poll.id } });
  expect(stored).toBe(200);
  for (const client of clients.splice(0)) client.close();
  const exited = new Promise((resolve) => other.child.once('exit', resolve));
  other.child.kill('SIGTERM');
  await exited;
}, 240_000);
