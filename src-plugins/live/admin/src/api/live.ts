/**
 * The live-session API, typed. Every call of the "Live classes" page goes through here.
 *
 * The request schemas and response shapes come from the server's own contracts files
 * (server/src/sessions/contracts.ts, server/src/recordings/contracts.ts) so the panel and the API
 * can't drift apart.
 * Each function takes the admin fetch client (useFetchClient()), returns the envelope's `data`
 * and turns the server's `{ error: { status, message, details } }` into a thrown LiveApiError.
 */
import type { useFetchClient } from '@strapi/strapi/admin';
import type {
  AnalyticsResponse,
  CreateSessionBody,
  DashboardResponse,
  JoinResponse,
  ListSessionsQuery,
  SessionDto,
  SessionOptionsResponse,
  StatusResponse,
  StreamKeyResponse,
  UpdateSessionBody,
  ViewersResponse,
} from '../../../server/src/sessions/contracts';
import type {
  AttendanceEntryDto,
  ChatHistoryResponse,
  ModerationEntryDto,
  PollDraft,
  PollDto,
  PollsResponse,
  QuestionDto,
} from '../../../server/src/realtime/contracts';
import type { PanelRecordingDto, PublishRecordingBody, PublishRecordingResponse } from '../../../server/src/recordings/contracts';

// The pages import every contract type from here.
export type * from '../../../server/src/sessions/contracts';
export type * from '../../../server/src/recordings/contracts';
// Named, not `*`: both contracts export a `sessionIdParam`.
export type {
  Acks,
  AttendanceEntryDto,
  AuthorRole,
  Capability,
  ChatAuthor,
  ChatHistoryResponse,
  ChatMessageDto,
  ClassroomAcks,
  ClientEvent,
  ClientPayload,
  ErrorAck,
  ErrorCode,
  HandshakeError,
  MessageType,
  ModerationAction,
  ModerationEntryDto,
  MyVote,
  PollDraft,
  PollDto,
  PollState,
  PollsResponse,
  QuestionDto,
  QuestionState,
  ReadyEvent,
  RealtimeGrant,
  ServerEvents,
  SignalMeter,
  SystemEvent,
  ViewerDto,
} from '../../../server/src/realtime/contracts';

export type LiveClient = ReturnType<typeof useFetchClient>;

export type Pagination = { page: number; pageSize: number; pageCount: number; total: number };
export type SessionList = { data: SessionDto[]; pagination: Pagination };

/** The list endpoint's query, as the page keeps it in the URL (strings). */
export type SessionListParams = Partial<Record<keyof ListSessionsQuery, string>>;

/** An API failure with the server's message, its status and, for a 400, the message per field. */
export class LiveApiError extends Error {
  readonly status: number | undefined;
  readonly fieldErrors: Record<string, string>;

  constructor(message: string, status?: number, fieldErrors: Record<string, string> = {}) {
    super(message);
    this.name = 'LiveApiError';
    this.status = status;
    this.fieldErrors = fieldErrors;
  }
}

type ErrorDetails = { errors?: { path?: (string | number)[] | string; message?: string }[] };

/** Anything thrown by the fetch client (or a network failure) → a LiveApiError. */
export function toLiveApiError(error: unknown): LiveApiError {
  if (error instanceof LiveApiError) return error;
  const anyError = error as any;
  const envelope = anyError?.response?.data?.error;
  const status: number | undefined = envelope?.status ?? anyError?.status ?? anyError?.response?.status;
  const fieldErrors: Record<string, string> = {};
  const details = envelope?.details as ErrorDetails | undefined;
  for (const item of details?.errors ?? []) {
    const path = Array.isArray(item.path) ? item.path : typeof item.path === 'string' ? item.path.split('.') : [];
    const field = path.filter((part) => typeof part === 'string' && part !== 'body').pop();
    if (field && item.message && !fieldErrors[String(field)]) fieldErrors[String(field)] = item.message;
  }
  let message: string = envelope?.message || anyError?.message || 'Something went wrong';
  // A 400 without details may still name its field: "courseId: no published course has this id".
  const named = status === 400 && !Object.keys(fieldErrors).length ? /^([A-Za-z]+): (.+)$/.exec(message) : null;
  if (named) fieldErrors[named[1]] = named[2];
  if (status === 403 && !envelope?.message) message = "You don't have permission to do that.";
  if (anyError?.name === 'AbortError') message = 'The request was cancelled.';
  return new LiveApiError(message, status, fieldErrors);
}

/** The words to show for any error. */
export const errorMessage = (error: unknown) => toLiveApiError(error).message;

async function unwrap<T>(request: Promise<{ data: { data: T } }>): Promise<T> {
  try {
    const { data } = await request;
    return data.data;
  } catch (error) {
    throw toLiveApiError(error);
  }
}

const session = (id: string) => `/api/live/sessions/${encodeURIComponent(id)}`;

/** Only the parameters the server accepts: it refuses unknown ones with a 400. */
export function listParams(query: SessionListParams) {
  const params: Record<string, string> = {};
  for (const key of ['when', 'status', 'course', 'page', 'pageSize'] as const) {
    if (query[key]) params[key] = String(query[key]);
  }
  return params;
}

// ---------------------------------------------------------------------------
// Sessions

export async function listSessions(client: LiveClient, query: SessionListParams, signal?: AbortSignal): Promise<SessionList> {
  try {
    const { data } = await client.get<{ data: SessionDto[]; meta: { pagination: Pagination } }>('/api/live/sessions', {
      params: listParams(query),
      signal,
    });
    return { data: data.data, pagination: data.meta.pagination };
  } catch (error) {
    throw toLiveApiError(error);
  }
}

export const getSession = (client: LiveClient, id: string) => unwrap<SessionDto>(client.get(session(id)));

export const createSession = (client: LiveClient, body: CreateSessionBody) =>
  unwrap<SessionDto>(client.post('/api/live/sessions', body));

export const updateSession = (client: LiveClient, id: string, body: UpdateSessionBody) =>
  unwrap<SessionDto>(client.put(session(id), body));

/** Cancels a SCHEDULED session (the server keeps it, as CANCELLED). */
export const cancelSession = (client: LiveClient, id: string) => unwrap<SessionDto>(client.del(session(id)));

/** "Go live". A 409 carries the reason (e.g. already ended). */
export const startSession = (client: LiveClient, id: string) => unwrap<SessionDto>(client.post(`${session(id)}/start`, {}));

export const endSession = (client: LiveClient, id: string) => unwrap<SessionDto>(client.post(`${session(id)}/end`, {}));

// ---------------------------------------------------------------------------
// Live state

export const getStatus = (client: LiveClient, id: string, signal?: AbortSignal) =>
  unwrap<StatusResponse>(client.get(`${session(id)}/status`, { signal }));

/** The server may answer with the envelope or the bare object; accept both. */
export async function getViewers(client: LiveClient, id: string, signal?: AbortSignal): Promise<ViewersResponse> {
  try {
    const { data } = await client.get<{ data?: ViewersResponse } & Partial<ViewersResponse>>(`${session(id)}/viewers`, { signal });
    return (data.data ?? data) as ViewersResponse;
  } catch (error) {
    throw toLiveApiError(error);
  }
}

export const getAnalytics = (client: LiveClient, id: string) => unwrap<AnalyticsResponse>(client.get(`${session(id)}/analytics`));

export const getDashboard = (client: LiveClient) => unwrap<DashboardResponse>(client.get('/api/live/analytics/dashboard'));

/**
 * The mentor's own preview (a short-lived playback URL, only while LIVE) and the class chat's
 * realtime grant (SCHEDULED or LIVE; null when this user may not chat). Join again to refresh either.
 */
export const joinSession = (client: LiveClient, id: string) => unwrap<JoinResponse>(client.get(`${session(id)}/join`));

// ---------------------------------------------------------------------------
// Chat, moderation and attendance (the live chat itself runs over the socket: useClassroomSocket)

/** A page of the chat, ascending by seq: the newest without `before`, older ones with it ("Load earlier"). */
export const getChatHistory = (client: LiveClient, id: string, { before, limit }: { before?: number; limit?: number } = {}, signal?: AbortSignal) =>
  unwrap<ChatHistoryResponse>(
    client.get(`${session(id)}/chat`, {
      params: { ...(before !== undefined && { before: String(before) }), ...(limit !== undefined && { limit: String(limit) }) },
      signal,
    })
  );

/** Who deleted, muted, banned or switched slow mode, and when (the session's mentor and admins). */
export const getModerationLog = (client: LiveClient, id: string, signal?: AbortSignal) =>
  unwrap<ModerationEntryDto[]>(client.get(`${session(id)}/moderation`, { signal }));

/** The students who attended and their watch time (the mentor and admins; during and after the class). */
export const getAttendance = (client: LiveClient, id: string, signal?: AbortSignal) =>
  unwrap<AttendanceEntryDto[]>(client.get(`${session(id)}/attendance`, { signal }));

// ---------------------------------------------------------------------------
// Q&A and polls (live, the classroom's socket carries them: useClassroomSocket; these read them
// after the class and keep the drafts a mentor writes before it)

export type QuestionsResponse = { questions: QuestionDto[]; myUpvotes: number[] };

/** The class's open and answered questions, by votes. */
export const getQuestions = (client: LiveClient, id: string, signal?: AbortSignal) =>
  unwrap<QuestionsResponse>(client.get(`${session(id)}/questions`, { signal }));

/** Every poll of the class (drafts included, with results and answers, for its mentor and admins). */
export const getPolls = (client: LiveClient, id: string, signal?: AbortSignal) => unwrap<PollsResponse>(client.get(`${session(id)}/polls`, { signal }));

const poll = (id: string, pollId: number) => `${session(id)}/polls/${encodeURIComponent(String(pollId))}`;

/** A new draft (also before the class). A 400 names the field (`fieldErrors`). */
export const createPollDraft = (client: LiveClient, id: string, body: PollDraft) => unwrap<PollDto>(client.post(`${session(id)}/polls`, body));

/** Drafts only: a launched poll can't be edited (409). */
export const updatePollDraft = (client: LiveClient, id: string, pollId: number, body: PollDraft) => unwrap<PollDto>(client.put(poll(id, pollId), body));

export const deletePollDraft = (client: LiveClient, id: string, pollId: number) => unwrap<{ ok: true }>(client.del(poll(id, pollId)));

// ---------------------------------------------------------------------------
// Admin routes (not /api)

/** The stream key is a secret: fetch it only when the mentor asks to see or copy it. */
export const getStreamKey = (client: LiveClient, id: string) =>
  unwrap<StreamKeyResponse>(client.get(`/live/sessions/${encodeURIComponent(id)}/stream-key`));

/** A new key; the old one stops working at once. */
export const regenerateStreamKey = (client: LiveClient, id: string) =>
  unwrap<StreamKeyResponse>(client.post(`/live/sessions/${encodeURIComponent(id)}/stream-key`, {}));

export const getSessionOptions = (client: LiveClient) => unwrap<SessionOptionsResponse>(client.get('/live/session-options'));

// ---------------------------------------------------------------------------
// Recordings (admin routes: the session's mentor or an admin)

const recording = (id: string) => `/live/recordings/${encodeURIComponent(id)}`;

/** The class's recording, or null when it has none (the API's 404 "This class has no recording"). */
export async function getRecording(client: LiveClient, sessionId: string, signal?: AbortSignal): Promise<PanelRecordingDto | null> {
  try {
    const { data } = await client.get<{ data: PanelRecordingDto }>(`/live/sessions/${encodeURIComponent(sessionId)}/recording`, { signal });
    return data.data;
  } catch (error) {
    const apiError = toLiveApiError(error);
    if (apiError.status === 404) return null;
    throw apiError;
  }
}

/**
 * "Publish as a lesson": `published` at once when the recording is ready, else `scheduled` (done
 * when processing finishes). A 409 says why not (already published, failed); a 400 names the field.
 */
export const publishRecording = (client: LiveClient, recordingId: string, body: PublishRecordingBody) =>
  unwrap<PublishRecordingResponse>(client.post(`${recording(recordingId)}/publish`, body));

/** Processes a failed local recording again (its raw video must still be on disk; a 409 says when it isn't). */
export const retryRecording = (client: LiveClient, recordingId: string) => unwrap<PanelRecordingDto>(client.post(`${recording(recordingId)}/retry`, {}));

/** Deletes the recording and its stored video, poster and thumbnails (204). A 409 when it is published as a lesson. */
export async function deleteRecording(client: LiveClient, recordingId: string): Promise<void> {
  try {
    await client.del(recording(recordingId));
  } catch (error) {
    throw toLiveApiError(error);
  }
}

// ---------------------------------------------------------------------------
// Formatting

export const formatDateTime = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' }) : '—';

export const formatTime = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' }) : '—';

/** "in 2 hours", "5 minutes ago", "tomorrow". */
export function formatRelative(iso: string | null | undefined, now = Date.now()) {
  if (!iso) return '';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(seconds, 'second');
  if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return format.format(Math.round(seconds / 3600), 'hour');
  if (abs < 30 * 86_400) return format.format(Math.round(seconds / 86_400), 'day');
  return format.format(Math.round(seconds / (30 * 86_400)), 'month');
}

/** 3725 → "1 h 2 min"; 42 → "42 s". */
export function formatDuration(totalSeconds: number | null | undefined) {
  if (totalSeconds == null || !Number.isFinite(totalSeconds)) return '—';
  const seconds = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h) return m ? `${h} h ${m} min` : `${h} h`;
  if (m) return s && m < 10 ? `${m} min ${s} s` : `${m} min`;
  return `${s} s`;
}

/** "00:12:05" for a running clock. */
export function formatClock(totalSeconds: number) {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
}

export const formatNumber = (value: number | null | undefined) => (value == null ? '—' : new Intl.NumberFormat().format(value));

/** "1 lesson", "12 lessons". */
export const formatCount = (count: number, one: string, many: string) => `${formatNumber(count)} ${count === 1 ? one : many}`;

/** A position in a video: 75 000 ms → "1:15"; an hour or more → "1:02:05". */
export function formatVideoTime(ms: number) {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** 734 003 200 → "700 MB" (binary units, as file managers show sizes). */
export function formatBytes(bytes: number | null | undefined) {
  if (bytes == null || !Number.isFinite(bytes)) return '—';
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
