import { useCallback, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import {
  allClientEvents,
  type Acks,
  type AnyClientEvent,
  type Capability,
  type ChatAuthor,
  type ChatMessageDto,
  type ClassroomAcks,
  type ClassroomServerEvents,
  type ClientPayload,
  type ErrorAck,
  type HandshakeError,
  type PollDraft,
  type PollDto,
  type ReadyEvent,
  type RealtimeGrant,
  type ServerEvents,
  type SignalMeter,
  type ViewerDto,
} from '../../../../server/src/realtime/contracts';
import { addMessages, emptyChatLog, hasGap, resumeLog, type ChatLog } from '../../../../server/src/realtime/chat-log';
import {
  applyPoll,
  applyPollResults,
  applyQuestion,
  emptyQuestionList,
  removePoll,
  resetPolls,
  resetQuestions,
  type QuestionList,
} from '../../../../server/src/realtime/classroom-state';
import { joinSession, toLiveApiError, type LiveClient } from '../../api/live';

type AllServerEvents = ServerEvents & ClassroomServerEvents;
type AllAcks = Acks & ClassroomAcks;
type Payload<E extends AnyClientEvent> = z.infer<(typeof allClientEvents)[E]>;
type ListenEvents = { [E in keyof AllServerEvents]: (payload: AllServerEvents[E]) => void };
type EmitEvents = { [E in AnyClientEvent]: (payload: Payload<E>, ack: (answer: AllAcks[E]) => void) => void };
type ClassroomSocket = Socket<ListenEvents, EmitEvents>;

/** An ack that never came is reported like a refused one, so callers handle one shape. */
const ACK_TIMEOUT_MS = 10_000;
/** The grant is refreshed this long before it expires, so a reconnect never presents an expired token. */
const GRANT_REFRESH_MARGIN_MS = 60_000;
/** A gap may close by itself (two processes pushing 7 and 8 at once arrive out of order): wait this long before syncing. */
const GAP_SYNC_DELAY_MS = 400;
/** presence:list is asked at most this often (a busy class pushes presence:count every second)… */
const VIEWER_LIST_MIN_INTERVAL_MS = 5_000;
/** …and at least this often, since a student's second tab changes connections but not the count. */
const VIEWER_LIST_MAX_INTERVAL_MS = 20_000;
/** Fresh grants asked for in a row after refused tokens before giving up (a clock far off, a misconfigured secret). */
const MAX_GRANT_REFRESHES = 3;
/** Backoff after the server answered `unavailable` to the handshake. */
const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/** Handshake refusals that joining again can't fix. */
const FINAL_REFUSALS: HandshakeError[] = ['banned', 'class-over', 'not-enrolled', 'no-token'];
const REFUSAL_WORDS: Record<HandshakeError, string> = {
  'no-token': 'The chat refused the connection: no credentials were sent.',
  'bad-token': 'The chat refused the connection: the credentials were not valid.',
  'expired-token': 'The chat credentials expired.',
  banned: 'You were removed from this class.',
  'not-enrolled': "You aren't allowed in this class's chat.",
  'class-over': 'The class is over: the chat is closed.',
  unavailable: 'The chat is unavailable right now.',
};

export type ConnectionState =
  /** Not asked to connect (the class is over or cancelled). */
  | { phase: 'off' }
  /** Fetching the grant and making the first connection. */
  | { phase: 'connecting' }
  | { phase: 'connected'; reconnected: boolean }
  /** The connection dropped; socket.io (or this hook) is trying again. */
  | { phase: 'reconnecting' }
  /** The join answered without a grant: this user may not use the chat. */
  | { phase: 'no-access' }
  /** Given up: banned, class over, refused for good, or join failed. `retry()` starts over. */
  | { phase: 'stopped'; code: string; message: string };

export type ClassroomState = {
  connection: ConnectionState;
  log: ChatLog;
  me: (ChatAuthor & { capabilities: Capability[] }) | null;
  slowModeSeconds: number;
  /** Distinct students watching now (pushed by the server). */
  viewerCount: number | null;
  /** Who is watching, with their connections (moderators only; refreshed on presence pushes). */
  viewers: ViewerDto[] | null;
  sessionStatus: ReadyEvent['session']['status'] | null;
  /** Open and answered questions, by votes (the queue). */
  questions: QuestionList;
  /** The class's polls: launched ones for everyone, drafts too for moderators. */
  polls: PollDto[];
  /** The "I'm lost" meter (moderators), as last pushed. */
  meter: SignalMeter | null;
};

export type Classroom = ClassroomState & {
  send: (text: string) => Promise<Acks['chat:send']>;
  deleteMessage: (seq: number) => Promise<Acks['chat:delete']>;
  mute: (userId: number, minutes: number) => Promise<Acks['chat:mute']>;
  ban: (userId: number, reason?: string) => Promise<Acks['chat:ban']>;
  setSlowMode: (seconds: ClientPayload<'chat:slow-mode'>['seconds']) => Promise<Acks['chat:slow-mode']>;
  answerQuestion: (id: number) => Promise<ClassroomAcks['question:answer']>;
  dismissQuestion: (id: number) => Promise<ClassroomAcks['question:dismiss']>;
  pinQuestion: (id: number, pinned: boolean) => Promise<ClassroomAcks['question:pin']>;
  /** A poll written on the spot: kept as a draft, or launched at once. */
  createPoll: (poll: PollDraft, launch: boolean) => Promise<ClassroomAcks['poll:create']>;
  launchPoll: (id: number) => Promise<ClassroomAcks['poll:launch']>;
  closePoll: (id: number) => Promise<ClassroomAcks['poll:close']>;
  revealPoll: (id: number) => Promise<ClassroomAcks['poll:reveal']>;
  /** A poll the REST API answered with (a draft saved or edited before the socket pushes anything). */
  notePoll: (poll: PollDto) => void;
  /** A draft deleted through the REST API. */
  forgetPoll: (id: number) => void;
  /** Starts over after `stopped` (e.g. "Try again" after a failed join). */
  retry: () => void;
};

const failure = (code: ErrorAck['error']['code'], message: string): ErrorAck => ({ ok: false, error: { code, message } });
/** A refusal as any event's ack: every ack in the contract may be an ErrorAck (a generic event is too wide for the checker to see it). */
const refusal = <E extends AnyClientEvent>(code: ErrorAck['error']['code'], message: string) => failure(code, message) as unknown as AllAcks[E];

const initialState: ClassroomState = {
  connection: { phase: 'off' },
  log: emptyChatLog(),
  me: null,
  slowModeSeconds: 0,
  viewerCount: null,
  viewers: null,
  sessionStatus: null,
  questions: emptyQuestionList(),
  polls: [],
  meter: null,
};

/**
 * The class chat's socket for the mentor panel: gets the realtime grant from the join (and
 * refreshes it before it expires and whenever the server says it expired), connects, keeps the
 * chat log (resuming after the last seq on every reconnect, syncing any gap), the slow mode, the
 * viewer count and, for moderators, who is watching. Every action resolves to its ack; a refused
 * or unanswered one resolves to an ErrorAck with words to show.
 */
export function useClassroomSocket(client: LiveClient, sessionId: string, enabled: boolean): Classroom {
  const [state, setState] = useState<ClassroomState>(initialState);
  const [attempt, setAttempt] = useState(0);
  const socketRef = useRef<ClassroomSocket | null>(null);
  const logRef = useRef(state.log);
  logRef.current = state.log;

  const patch = useCallback((changes: Partial<ClassroomState> | ((previous: ClassroomState) => Partial<ClassroomState>)) => {
    setState((previous) => ({ ...previous, ...(typeof changes === 'function' ? changes(previous) : changes) }));
  }, []);
  const addToLog = useCallback((messages: ChatMessageDto[]) => patch((previous) => ({ log: addMessages(previous.log, messages) })), [patch]);

  useEffect(() => {
    if (!enabled) {
      setState(initialState);
      return;
    }
    let disposed = false;
    let stopped = false;
    let socket: ClassroomSocket | null = null;
    let token = '';
    let everConnected = false;
    let grantRefreshes = 0;
    let unavailableRetries = 0;
    let byeSaysReconnect = false;
    let lastViewerList = 0;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const later = (fn: () => void, ms: number) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!disposed && !stopped) fn();
      }, ms);
      timers.add(timer);
      return timer;
    };
    const cancel = (timer: ReturnType<typeof setTimeout> | undefined) => {
      if (!timer) return;
      clearTimeout(timer);
      timers.delete(timer);
    };
    let grantTimer: ReturnType<typeof setTimeout> | undefined;
    let viewerTimer: ReturnType<typeof setTimeout> | undefined;

    setState({ ...initialState, connection: { phase: 'connecting' } });

    const stop = (code: string, message: string) => {
      if (disposed || stopped) return;
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      socket?.disconnect();
      patch({ connection: { phase: 'stopped', code, message }, viewers: null });
    };

    /** The grant from a fresh join; null when this user may not chat. */
    const fetchGrant = async (): Promise<RealtimeGrant | null> => {
      const join = await joinSession(client, sessionId);
      const grant = join.realtime ?? null;
      if (grant) {
        token = grant.token;
        cancel(grantTimer);
        const refreshIn = new Date(grant.expiresAt).getTime() - Date.now() - GRANT_REFRESH_MARGIN_MS;
        // Refreshed quietly: if it fails, the next handshake says 'expired-token' and that path joins again.
        grantTimer = later(() => void fetchGrant().catch(() => undefined), Math.max(refreshIn, 5_000));
      }
      return grant;
    };

    const listViewers = () => {
      const current = socket;
      if (!current?.connected || disposed || stopped) return;
      lastViewerList = Date.now();
      current.timeout(ACK_TIMEOUT_MS).emit('presence:list', {}, (error: Error | null, answer: Acks['presence:list']) => {
        if (!disposed && !error && answer.ok) patch({ viewers: answer.viewers });
      });
      cancel(viewerTimer);
      viewerTimer = later(listViewers, VIEWER_LIST_MAX_INTERVAL_MS);
    };
    /** At most once per VIEWER_LIST_MIN_INTERVAL_MS, however often the count is pushed. */
    const listViewersSoon = () => {
      const wait = lastViewerList + VIEWER_LIST_MIN_INTERVAL_MS - Date.now();
      if (wait <= 0) return listViewers();
      cancel(viewerTimer);
      viewerTimer = later(listViewers, wait);
    };

    /** Moderators: every poll of the class, drafts included (a draft saved in another tab shows up on reconnect). */
    const listPolls = () => {
      const current = socket;
      if (!current?.connected || disposed || stopped) return;
      current.timeout(ACK_TIMEOUT_MS).emit('poll:list', {}, (error: Error | null, answer: ClassroomAcks['poll:list']) => {
        if (!disposed && !error && answer.ok) patch((previous) => ({ polls: resetPolls(previous.polls, answer.polls) }));
      });
    };

    const refreshGrantAndReconnect = async () => {
      try {
        const grant = await fetchGrant();
        if (disposed || stopped) return;
        if (!grant) {
          stopped = true;
          socket?.disconnect();
          patch({ connection: { phase: 'no-access' } });
          return;
        }
        socket?.connect();
      } catch (error) {
        const apiError = toLiveApiError(error);
        // 409: the class ended or was cancelled meanwhile; 403/404: no longer this user's class.
        if (apiError.status && apiError.status >= 400 && apiError.status < 500) stop('join-refused', apiError.message);
        else later(() => void refreshGrantAndReconnect(), RETRY_DELAYS_MS[Math.min(unavailableRetries++, RETRY_DELAYS_MS.length - 1)]);
      }
    };

    const connect = async () => {
      let grant: RealtimeGrant | null;
      try {
        grant = await fetchGrant();
      } catch (error) {
        stop('join-refused', toLiveApiError(error).message);
        return;
      }
      if (disposed) return;
      if (!grant) {
        stopped = true;
        patch({ connection: { phase: 'no-access' } });
        return;
      }

      const current: ClassroomSocket = io(grant.url, {
        path: grant.path,
        transports: ['websocket', 'polling'],
        tryAllTransports: true,
        // A function, so every reconnect presents the current token and resumes after what we have now.
        auth: (callback) => {
          const lastSeq = logRef.current.lastSeq;
          callback(lastSeq > 0 ? { token, lastSeq } : { token });
        },
      });
      socket = current;
      socketRef.current = current;

      current.on('ready', (ready) => {
        grantRefreshes = 0;
        unavailableRetries = 0;
        byeSaysReconnect = false;
        const reconnected = everConnected;
        everConnected = true;
        patch((previous) => ({
          connection: { phase: 'connected', reconnected },
          // A fresh join, or a resume that missed more than the server replays, starts a new log at ready.fromSeq.
          log: resumeLog(previous.log, ready),
          me: ready.me,
          slowModeSeconds: ready.slowModeSeconds,
          viewerCount: ready.viewers,
          sessionStatus: ready.session.status,
          // The server's state now replaces what a dropped connection may have missed; drafts
          // aren't in `ready`, so polls are added to what is held (poll:list below replaces them).
          ...(ready.classroom && {
            questions: resetQuestions(previous.questions, ready.classroom.questions),
            polls: ready.classroom.polls.reduce(applyPoll, previous.polls),
            meter: ready.classroom.meter,
          }),
        }));
        if (ready.me.capabilities.includes('moderate')) {
          listViewers();
          listPolls();
        }
      });
      current.on('question:updated', (question) => patch((previous) => ({ questions: applyQuestion(previous.questions, question) })));
      current.on('poll:updated', (poll) => patch((previous) => ({ polls: applyPoll(previous.polls, poll) })));
      current.on('poll:results', (results) => patch((previous) => ({ polls: applyPollResults(previous.polls, results) })));
      current.on('signals:meter', (meter) => patch({ meter }));
      current.on('chat:message', (message) => {
        patch((previous) => ({
          log: addMessages(previous.log, [message]),
          ...(message.system?.event === 'slow-mode' && { slowModeSeconds: message.system.slowModeSeconds ?? 0 }),
        }));
      });
      current.on('presence:count', ({ viewers }) => {
        patch({ viewerCount: viewers });
        listViewersSoon();
      });
      current.on('session:status', ({ status }) => patch({ sessionStatus: status }));
      current.on('bye', (bye) => {
        byeSaysReconnect = bye.reconnect;
        if (!bye.reconnect) stop(bye.reason, bye.message);
      });
      current.on('disconnect', (reason) => {
        if (disposed || stopped || reason === 'io client disconnect') return;
        patch({ connection: { phase: 'reconnecting' } });
        // socket.io doesn't reconnect after the server hung up; a restarting server said so in its bye
        // (and without a bye, the next handshake says why we were let go).
        if (reason === 'io server disconnect') {
          const delay = byeSaysReconnect ? 0 : RETRY_DELAYS_MS[0];
          later(() => current.connect(), delay);
        }
      });
      current.on('connect_error', (error) => {
        if (disposed || stopped) return;
        const data = (error as Error & { data?: { code?: string; message?: string } }).data;
        const code = (data?.code ?? error.message) as HandshakeError;
        const words = data?.message || REFUSAL_WORDS[code] || error.message;
        if (current.active) {
          // A network failure: socket.io retries with its own backoff.
          patch((previous) => ({ connection: previous.connection.phase === 'connecting' ? previous.connection : { phase: 'reconnecting' } }));
          return;
        }
        if (FINAL_REFUSALS.includes(code)) return stop(code, words);
        if (code === 'expired-token' || code === 'bad-token') {
          if (grantRefreshes >= MAX_GRANT_REFRESHES) return stop(code, words);
          grantRefreshes += 1;
          patch((previous) => ({ connection: previous.connection.phase === 'connecting' ? previous.connection : { phase: 'reconnecting' } }));
          void refreshGrantAndReconnect();
          return;
        }
        // 'unavailable' (or anything new): try again, slower each time.
        patch((previous) => ({ connection: previous.connection.phase === 'connecting' ? previous.connection : { phase: 'reconnecting' } }));
        later(() => current.connect(), RETRY_DELAYS_MS[Math.min(unavailableRetries++, RETRY_DELAYS_MS.length - 1)]);
      });
    };

    void connect();
    return () => {
      disposed = true;
      for (const timer of timers) clearTimeout(timer);
      socket?.disconnect();
      socketRef.current = null;
    };
  }, [client, sessionId, enabled, attempt, patch]);

  // A gap that hasn't closed by itself: ask for everything after the last contiguous seq.
  const gap = hasGap(state.log);
  const lastSeq = state.log.lastSeq;
  useEffect(() => {
    if (!gap) return;
    const timer = setTimeout(() => {
      const socket = socketRef.current;
      if (!socket?.connected) return; // the reconnect's handshake resumes after lastSeq anyway
      socket.timeout(ACK_TIMEOUT_MS).emit('chat:sync', { afterSeq: lastSeq }, (error: Error | null, answer: Acks['chat:sync']) => {
        if (error || !answer.ok) return;
        addToLog(answer.messages);
      });
    }, GAP_SYNC_DELAY_MS);
    return () => clearTimeout(timer);
  }, [gap, lastSeq, addToLog]);

  /** One client event and its ack; refused before sending when the payload fails the contract or we're offline. */
  const request = useCallback(async <E extends AnyClientEvent>(event: E, payload: Payload<E>): Promise<AllAcks[E]> => {
    // Widened: the union of every event's schema is too large for the checker to follow; `Payload<E>` types the callers.
    const schema: z.ZodTypeAny = allClientEvents[event];
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.');
      return refusal<E>('bad-request', field ? `${field}: ${issue.message}` : (issue?.message ?? 'invalid'));
    }
    const socket = socketRef.current;
    if (!socket?.connected) return refusal<E>('unavailable', "Not connected to the class: wait until it's back and try again.");
    return new Promise<AllAcks[E]>((resolve) => {
      // socket.io's emit typing can't follow a generic event name; the EmitEvents map above is the contract.
      (socket.timeout(ACK_TIMEOUT_MS) as any).emit(event, parsed.data, (error: Error | null, answer: AllAcks[E]) => {
        resolve(error ? refusal<E>('unavailable', "The class server didn't answer in time. Try again.") : answer);
      });
    });
  }, []);

  const send = useCallback(
    async (text: string) => {
      const answer = await request('chat:send', { text });
      // The room's push may come later (or, on another process, first): the log keeps one copy.
      if (answer.ok) addToLog([answer.message]);
      return answer;
    },
    [request, addToLog]
  );
  const deleteMessage = useCallback((seq: number) => request('chat:delete', { seq }), [request]);
  const mute = useCallback((userId: number, minutes: number) => request('chat:mute', { userId, minutes }), [request]);
  const ban = useCallback(
    (userId: number, reason?: string) => request('chat:ban', reason?.trim() ? { userId, reason: reason.trim() } : { userId }),
    [request]
  );
  const setSlowMode = useCallback(
    async (seconds: ClientPayload<'chat:slow-mode'>['seconds']) => {
      const answer = await request('chat:slow-mode', { seconds });
      if (answer.ok) patch({ slowModeSeconds: answer.seconds });
      return answer;
    },
    [request, patch]
  );
  const answerQuestion = useCallback((id: number) => request('question:answer', { id }), [request]);
  const dismissQuestion = useCallback((id: number) => request('question:dismiss', { id }), [request]);
  const pinQuestion = useCallback((id: number, pinned: boolean) => request('question:pin', { id, pinned }), [request]);

  const notePoll = useCallback((poll: PollDto) => patch((previous) => ({ polls: applyPoll(previous.polls, poll) })), [patch]);
  const forgetPoll = useCallback((id: number) => patch((previous) => ({ polls: removePoll(previous.polls, id) })), [patch]);
  /** A poll action whose ack carries the poll: applied at once (the room's push may come later, or first). */
  const pollAction = useCallback(
    async <E extends 'poll:create' | 'poll:launch' | 'poll:close' | 'poll:reveal'>(event: E, payload: Payload<E>) => {
      const answer = await request(event, payload);
      if (answer.ok) notePoll(answer.poll);
      return answer;
    },
    [request, notePoll]
  );
  const createPoll = useCallback((poll: PollDraft, launch: boolean) => pollAction('poll:create', { poll, launch }), [pollAction]);
  const launchPoll = useCallback((id: number) => pollAction('poll:launch', { id }), [pollAction]);
  const closePoll = useCallback((id: number) => pollAction('poll:close', { id }), [pollAction]);
  const revealPoll = useCallback((id: number) => pollAction('poll:reveal', { id }), [pollAction]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  return {
    ...state,
    send,
    deleteMessage,
    mute,
    ban,
    setSlowMode,
    answerQuestion,
    dismissQuestion,
    pinQuestion,
    createPoll,
    launchPoll,
    closePoll,
    revealPoll,
    notePoll,
    forgetPoll,
    retry,
  };
}
