/**
 * The chat connection against a real socket.io server speaking the realtime contract (a small
 * double of the live plugin's gateway, so each situation can be staged exactly): the handshake
 * with the grant, resuming after lastSeq, filling a gap with chat:sync, renewing an expired token
 * through the join, a send refused with a wait, and a ban closing the chat for good.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import type { ChatMessageDto, PollDto, QuestionDto, ReadyEvent } from '../../../../src-plugins/live/server/src/realtime/contracts';
import { createChatClient, type ChatClient, type ChatState } from '../chat-client';
import type { JoinOutcome, RealtimeGrant } from '../live-state';
import { untilChatState as until } from './chat-state';
import { playerPlaying, playerStopped } from '../player-sync';

const chat = (seq: number, text = `message ${seq}`): ChatMessageDto => ({
  seq,
  type: 'CHAT',
  text,
  sentAt: new Date(Date.UTC(2030, 0, 1, 10, 0, seq)).toISOString(),
  offsetMs: null,
  author: { id: 7, name: 'Asha', role: 'student' },
});

/** The server's chat: stored messages, and which tokens it accepts. */
let stored: ChatMessageDto[] = [];
let validTokens = new Set<string>();
let http: HttpServer;
let io: Server;
let url: string;
const handshakes: Record<string, unknown>[] = [];
const syncs: number[] = [];
let sockets: ServerSocket[] = [];
let client: ChatClient | undefined;

const grantFor = (token: string): RealtimeGrant => ({ url, path: '/realtime/', token, expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(), capabilities: ['read', 'send'] });

function ready(afterSeq: number | undefined): ReadyEvent {
  const messages = afterSeq === undefined ? stored.slice(-2) : stored.filter((m) => m.seq > afterSeq);
  return {
    session: { id: 'sess0chat0001', status: 'LIVE', startedAt: null },
    me: { id: 7, name: 'Asha', role: 'student', capabilities: ['read', 'send'] },
    messages,
    fromSeq: afterSeq ?? (messages[0]?.seq ?? 1) - 1,
    truncated: false,
    lastSeq: stored.at(-1)?.seq ?? 0,
    slowModeSeconds: 0,
    viewers: 3,
    mutedUntil: null,
    classroom: { questions: [], myUpvotes: [], polls: [], myVotes: [], meter: null },
  };
}

beforeEach(async () => {
  stored = [chat(1), chat(2), chat(3)];
  validTokens = new Set(['token-one-0123456789']);
  handshakes.length = 0;
  syncs.length = 0;
  sockets = [];
  http = createServer();
  io = new Server(http, { path: '/realtime/', transports: ['websocket', 'polling'] });
  io.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: string; lastSeq?: number };
    handshakes.push({ ...auth });
    if (!auth.token || !validTokens.has(auth.token)) {
      const error = new Error('expired-token') as Error & { data?: unknown };
      error.data = { code: 'expired-token', message: 'This realtime token has expired' };
      return next(error);
    }
    next();
  });
  io.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('chat:sync', ({ afterSeq }: { afterSeq: number }, ack: (reply: unknown) => void) => {
      syncs.push(afterSeq);
      ack({ ok: true, messages: stored.filter((m) => m.seq > afterSeq), truncated: false });
    });
    socket.on('chat:send', (_payload: unknown, ack: (reply: unknown) => void) => {
      ack({ ok: false, error: { code: 'rate-limited', message: 'Too fast', retryAfterSeconds: 4 } });
    });
    const { lastSeq } = socket.handshake.auth as { lastSeq?: number };
    socket.emit('ready', ready(lastSeq));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(async () => {
  client?.stop();
  client = undefined;
  await new Promise<void>((resolve) => io.close(() => resolve()));
});


function question(id: number, text = `question ${id}`, votes = 0): QuestionDto {
  return { id, text, author: { id: 7, name: 'Asha' }, votes, state: 'open', pinned: false, askedAt: new Date(Date.UTC(2030, 0, 1, 10, id)).toISOString(), offsetMs: null, answeredAt: null };
}

function poll(id: number, extra: Partial<PollDto> = {}): PollDto {
  return {
    id,
    question: `poll ${id}`,
    options: ['yes', 'no'],
    kind: 'poll',
    state: 'open',
    durationSeconds: null,
    launchedAt: new Date().toISOString(),
    launchedOffsetMs: 1_000,
    closesAt: null,
    closedAt: null,
    revealed: false,
    correctOption: null,
    results: null,
    ...extra,
  };
}

const seqs = (state: ChatState) => state.log.messages.map((m) => m.seq);
const refreshRefused = async (): Promise<JoinOutcome> => ({ ok: false, status: 500, message: 'not expected' });

describe('the chat connection', () => {
  it('connects with the grant, takes the recent history, and fills a gap with chat:sync', async () => {
    client = createChatClient({ sessionId: 'sess0chat0001', grant: grantFor('token-one-0123456789'), status: 'LIVE', refreshGrant: refreshRefused });
    client.start();
    const first = await until(client, (s) => s.connection === 'connected');
    expect(handshakes[0]).toEqual({ token: 'token-one-0123456789' });
    expect(seqs(first)).toEqual([2, 3]);
    expect(first.viewers).toBe(3);

    // 4 and 5 are stored; only 5's push arrives: the client asks for what is missing after 3.
    stored.push(chat(4), chat(5));
    sockets[0].emit('chat:message', stored[4]);
    const filled = await until(client, (s) => s.log.lastSeq === 5);
    expect(syncs).toEqual([3]);
    expect(seqs(filled)).toEqual([2, 3, 4, 5]);
  });

  it('after a restart, renews an expired token through the join and resumes after its lastSeq', async () => {
    const renewals: string[] = [];
    client = createChatClient({
      sessionId: 'sess0chat0001',
      grant: grantFor('token-one-0123456789'),
      status: 'LIVE',
      refreshGrant: async (sessionId) => {
        renewals.push(sessionId);
        validTokens.add('token-two-0123456789');
        return {
          ok: true,
          data: {
            session: { id: sessionId, title: 'x', scheduledAt: new Date().toISOString(), status: 'LIVE', course: null, description: null, startedAt: null, endedAt: null },
            playback: null,
            attendee: null,
            realtime: grantFor('token-two-0123456789'),
          },
        };
      },
    });
    client.start();
    await until(client, (s) => s.connection === 'connected');

    // The server restarts: says goodbye, drops everyone; meanwhile the old token expired and 4 was stored.
    validTokens.delete('token-one-0123456789');
    stored.push(chat(4, 'while you were away'));
    sockets[0].emit('bye', { reason: 'shutdown', message: 'The server is restarting: reconnecting…', reconnect: true });
    sockets[0].disconnect(true);
    await until(client, (s) => s.connection === 'reconnecting');

    const back = await until(client, (s) => s.connection === 'connected' && s.resumes === 1);
    expect(renewals).toEqual(['sess0chat0001']);
    expect(handshakes.at(-1)).toEqual({ token: 'token-two-0123456789', lastSeq: 3 });
    expect(seqs(back)).toEqual([2, 3, 4]);
    expect(back.log.messages.at(-1)!.text).toBe('while you were away');
  });

  it('a refused send comes back with the wait; a ban closes the chat with the reason', async () => {
    client = createChatClient({ sessionId: 'sess0chat0001', grant: grantFor('token-one-0123456789'), status: 'LIVE', refreshGrant: refreshRefused });
    client.start();
    await until(client, (s) => s.connection === 'connected');
    const before = Date.now();
    const result = await client.send('hello');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.refusal.code).toBe('rate-limited');
    expect(result.refusal.retryAt).toBeGreaterThanOrEqual(before + 4_000);

    sockets[0].emit('bye', { reason: 'banned', message: 'You were removed from this class by its mentor', reconnect: false });
    sockets[0].disconnect(true);
    const closed = await until(client, (s) => s.connection === 'closed');
    expect(closed.closed).toEqual({ reason: 'banned', message: 'You were removed from this class by its mentor. You can no longer read or send messages in this class.' });
    expect((await client.send('again')).ok).toBe(false);
  });
});

describe('the classroom on the same connection', () => {
  afterEach(() => playerStopped());

  it('takes Q&A and polls from ready and the pushes, notes each launch with the player’s delay then, and acts through acks', async () => {
    client = createChatClient({ sessionId: 'sess0chat0001', grant: grantFor('token-one-0123456789'), status: 'LIVE', refreshGrant: refreshRefused });
    io.removeAllListeners('connection');
    io.on('connection', (socket) => {
      sockets.push(socket);
      socket.on('question:upvote', ({ id }: { id: number }, ack: (reply: unknown) => void) => ack({ ok: true, voted: true, votes: id === 2 ? 4 : 1 }));
      socket.on('poll:vote', ({ id, option }: { id: number; option: number }, ack: (reply: unknown) => void) =>
        ack(id === 1 ? { ok: true, vote: { pollId: id, option, correct: null } } : { ok: false, error: { code: 'bad-request', message: 'You have already voted' } })
      );
      socket.on('signal:send', (_payload: unknown, ack: (reply: unknown) => void) => ack({ ok: true, retryAfterSeconds: 30 }));
      socket.emit('ready', { ...ready(undefined), classroom: { questions: [question(1, 'first', 2), question(2, 'second', 3)], myUpvotes: [], polls: [poll(1, { state: 'closed' })], myVotes: [], meter: null } });
    });
    client.start();
    const first = await until(client, (s) => s.connection === 'connected');
    expect(first.classroom.questions.map((q) => q.id)).toEqual([2, 1]);
    expect(first.classroom.arrivals[1].source).toBe('state');

    // The player plays 0.8 s behind live when the launch arrives: the arrival remembers it.
    playerPlaying('flv', () => 0.8);
    const before = Date.now();
    sockets[0].emit('poll:updated', poll(2));
    const launched = await until(client, (s) => s.classroom.polls.some((p) => p.id === 2));
    expect(launched.classroom.arrivals[2]).toMatchObject({ source: 'launch', kind: 'flv', latencySeconds: 0.8 });
    expect(launched.classroom.arrivals[2].at).toBeGreaterThanOrEqual(before);
    // Later updates of the same poll don't move its arrival.
    sockets[0].emit('poll:updated', poll(2, { state: 'closed' }));
    const closed = await until(client, (s) => s.classroom.polls.find((p) => p.id === 2)?.state === 'closed');
    expect(closed.classroom.arrivals[2]).toEqual(launched.classroom.arrivals[2]);
    sockets[0].emit('poll:results', { id: 2, counts: [3, 1], total: 4 });
    await until(client, (s) => s.classroom.polls.find((p) => p.id === 2)?.results?.total === 4);

    sockets[0].emit('question:updated', question(1, 'first', 2));
    sockets[0].emit('question:updated', { ...question(2, 'second', 3), state: 'dismissed' });
    await until(client, (s) => s.classroom.questions.map((q) => q.id).join() === '1');

    const upvoted = await client.upvote(1);
    expect(upvoted).toEqual({ ok: true, voted: true, votes: 1 });
    expect(client.getState().classroom.myUpvotes).toEqual([1]);

    expect((await client.vote(1, 1)).ok).toBe(true);
    expect(client.getState().classroom.myVotes).toEqual([{ pollId: 1, option: 1, correct: null }]);
    const again = await client.vote(2, 0);
    expect(again).toEqual({ ok: false, error: { code: 'bad-request', message: 'You have already voted' } });
    expect(await client.signal('lost')).toEqual({ ok: true, retryAfterSeconds: 30 });
  });
});
