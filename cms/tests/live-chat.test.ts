/**
 * The live classroom's chat over socket.io, against the booted Strapi (both engines): credentials
 * and refusals, messages in order, history with cursors, moderation seen by everyone, slow mode
 * and rate limits, hostile clients, and resuming after a disconnect with exactly what was missed.
 */
import { startStrapi, signInNewStudent, type TestApp } from './helpers/strapi';
import { liveActors, scheduleSession, type LiveActors } from './helpers/live';
import { connectClient, grantOf, listen, type ClassClient } from './helpers/realtime';
import { waitFor } from './helpers/wait';

const { signRealtimeToken } = require('../../src-plugins/live/dist/server/realtime/token');
const { derivedSecret } = require('../../src-plugins/live/dist/server/utils/signed-token');

let app: TestApp;
let who: LiveActors;
let baseUrl: string;
const clients: ClassClient[] = [];

async function enrolledStudent(label: string) {
  const student = await signInNewStudent(app, label);
  const res = await app.http.post(`/api/courses/${who.course}/enroll`).set(student.auth);
  if (res.status !== 200 && res.status !== 201) throw new Error(`enroll answered ${res.status}`);
  return student;
}

async function liveSession(title = 'Chat class') {
  const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title });
  const started = await app.http.post(`/api/live/sessions/${session.id}/start`).set(who.owner.auth).send({});
  if (started.status !== 200) throw new Error(`start answered ${started.status}`);
  return session.id;
}

/** Connects with a join's grant and waits for `ready`. */
async function join(auth: Record<string, string>, sessionId: string, lastSeq?: number) {
  const grant = await grantOf(app, auth, sessionId);
  const client = connectClient(baseUrl, () => ({ token: grant.token, ...(lastSeq !== undefined ? { lastSeq } : {}) }));
  clients.push(client);
  await client.waitForEvent('ready');
  return Object.assign(client, { grant });
}

const refusalOf = (client: ClassClient) => client.waitForEvent('connect_error').then((e) => e.data);

beforeAll(async () => {
  app = await startStrapi();
  who = await liveActors(app);
  baseUrl = await listen(app);
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  await app?.stop();
});

describe('credentials', () => {
  it('gives enrolled students a read/send token and the mentor a moderating one; strangers get none', async () => {
    const sessionId = await liveSession();
    const student = await grantOf(app, who.enrolled.auth, sessionId);
    expect(student.capabilities).toEqual(['read', 'send']);
    expect(student.path).toBe('/realtime/');
    const mentor = await grantOf(app, who.owner.auth, sessionId);
    expect(mentor.capabilities).toEqual(['read', 'send', 'moderate']);
    const stranger = await app.http.get(`/api/live/sessions/${sessionId}/join`).set(who.stranger.auth);
    expect(stranger.status).toBe(403);
    expect(JSON.stringify(stranger.body)).not.toMatch(/token/i);
  });

  it('refuses a handshake without a token, with a forged or expired one, and for a class that is over', async () => {
    const sessionId = await liveSession();
    const secret = derivedSecret({ DATA_ENCRYPTION_KEY: process.env.DATA_ENCRYPTION_KEY }, 'realtime');
    const claims = { sessionId, userId: who.enrolled.id, kind: 'student', role: 'student', name: 'x', capabilities: ['read', 'send', 'moderate'] };
    const cases: [string, Record<string, unknown>, string][] = [
      ['no token', {}, 'no-token'],
      ['garbage', { token: 'x'.repeat(40) }, 'bad-token'],
      ['forged', { token: signRealtimeToken('not-the-secret', { ...claims, expiresAt: Math.floor(Date.now() / 1000) + 60 }) }, 'bad-token'],
      ['expired', { token: signRealtimeToken(secret, { ...claims, expiresAt: Math.floor(Date.now() / 1000) - 1 }) }, 'expired-token'],
      ['unknown fields', { token: 'x'.repeat(40), admin: true }, 'bad-token'],
    ];
    for (const [label, auth, code] of cases) {
      const client = connectClient(baseUrl, auth);
      clients.push(client);
      const refusal = await refusalOf(client);
      expect([label, refusal.code]).toEqual([label, code]);
      expect(refusal.message).toEqual(expect.any(String));
      expect(client.events.some((e) => e.name === 'ready')).toBe(false);
    }

    const grant = await grantOf(app, who.enrolled.auth, sessionId);
    await app.http.post(`/api/live/sessions/${sessionId}/end`).set(who.owner.auth).send({}).expect(200);
    const late = connectClient(baseUrl, { token: grant.token });
    clients.push(late);
    expect((await refusalOf(late)).code).toBe('class-over');
  });
});

describe('chat', () => {
  it('delivers messages to everyone in order with names and stores them with seq and stream offset', async () => {
    const sessionId = await liveSession();
    const other = await enrolledStudent('chat-other');
    const a = await join(who.enrolled.auth, sessionId);
    const b = await join(other.auth, sessionId);
    const mentor = await join(who.owner.auth, sessionId);
    expect(a.ready()).toMatchObject({ session: { id: sessionId, status: 'LIVE' }, me: { role: 'student', capabilities: ['read', 'send'] } });

    for (let i = 1; i <= 5; i++) {
      const ack = await (i % 2 ? a : b).call('chat:send', { text: `message ${i}`, clientId: `c${i}` });
      expect(ack).toMatchObject({ ok: true, clientId: `c${i}`, message: { type: 'CHAT', text: `message ${i}` } });
    }
    const ack = await mentor.call('chat:send', { text: 'Mentor here <b>not bold</b>' });
    expect(ack.message.author).toMatchObject({ role: 'mentor', name: 'Ananya Rao' });

    for (const client of [a, b, mentor]) {
      await waitFor(() => client.messages().filter((m) => m.type === 'CHAT').length === 6, 5_000, 'six messages');
      const chat = client.messages().filter((m) => m.type === 'CHAT');
      expect(chat.map((m) => m.text)).toEqual(['message 1', 'message 2', 'message 3', 'message 4', 'message 5', 'Mentor here <b>not bold</b>']);
      const seqs = chat.map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(6);
    }
    const first = a.messages().find((m) => m.text === 'message 1');
    expect(first.offsetMs).toEqual(expect.any(Number));
    expect(first.offsetMs).toBeGreaterThanOrEqual(0);
    // Arrival order equals seq order for every client.
    const arrived = b.events.filter((e) => e.name === 'chat:message').map((e) => e.payload.seq);
    expect(arrived).toEqual([...arrived].sort((x, y) => x - y));
  });

  it('serves history with cursors over REST to participants only, and sends over HTTP too', async () => {
    const sessionId = await liveSession();
    const posted: number[] = [];
    for (let i = 1; i <= 7; i++) {
      const res = await app.http.post(`/api/live/sessions/${sessionId}/chat`).set(i % 2 ? who.enrolled.auth : who.owner.auth).send({ text: `h${i}` });
      if (res.status === 429) break;
      expect(res.status).toBe(201);
      posted.push(res.body.data.seq);
    }
    expect(posted.length).toBeGreaterThanOrEqual(5);
    const url = `/api/live/sessions/${sessionId}/chat`;
    const latest = await app.http.get(`${url}?limit=3`).set(who.enrolled.auth).expect(200);
    const chatOnly = (list: any[]) => list.filter((m) => m.type === 'CHAT');
    expect(latest.body.data.hasMore).toBe(true);
    const page = latest.body.data.messages;
    expect(page.map((m: any) => m.seq)).toEqual([...page.map((m: any) => m.seq)].sort((x: number, y: number) => x - y));
    const older = await app.http.get(`${url}?before=${page[0].seq}&limit=200`).set(who.enrolled.auth).expect(200);
    expect(older.body.data.messages.every((m: any) => m.seq < page[0].seq)).toBe(true);
    const all = [...older.body.data.messages, ...page];
    expect(chatOnly(all).map((m) => m.text)).toEqual(posted.map((_, i) => `h${i + 1}`));
    const after = await app.http.get(`${url}?after=${posted[1]}`).set(who.owner.auth).expect(200);
    expect(after.body.data.messages[0].seq).toBe(posted[1] + 1);

    for (const [query, field] of [['?before=1&after=2', 'before or after'], ['?limit=0', 'limit'], ['?limit=abc', 'limit'], ['?cursor=1', 'cursor']]) {
      const bad = await app.http.get(`${url}${query}`).set(who.enrolled.auth);
      expect([query, bad.status]).toEqual([query, 400]);
      expect(bad.body.error.message).toContain(field);
    }
    expect((await app.http.get(url).set(who.stranger.auth)).status).toBe(403);
    expect((await app.http.get(url)).status).toBe(403);
    expect((await app.http.post(url).set(who.enrolled.auth).send({ text: '' })).status).toBe(400);
    expect((await app.http.post(url).set(who.enrolled.auth).send({ text: 'x'.repeat(501) })).status).toBe(400);
    expect((await app.http.post(url).set(who.enrolled.auth).send({ text: 'bell\u0007' })).status).toBe(400);
  });

  it('gives a late joiner the recent history, and a reconnecting client exactly what it missed', async () => {
    const sessionId = await liveSession();
    const other = await enrolledStudent('chat-resume');
    const a = await join(who.enrolled.auth, sessionId);
    const mentor = await join(who.owner.auth, sessionId);
    for (let i = 1; i <= 3; i++) expect(await mentor.call('chat:send', { text: `before ${i}` })).toMatchObject({ ok: true });
    const b = await join(other.auth, sessionId);
    expect(b.ready().messages.filter((m: any) => m.type === 'CHAT').map((m: any) => m.text)).toEqual(['before 1', 'before 2', 'before 3']);
    const lastSeen = Math.max(...b.messages().map((m) => m.seq));
    b.close();
    await waitFor(() => !b.socket.connected, 2_000, 'the disconnect');
    for (let i = 1; i <= 4; i++) expect(await a.call('chat:send', { text: `missed ${i}` })).toMatchObject({ ok: true });
    const back = await join(other.auth, sessionId, lastSeen);
    const resumed = back.ready();
    expect(resumed.fromSeq).toBe(lastSeen);
    expect(resumed.messages.map((m: any) => m.text)).toEqual(['missed 1', 'missed 2', 'missed 3', 'missed 4']);
    expect(resumed.truncated).toBe(false);
    const sync = await back.call('chat:sync', { afterSeq: lastSeen + 2 });
    expect(sync.messages.map((m: any) => m.text)).toEqual(['missed 3', 'missed 4']);
  });
});

describe('the class around the chat', () => {
  it('tells the room when the class starts and ends, with system messages, then closes the chat', async () => {
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Waiting room chat' });
    const waiting = await join(who.enrolled.auth, session.id);
    expect(waiting.ready().session.status).toBe('SCHEDULED');
    expect(await waiting.call('chat:send', { text: 'early bird' })).toMatchObject({ ok: true, message: { offsetMs: null } });
    await app.http.post(`/api/live/sessions/${session.id}/start`).set(who.owner.auth).send({}).expect(200);
    expect(await waiting.waitForEvent('session:status')).toMatchObject({ status: 'LIVE', startedAt: expect.any(String) });
    await waiting.waitForEvent('chat:message', (m) => m.type === 'SYSTEM' && m.system.event === 'class-started');
    await app.http.post(`/api/live/sessions/${session.id}/end`).set(who.owner.auth).send({}).expect(200);
    await waiting.waitForEvent('chat:message', (m) => m.system?.event === 'class-ended');
    expect(await waiting.waitForEvent('bye')).toMatchObject({ reason: 'class-over', reconnect: false });
    await waitFor(() => !waiting.socket.connected, 3_000, 'the chat closed');
    // The history stays readable after the class; sending is over.
    const history = await app.http.get(`/api/live/sessions/${session.id}/chat`).set(who.enrolled.auth).expect(200);
    expect(history.body.data.messages.map((m: any) => m.system?.event ?? m.text)).toEqual(['early bird', 'class-started', 'class-ended']);
    const late = await app.http.post(`/api/live/sessions/${session.id}/chat`).set(who.enrolled.auth).send({ text: 'hello?' });
    expect(late.status).toBe(409);
  });

  it('falls back to long-polling, and answers unclaimed WebSocket paths with 404', async () => {
    const sessionId = await liveSession();
    const grant = await grantOf(app, who.enrolled.auth, sessionId);
    const polling = connectClient(baseUrl, { token: grant.token }, { transports: ['polling'] });
    clients.push(polling);
    await polling.waitForEvent('ready');
    expect(polling.socket.io.engine.transport.name).toBe('polling');
    expect(await polling.call('chat:send', { text: 'over polling' })).toMatchObject({ ok: true });

    const { WebSocket } = require('ws');
    const stray = new WebSocket(`${baseUrl.replace('http', 'ws')}/somewhere-else`);
    const status = await new Promise((resolve) => {
      stray.on('unexpected-response', (_req: unknown, res: { statusCode: number }) => resolve(res.statusCode));
      stray.on('error', () => resolve('error'));
    });
    expect(status).toBe(404);
  });
});

describe('moderation', () => {
  it('deletes a message for everyone and from history; mutes; bans (disconnects, removes messages, refuses rejoin)', async () => {
    const sessionId = await liveSession();
    const troll = await enrolledStudent('chat-troll');
    const student = await join(who.enrolled.auth, sessionId);
    const bad = await join(troll.auth, sessionId);
    const mentor = await join(who.owner.auth, sessionId);

    const spam = await bad.call('chat:send', { text: 'spam one' });
    await bad.call('chat:send', { text: 'spam two' });
    const fine = await student.call('chat:send', { text: 'a fine question' });

    // Students can't moderate.
    expect(await student.call('chat:delete', { seq: spam.message.seq })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await mentor.call('chat:delete', { seq: spam.message.seq })).toEqual({ ok: true });
    const removal = await student.waitForEvent('chat:message', (m) => m.system?.event === 'message-deleted');
    expect(removal.system.removed).toEqual([spam.message.seq]);
    const history = await app.http.get(`/api/live/sessions/${sessionId}/chat`).set(who.enrolled.auth).expect(200);
    expect(history.body.data.messages.map((m: any) => m.text)).not.toContain('spam one');
    expect(await mentor.call('chat:delete', { seq: spam.message.seq })).toMatchObject({ ok: false, error: { code: 'not-found' } });

    const mute = await mentor.call('chat:mute', { userId: troll.id, minutes: 5 });
    expect(mute).toMatchObject({ ok: true, until: expect.any(String) });
    await bad.waitForEvent('chat:muted', (p) => p.until !== null);
    expect(await bad.call('chat:send', { text: 'still here' })).toMatchObject({ ok: false, error: { code: 'muted', until: mute.until } });
    await mentor.call('chat:mute', { userId: troll.id, minutes: 0 });
    expect(await bad.call('chat:send', { text: 'sorry' })).toMatchObject({ ok: true });

    expect(await mentor.call('chat:ban', { userId: troll.id, reason: 'spam' })).toEqual({ ok: true });
    const bye = await bad.waitForEvent('bye');
    expect(bye).toMatchObject({ reason: 'banned', reconnect: false });
    await waitFor(() => !bad.socket.connected, 3_000, 'the banned student disconnected');
    const banNotice = await student.waitForEvent('chat:message', (m) => m.system?.event === 'user-banned');
    expect(banNotice.system.removed.length).toBe(2); // 'spam two' and 'sorry'
    const after = await app.http.get(`/api/live/sessions/${sessionId}/chat`).set(who.owner.auth).expect(200);
    expect(after.body.data.messages.filter((m: any) => m.author?.id === troll.id)).toEqual([]);
    expect(after.body.data.messages.map((m: any) => m.text)).toContain(fine.message.text);

    const rejoin = await app.http.get(`/api/live/sessions/${sessionId}/join`).set(troll.auth);
    expect(rejoin.status).toBe(403);
    expect(rejoin.body.error.message).toMatch(/removed/);
    const socketAgain = connectClient(baseUrl, { token: bad.grant.token });
    clients.push(socketAgain);
    expect((await refusalOf(socketAgain)).code).toBe('banned');

    const log = await app.http.get(`/api/live/sessions/${sessionId}/moderation`).set(who.admin.auth).expect(200);
    expect(log.body.data.map((e: any) => e.action)).toEqual(['ban', 'unmute', 'mute', 'delete']);
    expect(log.body.data[0]).toMatchObject({ moderator: { name: 'Ananya Rao' }, target: { userId: troll.id } });
    expect((await app.http.get(`/api/live/sessions/${sessionId}/moderation`).set(who.enrolled.auth)).status).toBe(403);
    expect((await app.http.get(`/api/live/sessions/${sessionId}/moderation`).set(who.otherMentor.auth)).status).toBe(403);
  });

  it('holds students to slow mode and to the rate limits with a clear wait', async () => {
    const sessionId = await liveSession();
    const student = await join(who.enrolled.auth, sessionId);
    const mentor = await join(who.owner.auth, sessionId);
    expect(await mentor.call('chat:slow-mode', { seconds: 30 })).toEqual({ ok: true, seconds: 30 });
    expect(await mentor.call('chat:slow-mode', { seconds: 7 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    await student.waitForEvent('chat:message', (m) => m.system?.event === 'slow-mode' && m.system.slowModeSeconds === 30);
    expect(await student.call('chat:send', { text: 'one' })).toMatchObject({ ok: true });
    const slowed = await student.call('chat:send', { text: 'two' });
    expect(slowed).toMatchObject({ ok: false, error: { code: 'slow-mode', retryAfterSeconds: expect.any(Number) } });
    expect(slowed.error.message).toMatch(/Try again in \d+ s/);
    // The mentor isn't slowed.
    expect(await mentor.call('chat:send', { text: 'm1' })).toMatchObject({ ok: true });
    expect(await mentor.call('chat:send', { text: 'm2' })).toMatchObject({ ok: true });
    await mentor.call('chat:slow-mode', { seconds: 0 });

    const other = await enrolledStudent('chat-fast');
    const fast = await join(other.auth, sessionId);
    const acks = [];
    for (let i = 0; i < 8; i++) acks.push(await fast.call('chat:send', { text: `fast ${i}` }));
    expect(acks.slice(0, 5).every((a) => a.ok)).toBe(true);
    expect(acks[5]).toMatchObject({ ok: false, error: { code: 'rate-limited', retryAfterSeconds: expect.any(Number) } });
  });
});

describe('hostile clients', () => {
  it('answers unknown, malformed, oversized and flooding events with errors, and stays up', async () => {
    const sessionId = await liveSession();
    const client = await join(who.enrolled.auth, sessionId);
    expect(await client.call('admin:everything', {})).toMatchObject({ ok: false, error: { code: 'unknown-event' } });
    expect(await client.call('chat:send', { text: 42 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await client.call('chat:send', { text: 'hi', extra: true })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await client.call('chat:send', 'just a string')).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await client.call('chat:send', { text: 'x'.repeat(5_000) })).toMatchObject({ ok: false, error: { code: 'too-large' } });
    expect(await client.call('chat:sync', { afterSeq: -1 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await client.call('chat:delete', { seq: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // A flood: everything past the per-second budget is refused, nothing crashes.
    const flood = await Promise.all(Array.from({ length: 40 }, () => client.call('chat:sync', { afterSeq: 0 }).catch(() => null)));
    expect(flood.filter((a) => a && a.ok === false && a.error.code === 'rate-limited').length).toBeGreaterThan(0);
    // A packet over the transport limit closes that connection only.
    client.socket.emit('chat:send', { text: 'y'.repeat(100_000) });
    await waitFor(() => !client.socket.connected, 5_000, 'the oversized client cut off');

    const healthy = await join(who.enrolled.auth, sessionId);
    expect(await healthy.call('chat:sync', { afterSeq: 0 })).toMatchObject({ ok: true });
    await app.http.get('/_health').expect(204);
  });
});
