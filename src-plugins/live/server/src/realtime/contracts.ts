import { z } from 'zod';
import { documentId as documentIdOf } from '../utils/schemas';
import { plainText } from '../utils/plain-text';

/**
 * The live classroom's real-time contract: every socket event a client may send (with the zod
 * schema its payload must pass and the shape of its ack), every event the server pushes, the
 * error codes, the limits and the chat REST API's schemas. Shared by the server, the mentor
 * panel (admin/src) and the site's chat island, and described for other clients in
 * docs/realtime.md.
 *
 * Browser-safe: zod and plain data only.
 */

/** socket.io's path on Strapi's own port (not under /api: socket.io answers it before Koa). */
export const REALTIME_PATH = '/realtime/';

/** IVS Chat's limit, kept for both providers so the site behaves the same on either. */
export const MAX_MESSAGE_LENGTH = 500;
/** Any client event's payload, serialized, above this is refused unread. */
export const MAX_EVENT_BYTES = 4 * 1024;
/** Messages a late joiner (or a history page) gets at most. */
export const HISTORY_LIMIT_DEFAULT = 50;
export const HISTORY_LIMIT_MAX = 200;
/** Messages replayed on a reconnect at most; beyond, the client is told to reload (`truncated`). */
export const RESUME_LIMIT = 500;

/** Per user and session: a burst of `burst` messages, then `perMinute` sustained. */
export const CHAT_RATE = { burst: 5, burstWindowSeconds: 5, perMinute: 20 } as const;
/** Slow mode's choices, in seconds between a student's messages. */
export const SLOW_MODE_SECONDS = [5, 10, 30, 60, 120] as const;
/** Mute lengths offered, in minutes. */
export const MUTE_MINUTES_MAX = 24 * 60;
/** A dropped connection still counts as watching for this long (a reconnect within it is seamless). */
export const PRESENCE_GRACE_SECONDS = 15;
/** The viewer count is pushed to the room at most this often. */
export const VIEWER_PUSH_INTERVAL_MS = 1_000;

export const MESSAGE_TYPES = ['CHAT', 'QUESTION', 'POLL_RESPONSE', 'SYSTEM'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** What a realtime token lets its holder do. Students: read, send. Mentor and admins: also moderate. */
export const CAPABILITIES = ['read', 'send', 'moderate'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export type AuthorRole = 'student' | 'mentor' | 'admin';

/** System messages: what happened, for clients to render in their own words (and language). */
export const SYSTEM_EVENTS = ['class-started', 'class-ended', 'message-deleted', 'user-banned', 'slow-mode'] as const;
export type SystemEvent = (typeof SYSTEM_EVENTS)[number];

export type ChatAuthor = { id: number; name: string; role: AuthorRole };

/**
 * One entry of a session's chat. `seq` is per session, strictly increasing, gap-free among what
 * is stored; system entries take a `seq` too, so a client that resumes from its last `seq`
 * also receives the deletions and bans it missed (their `system.removed` lists the `seq`s to drop).
 */
export type ChatMessageDto = {
  seq: number;
  type: MessageType;
  text: string;
  /** ISO date-time the server stored it. */
  sentAt: string;
  /** Milliseconds from the stream's start (null before the class went live): for replay. */
  offsetMs: number | null;
  /** Null for system messages. */
  author: ChatAuthor | null;
  system?: { event: SystemEvent; removed?: number[]; slowModeSeconds?: number };
};

// ---------------------------------------------------------------------------
// Client → server events. Every one is acknowledged: `ack({ ok: true, … })` or `ack(errorAck)`.

const text = plainText({ min: 1, max: MAX_MESSAGE_LENGTH, multiline: true });
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const clientEvents = {
  /** Send a chat message. `clientId` (optional, ≤ 64 chars) is echoed so a client can match its own message. */
  'chat:send': z.object({ text, clientId: z.string().min(1).max(64).regex(/^[\w-]+$/, 'must be letters, digits, - or _').optional() }).strict(),
  /** Everything after `afterSeq` (what a client missed), at most RESUME_LIMIT. */
  'chat:sync': z.object({ afterSeq: seq }).strict(),
  /** Moderators: delete one message for everyone. */
  'chat:delete': z.object({ seq: seq.min(1) }).strict(),
  /** Moderators: mute a student for N minutes (0 lifts the mute). */
  'chat:mute': z.object({ userId: z.number().int().positive(), minutes: z.number().int().min(0).max(MUTE_MINUTES_MAX) }).strict(),
  /** Moderators: ban a student from this class (disconnects them, removes their messages). */
  'chat:ban': z.object({ userId: z.number().int().positive(), reason: plainText({ max: 200 }).optional() }).strict(),
  /** Moderators: slow mode, in seconds between a student's messages (0 = off). */
  'chat:slow-mode': z.object({ seconds: z.union([z.literal(0), ...SLOW_MODE_SECONDS.map((s) => z.literal(s))]) }).strict(),
  /** Moderators: who is connected now. */
  'presence:list': z.object({}).strict(),
} as const;
export type ClientEvent = keyof typeof clientEvents;
export type ClientPayload<E extends ClientEvent> = z.infer<(typeof clientEvents)[E]>;

export const ERROR_CODES = [
  'bad-request', // payload failed validation (message says which field)
  'unknown-event',
  'too-large',
  'forbidden', // the token lacks the capability
  'rate-limited', // retryAfterSeconds says when
  'slow-mode', // retryAfterSeconds says when
  'muted', // until says when it ends
  'not-live', // the class is over or cancelled: no more messages
  'not-found', // no such message / student
  'unavailable', // a server-side failure; retry later
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorAck = { ok: false; error: { code: ErrorCode; message: string; retryAfterSeconds?: number; until?: string } };

export type ViewerDto = { userId: number; name: string; connections: number; since: string };

export type Acks = {
  'chat:send': { ok: true; message: ChatMessageDto; clientId?: string } | ErrorAck;
  'chat:sync': { ok: true; messages: ChatMessageDto[]; truncated: boolean } | ErrorAck;
  'chat:delete': { ok: true } | ErrorAck;
  'chat:mute': { ok: true; until: string | null } | ErrorAck;
  'chat:ban': { ok: true } | ErrorAck;
  'chat:slow-mode': { ok: true; seconds: number } | ErrorAck;
  'presence:list': { ok: true; viewers: ViewerDto[] } | ErrorAck;
};

// ---------------------------------------------------------------------------
// Server → client events.

/** Sent once right after the connection is accepted. */
export type ReadyEvent = {
  session: { id: string; status: 'SCHEDULED' | 'LIVE' | 'ENDED' | 'CANCELLED'; startedAt: string | null };
  me: ChatAuthor & { capabilities: Capability[] };
  /** Recent history (a fresh join) or everything after the handshake's `lastSeq` (a resume). */
  messages: ChatMessageDto[];
  /**
   * `messages` is everything stored after this seq: the handshake's `lastSeq` on a resume; on a
   * fresh join (or a resume that missed more than RESUME_LIMIT) the seq before the recent window.
   * A client whose log is behind it starts a new log there (`resumeLog` in chat-log.ts).
   */
  fromSeq: number;
  /** More was missed than RESUME_LIMIT: the client got the recent window instead (older: GET history). */
  truncated: boolean;
  /** The highest `seq` stored now (0 when the chat is empty). */
  lastSeq: number;
  slowModeSeconds: number;
  viewers: number;
  /** Set when this user is muted: ISO date-time the mute ends. */
  mutedUntil: string | null;
  /** Q&A, polls and (moderators) the "I'm lost" meter, as they are now. */
  classroom: ClassroomState;
};

export type ServerEvents = ClassroomServerEvents & {
  ready: ReadyEvent;
  'chat:message': ChatMessageDto;
  /** Watching now (distinct students with a live connection), pushed at most once a second. */
  'presence:count': { viewers: number };
  /** To the muted student only. */
  'chat:muted': { until: string | null };
  /** The class's status changed (started, ended, cancelled). */
  'session:status': { status: ReadyEvent['session']['status']; startedAt: string | null };
  /** Sent before the server disconnects this client: banned, or shutting down (reconnect elsewhere). */
  bye: { reason: 'banned' | 'shutdown' | 'class-over'; message: string; reconnect: boolean };
  /** This process is shutting down: its transport closes next and the client reconnects (to another process) by itself. */
  'server:draining': { message: string };
};

/** The handshake's `auth` object: `io(url, { path: REALTIME_PATH, auth: { token, lastSeq } })`. */
export const handshakeAuth = z
  .object({
    token: z.string().min(16).max(2048),
    /** The last `seq` this client has: present on a reconnect, so only what was missed is sent. */
    lastSeq: seq.optional(),
  })
  .strict();

/** Why a handshake was refused: `connect_error`'s `err.message` is the code, `err.data` holds `{ code, message }`. */
export const HANDSHAKE_ERRORS = ['no-token', 'bad-token', 'expired-token', 'banned', 'not-enrolled', 'class-over', 'unavailable'] as const;
export type HandshakeError = (typeof HANDSHAKE_ERRORS)[number];

/** What a join (student) or the panel (mentor) gets to connect with. */
export type RealtimeGrant = {
  /** Strapi's public origin; connect with `io(url, { path })`. */
  url: string;
  path: string;
  token: string;
  expiresAt: string;
  capabilities: Capability[];
  /**
   * With CHAT_PROVIDER=ivs-chat: send chat messages over IVS Chat's messaging WebSocket (token
   * as the subprotocol, `{ Action: 'SEND_MESSAGE', RequestId, Content }`) instead of 'chat:send'.
   * Everything else — receiving, history, resume, moderation — stays on the socket above.
   */
  ivsChat?: IvsChatGrant;
};

export type IvsChatGrant = {
  /** `wss://edge.ivschat.<region>.amazonaws.com`. */
  messagingUrl: string;
  /** IVS's chat token; connect within its short validity, the connection then lasts until sessionExpirationTime. */
  token: string;
  sessionExpirationTime: string;
};

// ---------------------------------------------------------------------------
// REST: GET/POST /api/live/sessions/:id/chat, GET /api/live/sessions/:id/moderation

export const chatHistoryQuery = z
  .object({
    /** Messages with seq < before (older page), newest first… */
    before: z.coerce.number().int().min(1).optional(),
    /** …or with seq > after (what came since), oldest first. */
    after: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(HISTORY_LIMIT_MAX).default(HISTORY_LIMIT_DEFAULT),
  })
  .strict()
  .refine((q) => q.before === undefined || q.after === undefined, 'send before or after, not both');
export type ChatHistoryQuery = z.infer<typeof chatHistoryQuery>;

/** Always ascending by seq. `hasMore`: older (before) or newer (after) messages exist beyond this page. */
export type ChatHistoryResponse = { messages: ChatMessageDto[]; hasMore: boolean; lastSeq: number };

export const chatPostBody = clientEvents['chat:send'];

/** POST /api/live/sessions/:id/moderation: the socket's moderation events, for clients without a socket. */
export const moderationBody = z.discriminatedUnion('action', [
  clientEvents['chat:delete'].extend({ action: z.literal('delete') }).strict(),
  clientEvents['chat:mute'].extend({ action: z.literal('mute') }).strict(),
  clientEvents['chat:ban'].extend({ action: z.literal('ban') }).strict(),
  clientEvents['chat:slow-mode'].extend({ action: z.literal('slow-mode') }).strict(),
]);
export type ModerationBody = z.infer<typeof moderationBody>;

export const MODERATION_ACTIONS = ['delete', 'mute', 'unmute', 'ban', 'slow-mode'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

export type ModerationEntryDto = {
  id: number;
  action: ModerationAction;
  at: string;
  moderator: { id: number; name: string };
  target: { userId: number; name: string } | null;
  /** Deleted message's seq, mute minutes, slow-mode seconds, ban reason. */
  detail: { seq?: number; minutes?: number; seconds?: number; reason?: string; text?: string };
};

/** After the class: who attended and for how long (the panel's attendance list). */
export type AttendanceEntryDto = { userId: number; name: string; joinedAt: string; leftAt: string | null; watchSeconds: number; watching: boolean };

export const sessionIdParam = documentIdOf();

// ---------------------------------------------------------------------------
// Q&A, polls and quizzes, "I'm lost" signals: the classroom beyond chat. Same rules as above:
// every client event is acknowledged, every payload validated; see docs/realtime.md.

export const QUESTION_MAX_LENGTH = 300;
export const POLL_QUESTION_MAX_LENGTH = 200;
export const POLL_OPTION_MAX_LENGTH = 80;
export const POLL_OPTIONS_MIN = 2;
export const POLL_OPTIONS_MAX = 6;
export const POLL_DURATION_SECONDS = { min: 10, max: 600 } as const;
/** Results are pushed at most this often per poll (never per vote). */
export const POLL_RESULTS_INTERVAL_MS = 250;
/**
 * A timed poll stays open on the server this long after its timer, so a student whose player
 * shows it later (their delay behind the mentor) gets the same answering time.
 */
export const POLL_GRACE_SECONDS = { local: 3, ivs: 8 } as const;
export const SIGNAL_KINDS = ['lost', 'slow-down'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];
/** A student may signal once per this many seconds. */
export const SIGNAL_COOLDOWN_SECONDS = 30;
/** The meter counts distinct students who signalled within this window… */
export const SIGNAL_WINDOW_SECONDS = 60;
/** …and alerts the mentor when they are at least this share of the students watching. */
export const SIGNAL_ALERT_SHARE = 0.2;

export type QuestionState = 'open' | 'answered' | 'dismissed' | 'withdrawn';

/** A question as everyone sees it. Ordered by votes, then time asked (`compareQuestions`). */
export type QuestionDto = {
  id: number;
  text: string;
  author: { id: number; name: string };
  votes: number;
  state: QuestionState;
  /** The one being answered now: everyone sees it highlighted (at most one per class). */
  pinned: boolean;
  askedAt: string;
  /** Milliseconds from the stream's start (null before the class went live). */
  offsetMs: number | null;
  answeredAt: string | null;
};

/** Votes first, then the earlier question. */
export const compareQuestions = (a: QuestionDto, b: QuestionDto) => b.votes - a.votes || a.askedAt.localeCompare(b.askedAt) || a.id - b.id;

export type PollState = 'draft' | 'open' | 'closed';

export type PollDto = {
  id: number;
  question: string;
  options: string[];
  /** A quiz has a correct answer, sent only once revealed (and to moderators). */
  kind: 'poll' | 'quiz';
  state: PollState;
  durationSeconds: number | null;
  launchedAt: string | null;
  /** Milliseconds from the stream's start when it was launched: where it belongs in the video. */
  launchedOffsetMs: number | null;
  /** When the server stops taking votes (timer + grace); null for an untimed open poll. */
  closesAt: string | null;
  closedAt: string | null;
  /** Results (and a quiz's answer) shown to students. */
  revealed: boolean;
  /** Index into options: moderators always, students only once revealed. */
  correctOption: number | null;
  /** Moderators always; students once revealed. */
  results: { counts: number[]; total: number } | null;
};

/** A student's own answer, and for a quiz whether it was right (once revealed). */
export type MyVote = { pollId: number; option: number; correct: boolean | null };

const questionText = plainText({ min: 3, max: QUESTION_MAX_LENGTH, multiline: true });
const id = z.number().int().positive();

export const pollDraft = z
  .object({
    question: plainText({ min: 3, max: POLL_QUESTION_MAX_LENGTH }),
    options: z
      .array(plainText({ min: 1, max: POLL_OPTION_MAX_LENGTH }))
      .min(POLL_OPTIONS_MIN, `give at least ${POLL_OPTIONS_MIN} options`)
      .max(POLL_OPTIONS_MAX, `give at most ${POLL_OPTIONS_MAX} options`)
      .refine((options) => new Set(options.map((o) => o.toLowerCase())).size === options.length, 'options must differ'),
    /** Makes it a quiz: the index of the right option. */
    correctOption: z.number().int().min(0).max(POLL_OPTIONS_MAX - 1).optional(),
    durationSeconds: z.number().int().min(POLL_DURATION_SECONDS.min).max(POLL_DURATION_SECONDS.max).optional(),
  })
  .strict()
  .refine((poll) => poll.correctOption === undefined || poll.correctOption < poll.options.length, { message: 'correctOption must be one of the options', path: ['correctOption'] });
export type PollDraft = z.infer<typeof pollDraft>;

export const classroomEvents = {
  'question:ask': z.object({ text: questionText }).strict(),
  /** Upvote; a second upvote by the same student takes it back. Not on one's own question. */
  'question:upvote': z.object({ id }).strict(),
  /** The asker takes their question back. */
  'question:withdraw': z.object({ id }).strict(),
  /** Moderators: answered, dismissed, or pinned (answering now) / unpinned. */
  'question:answer': z.object({ id }).strict(),
  'question:dismiss': z.object({ id }).strict(),
  'question:pin': z.object({ id, pinned: z.boolean() }).strict(),
  /** Moderators: a new poll, kept as a draft or launched at once (`launch: true`). */
  'poll:create': z.object({ poll: pollDraft, launch: z.boolean().optional() }).strict(),
  'poll:launch': z.object({ id }).strict(),
  'poll:close': z.object({ id }).strict(),
  /** Moderators: show the results (and a quiz's answer) to the students. */
  'poll:reveal': z.object({ id }).strict(),
  /** Students: one vote per poll, final. */
  'poll:vote': z.object({ id, option: z.number().int().min(0).max(POLL_OPTIONS_MAX - 1) }).strict(),
  /** Moderators: every poll of the class, drafts included. */
  'poll:list': z.object({}).strict(),
  /** Students: "I'm lost" / "slow down". */
  'signal:send': z.object({ kind: z.enum(SIGNAL_KINDS) }).strict(),
} as const;

export type ClassroomAcks = {
  'question:ask': { ok: true; question: QuestionDto } | ErrorAck;
  'question:upvote': { ok: true; voted: boolean; votes: number } | ErrorAck;
  'question:withdraw': { ok: true } | ErrorAck;
  'question:answer': { ok: true } | ErrorAck;
  'question:dismiss': { ok: true } | ErrorAck;
  'question:pin': { ok: true } | ErrorAck;
  'poll:create': { ok: true; poll: PollDto } | ErrorAck;
  'poll:launch': { ok: true; poll: PollDto } | ErrorAck;
  'poll:close': { ok: true; poll: PollDto } | ErrorAck;
  'poll:reveal': { ok: true; poll: PollDto } | ErrorAck;
  'poll:vote': { ok: true; vote: MyVote } | ErrorAck;
  'poll:list': { ok: true; polls: PollDto[] } | ErrorAck;
  'signal:send': { ok: true; retryAfterSeconds: number } | ErrorAck;
};

/** The "I'm lost" meter, for moderators, pushed at most once a second while it changes. */
export type SignalMeter = { lost: number; slowDown: number; viewers: number; share: number; alert: boolean };

export type ClassroomServerEvents = {
  /** A question was asked or changed (votes, state, pin). Withdrawn/dismissed ones leave the list. */
  'question:updated': QuestionDto;
  /** A poll was launched, closed or revealed (the student view: no answer, no counts until revealed). */
  'poll:updated': PollDto;
  /** Live counts, throttled: moderators always, everyone once revealed. */
  'poll:results': { id: number; counts: number[]; total: number };
  'signals:meter': SignalMeter;
};

/** Part of `ready`: the classroom's current state for a (re)connecting client. */
export type ClassroomState = {
  /** Open and answered questions, ordered (compareQuestions). */
  questions: QuestionDto[];
  /** Ids of the questions this user has upvoted. */
  myUpvotes: number[];
  /** Launched polls of the class (students: without answers or counts until revealed). */
  polls: PollDto[];
  myVotes: MyVote[];
  /** Moderators only. */
  meter: SignalMeter | null;
};

export const pollDraftBody = pollDraft;
export type PollsResponse = { polls: PollDto[]; myVotes: MyVote[]; score: { correct: number; answered: number; quizzes: number } | null };

/** Every event a client may send: the chat's and the classroom's. */
export const allClientEvents = { ...clientEvents, ...classroomEvents } as const;
export type AnyClientEvent = keyof typeof allClientEvents;
