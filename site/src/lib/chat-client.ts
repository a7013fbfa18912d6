/**
 * The classroom chat's connection (browser): one socket.io client to Strapi's realtime server
 * with this student's grant, and the chat's state as one small store the ClassroomChat island
 * reads with useSyncExternalStore.
 *
 * - The handshake's `auth` is a function, so every reconnect presents the current token and the
 *   log's `lastSeq`: the server sends exactly what was missed (contracts.ts, ReadyEvent).
 * - A token about to expire, or refused as expired, is replaced through the site's own
 *   `/api/live/:session/join` (`rejoin`): the browser never holds the Strapi token.
 * - Messages go through the ChatLog reducer (chat-log.ts): ordered, de-duplicated, deletions and
 *   bans applied; a gap (something newer arrived, something older didn't) is filled with `chat:sync`.
 * - A ban, the class ending, or a refusal that won't change on retry closes the chat for good,
 *   with the reason in words.
 * - A message sent but not acked when the connection dropped (a server draining for a restart
 *   says `server:draining` and closes the transport: socket.io reconnects by itself, through the
 *   load balancer to another server) is re-sent after the reconnect's `ready` with the same
 *   `clientId`: the server stores a clientId once, so nothing is lost and nothing doubled.
 * - The same connection carries the rest of the classroom (Q&A, polls, "I'm lost"): `ready`'s
 *   `classroom` and the 'question:updated' / 'poll:updated' / 'poll:results' pushes go through
 *   the reducers in classroom.ts; each poll's arrival is noted with the player's delay behind
 *   live at that moment (player-sync.ts), so the island can show it in sync with the video.
 */
// First: the contracts build zod schemas as they load (see zod-jitless.ts).
import './zod-jitless';
import { io, type Socket } from 'socket.io-client';
import { addMessages, emptyChatLog, hasGap, resumeLog, type ChatLog } from '../../../src-plugins/live/server/src/realtime/chat-log';
import {
  HANDSHAKE_ERRORS,
  type Acks,
  type ChatMessageDto,
  type ClassroomAcks,
  type ClassroomServerEvents,
  type ErrorAck,
  type HandshakeError,
  type ReadyEvent,
  type ServerEvents,
  type SignalKind,
} from '../../../src-plugins/live/server/src/realtime/contracts';
import { rejoin } from '../islands/live-client';
import { closedText, refusalFrom, type SendRefusal } from './chat';
import { applyResults, applyUpvote, emptyClassroom, recordVote, resumeClassroom, upsertPoll, upsertQuestion, withdrawQuestion, type ClassroomData } from './classroom';
import { currentDelay } from './player-sync';
import { createIvsChatTransport, sendThroughIvs, type IvsChatTransport } from './ivs-chat-transport';
import { reconnectDelayMs, type JoinOutcome, type RealtimeGrant } from './live-state';

export type SessionStatus = ReadyEvent['session']['status'];
/** `connecting` (first time), `connected`, `reconnecting` (after a drop), `closed` (for good: see `closed`). */
export type ChatConnection = 'connecting' | 'connected' | 'reconnecting' | 'closed';
export type ChatClosedReason = HandshakeError | 'signed-out' | 'error';

export type ChatState = {
  connection: ChatConnection;
  log: ChatLog;
  /** Who this client is in the chat (from `ready`). */
  me: ReadyEvent['me'] | null;
  viewers: number | null;
  slowModeSeconds: number;
  /** ISO date-time this student's mute ends, while muted. */
  mutedUntil: string | null;
  status: SessionStatus;
  /** Why the chat closed for good (connection `closed`). */
  closed: { reason: ChatClosedReason; message: string } | null;
  /** Bumped each time the connection comes back after a drop ("You're back"). */
  resumes: number;
  /** Q&A, polls and this student's votes. */
  classroom: ClassroomData;
};

export type SendResult = { ok: true; message: ChatMessageDto } | { ok: false; refusal: SendRefusal };

/** An ack that doesn't come within this is treated as a failed send (the connection is likely gone). */
const ACK_TIMEOUT_MS = 10_000;
/** A grant this close to its expiry is refreshed before it is presented. */
const GRANT_MARGIN_MS = 10_000;
/** A message still not acked this long after it was sent (across reconnects) is reported as not sent. */
const RESEND_WINDOW_MS = 30_000;
/** Token refusals retried with a fresh grant at most this many times in a row. */
const MAX_TOKEN_RETRIES = 3;

type AllAcks = Acks & ClassroomAcks;
type AllServerEvents = ServerEvents & ClassroomServerEvents;
type ClientEvents = { [E in keyof AllAcks]: (payload: unknown, ack: (reply: AllAcks[E]) => void) => void };
type ServerListeners = { [E in keyof AllServerEvents]: (payload: AllServerEvents[E]) => void };
type ChatSocket = Socket<ServerListeners, ClientEvents>;

export type ChatClientOptions = {
  sessionId: string;
  grant: RealtimeGrant;
  /** The class's status as the page rendered it. */
  status: SessionStatus;
  /** Tests and other hosts may replace how a fresh grant is obtained. */
  refreshGrant?: (sessionId: string) => Promise<JoinOutcome>;
  /** Hosts outside a browser (tests, Node clients): headers for the handshake, e.g. the load balancer's sticky cookie a browser would send. */
  extraHeaders?: Record<string, string>;
};

export type ChatClient = ReturnType<typeof createChatClient>;

let clientSeq = 0;
const newClientId = () => `c${Date.now().toString(36)}${(clientSeq++).toString(36)}`;

/** The state before anything is known (also what the island renders on the server). */
export const initialChatState = (status: SessionStatus): ChatState => ({
  connection: 'connecting',
  log: emptyChatLog(),
  me: null,
  viewers: null,
  slowModeSeconds: 0,
  mutedUntil: null,
  status,
  closed: null,
  resumes: 0,
  classroom: emptyClassroom(),
});

export function createChatClient({ sessionId, grant: initialGrant, status, refreshGrant = rejoin, extraHeaders }: ChatClientOptions) {
  let grant = initialGrant;
  let state: ChatState = initialChatState(status);
  const listeners = new Set<() => void>();
  let socket: ChatSocket | null = null;
  /** CHAT_PROVIDER=ivs-chat: messages are sent over IVS Chat (the grant's `ivsChat`), received on the socket. */
  let ivs: IvsChatTransport | null = null;
  /** A `ready` has been applied: reconnects resume after the log's lastSeq. */
  let hadReady = false;
  let syncing = false;
  let tokenRetries = 0;
  let retryAttempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** The server said goodbye and whether to come back (`bye`, just before it disconnects us). */
  let farewell: ServerEvents['bye'] | null = null;
  let stopped = false;
  /** Messages sent and not acked yet, by clientId: re-sent after a reconnect (see transmit). */
  const unacked = new Map<string, { text: string; settle: (result: SendResult) => void }>();

  const set = (patch: Partial<ChatState>) => {
    state = { ...state, ...patch };
    for (const listener of listeners) listener();
  };

  const settleUnacked = (reason: string) => {
    for (const entry of [...unacked.values()]) entry.settle({ ok: false, refusal: { code: 'offline', message: reason, retryAt: null } });
  };

  const close = (reason: ChatClosedReason, message?: string) => {
    clearTimeout(retryTimer);
    settleUnacked('the chat closed');
    set({ connection: 'closed', closed: { reason, message: closedText(reason, message) } });
    socket?.disconnect();
  };

  const applyMessages = (incoming: ChatMessageDto[]) => {
    if (incoming.length === 0) return;
    let { slowModeSeconds, status: current } = state;
    for (const message of incoming) {
      if (message.system?.event === 'slow-mode') slowModeSeconds = message.system.slowModeSeconds ?? 0;
      if (message.system?.event === 'class-started' && current === 'SCHEDULED') current = 'LIVE';
      if (message.system?.event === 'class-ended') current = 'ENDED';
    }
    set({ log: addMessages(state.log, incoming), slowModeSeconds, status: current });
    if (hasGap(state.log)) void sync();
  };

  /** Asks for what is missing after lastSeq (one request at a time; a new gap asks again). */
  async function sync() {
    if (syncing || !socket?.connected) return;
    syncing = true;
    try {
      const ack = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('chat:sync', { afterSeq: state.log.lastSeq })) as Acks['chat:sync'];
      if (!ack.ok) return;
      if (ack.truncated && ack.messages.length > 0) {
        // Missed more than the server replays: start again from its recent window.
        set({ log: resumeLog(state.log, { messages: ack.messages, fromSeq: ack.messages[0].seq - 1 }) });
      } else {
        set({ log: addMessages(state.log, ack.messages) });
      }
    } catch {
      // No answer: the connection is going; the reconnect's `ready` resumes instead.
    } finally {
      syncing = false;
    }
  }

  /** A fresh grant through the site (a join): applied, or the chat closes/retries as the answer says. */
  async function renewGrant(): Promise<'renewed' | 'retry' | 'closed'> {
    const outcome = await refreshGrant(sessionId);
    if (stopped) return 'closed';
    if (outcome.ok) {
      if (outcome.data.realtime) {
        grant = outcome.data.realtime;
        return 'renewed';
      }
      const over = outcome.data.session.status === 'ENDED' || outcome.data.session.status === 'CANCELLED';
      close(over ? 'class-over' : 'error');
      return 'closed';
    }
    switch (outcome.status) {
      case 409:
        close('class-over', outcome.message);
        return 'closed';
      case 401:
        close('signed-out');
        return 'closed';
      case 403:
        close(outcome.reason === 'banned' ? 'banned' : 'not-enrolled', outcome.message);
        return 'closed';
      case 404:
        close('class-over', 'This class no longer exists.');
        return 'closed';
      default:
        return 'retry'; // the site or Strapi is briefly unreachable
    }
  }

  /** Connects again after a delay (backoff: 1, 2, 4, 8, then 15 s). */
  const retryLater = (renew: boolean) => {
    clearTimeout(retryTimer);
    set({ connection: hadReady ? 'reconnecting' : 'connecting' });
    retryTimer = setTimeout(async () => {
      if (stopped) return;
      if (renew) {
        const renewed = await renewGrant();
        if (renewed === 'closed') return;
        // The site couldn't be reached for a fresh grant: try again later, not with the stale one.
        if (renewed === 'retry') return retryLater(true);
      }
      socket?.connect();
    }, reconnectDelayMs(retryAttempt++));
  };

  const grantFresh = () => Date.parse(grant.expiresAt) - Date.now() > GRANT_MARGIN_MS;

  function start() {
    if (socket || stopped) return;
    socket = io(grant.url, {
      path: grant.path,
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      autoConnect: false,
      ...(extraHeaders ? { extraHeaders } : {}),
      // socket.io's own reconnection after drops, with a ceiling like the player's.
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 15_000,
      // Called on every (re)connect: the current token, and where to resume.
      auth: (cb) => {
        const send = () => cb(hadReady && state.log.lastSeq > 0 ? { token: grant.token, lastSeq: state.log.lastSeq } : { token: grant.token });
        if (grantFresh()) return send();
        void renewGrant().then((result) => {
          if (result !== 'closed') send();
        });
      },
    }) as ChatSocket;

    socket.on('connect_error', (error: Error & { data?: { code?: string; message?: string } }) => {
      if (stopped || state.connection === 'closed') return;
      // Still `active`: a network or server problem; socket.io retries by itself.
      if (socket?.active) {
        set({ connection: hadReady ? 'reconnecting' : 'connecting' });
        return;
      }
      const code = (HANDSHAKE_ERRORS as readonly string[]).includes(error.message) ? (error.message as HandshakeError) : 'unavailable';
      switch (code) {
        case 'expired-token':
        case 'bad-token':
        case 'no-token':
          if (tokenRetries++ >= MAX_TOKEN_RETRIES) return close('error');
          return retryLater(true);
        case 'unavailable':
          return retryLater(false);
        default:
          return close(code, error.data?.message);
      }
    });

    socket.on('ready', (ready) => {
      const back = hadReady;
      hadReady = true;
      tokenRetries = 0;
      retryAttempt = 0;
      farewell = null;
      set({
        connection: 'connected',
        log: resumeLog(state.log, ready),
        me: ready.me,
        viewers: ready.viewers,
        slowModeSeconds: ready.slowModeSeconds,
        mutedUntil: ready.mutedUntil,
        status: ready.session.status,
        resumes: back ? state.resumes + 1 : state.resumes,
        ...(ready.classroom ? { classroom: resumeClassroom(state.classroom, ready.classroom, Date.now()) } : {}),
      });
      if (hasGap(state.log)) void sync();
      // What the previous connection took but never acked: again, with the same clientIds.
      for (const clientId of unacked.keys()) void transmit(clientId);
    });

    socket.on('chat:message', (message) => applyMessages([message]));
    socket.on('presence:count', ({ viewers }) => set({ viewers }));
    socket.on('chat:muted', ({ until }) => set({ mutedUntil: until }));
    socket.on('session:status', ({ status: next }) => set({ status: next }));
    socket.on('question:updated', (question) => set({ classroom: { ...state.classroom, questions: upsertQuestion(state.classroom.questions, question) } }));
    socket.on('poll:updated', (poll) => {
      const { classroom } = state;
      // The moment it arrives, with the player's delay behind live then: when to show it (poll-timing.ts).
      const arrivals = classroom.arrivals[poll.id]
        ? classroom.arrivals
        : { ...classroom.arrivals, [poll.id]: { at: Date.now(), source: poll.state === 'open' ? ('launch' as const) : ('state' as const), ...currentDelay() } };
      set({ classroom: { ...classroom, polls: upsertPoll(classroom.polls, poll), arrivals } });
    });
    socket.on('poll:results', (results) => set({ classroom: { ...state.classroom, polls: applyResults(state.classroom.polls, results) } }));
    socket.on('bye', (bye) => {
      farewell = bye;
      if (bye.reason === 'banned') close('banned', bye.message);
      else if (bye.reason === 'class-over') close('class-over', bye.message);
    });

    socket.on('disconnect', (reason) => {
      if (stopped || state.connection === 'closed') return;
      if (reason === 'io server disconnect') {
        // The server cut us off on purpose: come back only when it said to (a restart).
        if (farewell && !farewell.reconnect) return close(farewell.reason === 'banned' ? 'banned' : 'class-over', farewell.message);
        return retryLater(!grantFresh());
      }
      set({ connection: 'reconnecting' });
    });

    socket.connect();
  }

  async function send(text: string): Promise<SendResult> {
    if (!socket?.connected || state.connection !== 'connected') return { ok: false, refusal: { code: 'offline', message: 'offline', retryAt: null } };
    if (grant.ivsChat) {
      if (!ivs?.usable) ivs = createIvsChatTransport(grant.ivsChat);
      const sent = await sendThroughIvs(ivs, text, { getState: () => state, subscribe: (l) => (listeners.add(l), () => listeners.delete(l)) });
      if (sent.ok) return sent;
      // IVS unreachable: the socket still takes the message (stored and pushed the same way).
      if (sent.error.code !== 'offline') return { ok: false, refusal: refusalFrom({ ...sent.error, code: sent.error.code }) };
    }
    const clientId = newClientId();
    return new Promise<SendResult>((resolve) => {
      const expiry = setTimeout(() => unacked.get(clientId)?.settle({ ok: false, refusal: { code: 'offline', message: 'no answer', retryAt: null } }), RESEND_WINDOW_MS);
      unacked.set(clientId, {
        text,
        settle: (result) => {
          if (!unacked.delete(clientId)) return;
          clearTimeout(expiry);
          resolve(result);
        },
      });
      void transmit(clientId);
    });
  }

  /**
   * One attempt at delivering an unacked message. Without a connection it waits for the next
   * `ready`; a connection lost before the ack leaves it waiting the same way (the server may have
   * stored it: the re-send's ack then carries the stored copy). No ack on a live connection is a failure.
   */
  async function transmit(clientId: string) {
    const entry = unacked.get(clientId);
    if (!entry || !socket?.connected) return;
    try {
      const ack = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('chat:send', { text: entry.text, clientId })) as Acks['chat:send'];
      if (!unacked.has(clientId)) return;
      if (!ack.ok) {
        if (ack.error.code === 'muted' && ack.error.until) set({ mutedUntil: ack.error.until });
        if (ack.error.code === 'not-live') set({ status: 'ENDED' });
        return entry.settle({ ok: false, refusal: refusalFrom(ack.error) });
      }
      applyMessages([ack.message]);
      entry.settle({ ok: true, message: ack.message });
    } catch {
      if (socket?.connected) entry.settle({ ok: false, refusal: { code: 'offline', message: 'no answer', retryAt: null } });
    }
  }

  /** Sends a classroom event and resolves with its ack (an `offline` error when there is no answer). */
  async function call<E extends keyof ClassroomAcks>(event: E, payload: unknown): Promise<ClassroomAcks[E]> {
    const offline = { ok: false, error: { code: 'unavailable', message: 'You’re offline: try again when the classroom has reconnected.' } } satisfies ErrorAck;
    if (!socket?.connected || state.connection !== 'connected') return offline as ClassroomAcks[E];
    try {
      // Payloads are checked by the server against the contract's schemas (and answered `bad-request`).
      return (await (socket as unknown as Socket).timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload)) as ClassroomAcks[E];
    } catch {
      return offline as ClassroomAcks[E];
    }
  }

  const patchClassroom = (update: (data: ClassroomData) => ClassroomData) => set({ classroom: update(state.classroom) });

  async function ask(text: string) {
    const ack = await call('question:ask', { text });
    if (ack.ok) patchClassroom((data) => ({ ...data, questions: upsertQuestion(data.questions, ack.question) }));
    return ack;
  }

  async function upvote(id: number) {
    const ack = await call('question:upvote', { id });
    if (ack.ok) patchClassroom((data) => applyUpvote(data, id, ack.voted, ack.votes));
    return ack;
  }

  async function withdraw(id: number) {
    const ack = await call('question:withdraw', { id });
    if (ack.ok) patchClassroom((data) => withdrawQuestion(data, id));
    return ack;
  }

  async function vote(id: number, option: number) {
    const ack = await call('poll:vote', { id, option });
    if (ack.ok) patchClassroom((data) => ({ ...data, myVotes: recordVote(data.myVotes, ack.vote) }));
    return ack;
  }

  const signal = (kind: SignalKind) => call('signal:send', { kind });

  function stop() {
    stopped = true;
    settleUnacked('stopped');
    ivs?.close();
    clearTimeout(retryTimer);
    socket?.removeAllListeners();
    socket?.disconnect();
    socket = null;
    listeners.clear();
  }

  return {
    start,
    stop,
    send,
    ask,
    upvote,
    withdraw,
    vote,
    signal,
    getState: () => state,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
