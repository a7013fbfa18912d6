/**
 * CHAT_PROVIDER=ivs-chat end to end: Strapi with the real @aws-sdk/client-ivschat against a local
 * double of IVS Chat's control plane and messaging WebSocket. Students send over IVS; the server's
 * read-only connection stores each message and pushes it on the classroom socket, so receiving,
 * history and moderation behave as with socket.io alone.
 */
import { startStrapi, signInNewStudent, type TestApp } from './helpers/strapi';
import { startIvsChatDouble, connectIvsChatClient, type IvsChatDouble } from './helpers/ivs-chat-double';
import { liveActors, scheduleSession, sessionRow, type LiveActors } from './helpers/live';
import { connectClient, listen, type ClassClient } from './helpers/realtime';
import { eventually, waitFor } from './helpers/wait';

const CHAT_MESSAGE_UID = 'plugin::live.live-chat-message';
const CHAT_VARIABLES = ['CHAT_PROVIDER', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'IVSCHAT_ENDPOINT', 'IVSCHAT_MESSAGING_URL'];

type IvsGrant = { messagingUrl: string; token: string; sessionExpirationTime: string };
type Grant = { token: string; capabilities: string[]; ivsChat?: IvsGrant };

let app: TestApp;
let chat: IvsChatDouble;
let who: LiveActors;
let baseUrl: string;
const closers: (() => void)[] = [];

beforeAll(async () => {
  chat = await startIvsChatDouble();
  app = await startStrapi({
    CHAT_PROVIDER: 'ivs-chat',
    AWS_REGION: 'us-west-2',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    IVSCHAT_ENDPOINT: chat.url,
    IVSCHAT_MESSAGING_URL: chat.messagingUrl,
  });
  who = await liveActors(app);
  baseUrl = await listen(app);
});
afterEach(() => {
  for (const close of closers.splice(0)) close();
});
afterAll(async () => {
  await app?.stop();
  await chat?.close();
  for (const name of CHAT_VARIABLES) delete process.env[name];
});

async function enrolledStudent(label: string) {
  const student = await signInNewStudent(app, label);
  const res = await app.http.post(`/api/courses/${who.course}/enroll`).set(student.auth);
  if (res.status !== 200 && res.status !== 201) throw new Error(`enroll answered ${res.status}`);
  return student;
}

async function liveSession(title = 'IVS chat class') {
  const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title });
  await app.http.post(`/api/live/sessions/${session.id}/start`).set(who.owner.auth).send({}).expect(200);
  return session.id;
}

async function grantOf(auth: Record<string, string>, sessionId: string): Promise<Grant> {
  const res = await app.http.get(`/api/live/sessions/${sessionId}/join`).set(auth);
  if (res.status !== 200 || !res.body.data.realtime) throw new Error(`join answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.data.realtime;
}

/** A participant as the site connects one: the classroom socket (receiving) and IVS Chat (sending). */
async function participant(auth: Record<string, string>, sessionId: string) {
  const grant = await grantOf(auth, sessionId);
  const socket: ClassClient = connectClient(baseUrl, { token: grant.token });
  closers.push(() => socket.close());
  await socket.waitForEvent('ready');
  const ivs = await connectIvsChatClient(grant.ivsChat!);
  closers.push(() => ivs.close());
  return { grant, socket, ivs };
}

const roomOf = async (sessionId: string) => (await sessionRow(app, sessionId)).chatRoomArn as string;

describe('IVS Chat rooms', () => {
  it('creates one room per session with the chat limits, and deletes it when the session is cancelled or ends', async () => {
    const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Room per class' });
    const created = await waitFor(() => chat.calls('CreateRoom').find((c) => c.name?.includes(session.id)), 5_000, 'CreateRoom for the session');
    expect(created).toMatchObject({ maximumMessageRatePerSecond: 10, maximumMessageLength: 500 });
    const arn = await waitFor(() => roomOf(session.id), 5_000, 'the room ARN on the session');
    expect(chat.rooms.has(arn)).toBe(true);

    // Joins use that room; none creates another.
    await Promise.all([grantOf(who.enrolled.auth, session.id), grantOf(who.owner.auth, session.id)]);
    expect(chat.calls('CreateRoom').filter((c) => c.name?.includes(session.id))).toHaveLength(1);
    // The room ARN is private: not in the mentor's session view.
    const view = await app.http.get(`/api/live/sessions/${session.id}`).set(who.owner.auth);
    expect(JSON.stringify(view.body)).not.toContain(arn);

    await app.http.delete(`/api/live/sessions/${session.id}`).set(who.owner.auth).expect(200);
    await waitFor(() => chat.calls('DeleteRoom').some((c) => c.identifier === arn), 5_000, 'DeleteRoom on cancel');
    expect(chat.rooms.has(arn)).toBe(false);

    const ended = await liveSession('Ends');
    const endedArn = await waitFor(() => roomOf(ended), 5_000, 'the room ARN');
    await app.http.post(`/api/live/sessions/${ended}/end`).set(who.owner.auth).send({}).expect(200);
    await waitFor(() => !chat.rooms.has(endedArn), 5_000, 'DeleteRoom after the class ended');
  });

  it("gives each join an IVS chat token with the role's capabilities", async () => {
    const sessionId = await liveSession();
    const arn = await waitFor(() => roomOf(sessionId), 5_000, 'the room ARN');
    const student = await grantOf(who.enrolled.auth, sessionId);
    const mentor = await grantOf(who.owner.auth, sessionId);
    expect(student.ivsChat).toEqual({ messagingUrl: chat.messagingUrl, token: expect.any(String), sessionExpirationTime: expect.any(String) });
    expect(chat.tokenInfo(student.ivsChat!.token)).toMatchObject({ roomArn: arn, userId: `student-${who.enrolled.id}`, capabilities: ['SEND_MESSAGE'], attributes: { role: 'student' } });
    expect(chat.tokenInfo(mentor.ivsChat!.token)).toMatchObject({
      roomArn: arn,
      userId: expect.stringMatching(/^admin-\d+$/),
      capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'],
      attributes: { name: 'Ananya Rao', role: 'mentor' },
    });
    const requests = chat.calls('CreateChatToken').filter((c) => c.roomIdentifier === arn);
    for (const request of requests) {
      expect(request.sessionDurationInMinutes).toBeLessThanOrEqual(180);
      expect(Buffer.byteLength(JSON.stringify(request.attributes))).toBeLessThanOrEqual(1024);
    }
    // The server reads the room with a token that cannot send.
    expect(requests.find((c) => c.userId === 'skillyug-recorder')).toMatchObject({ capabilities: [] });
    await waitFor(() => chat.connectedUsers(arn).includes('skillyug-recorder'), 5_000, 'the server reading the room');
    // A stranger gets no token at all.
    const stranger = await app.http.get(`/api/live/sessions/${sessionId}/join`).set(who.stranger.auth);
    expect(stranger.status).toBe(403);
    expect(chat.calls('CreateChatToken').filter((c) => c.userId === `student-${who.stranger.id}`)).toHaveLength(0);
  });
});

describe('messages over IVS Chat', () => {
  it("arrive in the other student's socket with a seq, are in history, and the socket still sends", async () => {
    const sessionId = await liveSession();
    const other = await enrolledStudent('ivs-chat-other');
    const a = await participant(who.enrolled.auth, sessionId);
    const b = await participant(other.auth, sessionId);

    const requestId = a.ivs.send('hello over IVS');
    const echo = await waitFor(() => a.ivs.frame((f) => f.Type === 'MESSAGE' && f.RequestId === requestId), 5_000, 'the IVS echo');
    const pushed = await b.socket.waitForEvent('chat:message', (m) => m.text === 'hello over IVS');
    expect(pushed).toMatchObject({ type: 'CHAT', seq: expect.any(Number), author: { id: who.enrolled.id, role: 'student' } });
    await a.socket.waitForEvent('chat:message', (m) => m.seq === pushed.seq);
    const stored = await app.strapi.db.query(CHAT_MESSAGE_UID).findOne({ where: { seq: pushed.seq, ivsMessageId: echo.Id } });
    expect(stored).toBeTruthy();

    // Clients without IVS keep working: the socket's send is stored and pushed too.
    const ack = await b.socket.call('chat:send', { text: 'hello over the socket' });
    expect(ack).toMatchObject({ ok: true, message: { seq: pushed.seq + 1 } });
    await a.socket.waitForEvent('chat:message', (m) => m.text === 'hello over the socket');

    const history = await app.http.get(`/api/live/sessions/${sessionId}/chat?after=0`).set(other.auth);
    expect(history.status).toBe(200);
    expect(history.body.data.messages.filter((m: any) => m.type === 'CHAT').map((m: any) => m.text)).toEqual(['hello over IVS', 'hello over the socket']);
    expect(JSON.stringify(history.body)).not.toContain(echo.Id);
  });

  it("deletes a muted student's IVS message at IVS instead of storing it", async () => {
    const sessionId = await liveSession();
    const other = await enrolledStudent('ivs-chat-muted');
    const mentor = await participant(who.owner.auth, sessionId);
    const muted = await participant(other.auth, sessionId);
    const watcher = await participant(who.enrolled.auth, sessionId);
    expect(await mentor.socket.call('chat:mute', { userId: other.id, minutes: 5 })).toMatchObject({ ok: true });

    const requestId = muted.ivs.send('I am muted');
    const sent = await waitFor(() => muted.ivs.frame((f) => f.Type === 'MESSAGE' && f.RequestId === requestId), 5_000, 'the IVS echo');
    const deletion = await waitFor(() => chat.calls('DeleteMessage').find((c) => c.id === sent.Id), 5_000, 'DeleteMessage for the muted message');
    expect(deletion.roomIdentifier).toBe(await roomOf(sessionId));
    await waitFor(() => watcher.ivs.frame((f) => f.Type === 'EVENT' && f.EventName === 'aws:DELETE_MESSAGE' && f.Attributes.MessageID === sent.Id), 5_000, 'the deletion event');
    // Decided before anything was pushed: no socket saw it, history doesn't have it.
    expect(watcher.socket.messages().some((m) => m.text === 'I am muted')).toBe(false);
    const history = await app.http.get(`/api/live/sessions/${sessionId}/chat`).set(who.enrolled.auth);
    expect(history.body.data.messages.some((m: any) => m.text === 'I am muted')).toBe(false);
    expect(await app.strapi.db.query(CHAT_MESSAGE_UID).count({ where: { ivsMessageId: sent.Id } })).toBe(0);
  });

  it('holds IVS senders to slow mode like socket senders: the early second message is deleted at IVS', async () => {
    const sessionId = await liveSession();
    const other = await enrolledStudent('ivs-chat-slow');
    const mentor = await participant(who.owner.auth, sessionId);
    const student = await participant(other.auth, sessionId);
    expect(await mentor.socket.call('chat:slow-mode', { seconds: 30 })).toMatchObject({ ok: true });

    student.ivs.send('first, allowed');
    await waitFor(() => mentor.socket.messages().find((m) => m.text === 'first, allowed'), 5_000, 'the first message stored and pushed');
    const early = student.ivs.send('second, too soon');
    const sent = await waitFor(() => student.ivs.frame((f) => f.Type === 'MESSAGE' && f.RequestId === early), 5_000, 'the IVS echo');
    await waitFor(() => chat.calls('DeleteMessage').find((c) => c.id === sent.Id), 5_000, 'DeleteMessage for the early message');
    expect(await app.strapi.db.query(CHAT_MESSAGE_UID).count({ where: { ivsMessageId: sent.Id } })).toBe(0);
  });

  it('a mentor deleting an IVS message calls DeleteMessage and everyone gets the system message', async () => {
    const sessionId = await liveSession();
    const other = await enrolledStudent('ivs-chat-deleted');
    const mentor = await participant(who.owner.auth, sessionId);
    const author = await participant(other.auth, sessionId);
    const watcher = await participant(who.enrolled.auth, sessionId);

    const requestId = author.ivs.send('delete me');
    const sent = await waitFor(() => author.ivs.frame((f) => f.Type === 'MESSAGE' && f.RequestId === requestId), 5_000, 'the IVS echo');
    const stored = await mentor.socket.waitForEvent('chat:message', (m) => m.text === 'delete me');
    expect(await mentor.socket.call('chat:delete', { seq: stored.seq })).toEqual({ ok: true });

    for (const client of [mentor, author, watcher]) {
      const notice = await client.socket.waitForEvent('chat:message', (m) => m.system?.event === 'message-deleted');
      expect(notice.system.removed).toEqual([stored.seq]);
    }
    const call = await waitFor(() => chat.calls('DeleteMessage').find((c) => c.id === sent.Id), 5_000, 'DeleteMessage');
    expect(call).toMatchObject({ roomIdentifier: await roomOf(sessionId), reason: expect.any(String) });
    await waitFor(() => watcher.ivs.frame((f) => f.EventName === 'aws:DELETE_MESSAGE' && f.Attributes.MessageID === sent.Id), 5_000, 'the IVS deletion event');
    await eventually(async () => {
      const history = await app.http.get(`/api/live/sessions/${sessionId}/chat`).set(who.enrolled.auth);
      expect(history.body.data.messages.some((m: any) => m.text === 'delete me')).toBe(false);
    });
  });

  it("a ban calls DisconnectUser: the student's IVS connection closes and they get no new token", async () => {
    const sessionId = await liveSession();
    const troll = await enrolledStudent('ivs-chat-banned');
    const mentor = await participant(who.owner.auth, sessionId);
    const banned = await participant(troll.auth, sessionId);
    const arn = await roomOf(sessionId);
    expect(chat.connectedUsers(arn)).toContain(`student-${troll.id}`);

    expect(await mentor.socket.call('chat:ban', { userId: troll.id, reason: 'spam' })).toEqual({ ok: true });
    expect(chat.calls('DisconnectUser')).toContainEqual(expect.objectContaining({ roomIdentifier: arn, userId: `student-${troll.id}`, reason: 'spam' }));
    await banned.ivs.closed;
    expect(chat.connectedUsers(arn)).not.toContain(`student-${troll.id}`);
    await banned.socket.waitForEvent('bye', (p) => p.reason === 'banned');
    const again = await app.http.get(`/api/live/sessions/${sessionId}/join`).set(troll.auth);
    expect(again.status).toBe(403);
  });
});
