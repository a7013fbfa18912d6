/**
 * The classroom chat's words and small decisions, pure and browser-safe (the ClassroomChat island,
 * chat-client.ts and the unit tests share them): system messages and refusals in words, how long
 * a student must wait before sending again, and the screen-reader announcer that summarises new
 * messages instead of reading every one out.
 */
// First: the contracts build zod schemas as they load (see zod-jitless.ts).
import './zod-jitless';
import { MAX_MESSAGE_LENGTH, type ChatMessageDto, type ErrorCode, type HandshakeError, type ReadyEvent } from '../../../src-plugins/live/server/src/realtime/contracts';

/** This user's own message (a student and an admin may share a numeric id: the role tells them apart). */
export const isMine = (message: Pick<ChatMessageDto, 'author'>, me: ReadyEvent['me'] | null) =>
  Boolean(me && message.author && message.author.id === me.id && (message.author.role === 'student') === (me.role === 'student'));

/** A chat message in words, as the chat list shows it. System messages are worded here, not by the server. */
export function systemText(message: Pick<ChatMessageDto, 'text' | 'system'>): string {
  const system = message.system;
  switch (system?.event) {
    case 'class-started':
      return 'The class has started.';
    case 'class-ended':
      return 'The class has ended.';
    case 'message-deleted':
      return (system.removed?.length ?? 1) > 1 ? 'Some messages were removed.' : 'A message was removed.';
    case 'user-banned':
      return 'A student was removed from the class.';
    case 'slow-mode':
      return system.slowModeSeconds ? `Slow mode on: one message every ${system.slowModeSeconds} s.` : 'Slow mode off.';
    default:
      return message.text;
  }
}

/** "45 s", "2 min", "2 min 5 s". */
export function durationText(seconds: number): string {
  const total = Math.max(0, Math.ceil(seconds));
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  const rest = total % 60;
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}

/** A refusal the student can act on: why, and until when sending is held back (epoch ms; null: not held). */
export type SendRefusal = { code: ErrorCode | 'offline'; message: string; retryAt: number | null; until?: string };

/** What an error ack means for the send box: the wait to count down (rate limit, slow mode, mute). */
export function refusalFrom(error: { code: ErrorCode; message: string; retryAfterSeconds?: number; until?: string }, now: number = Date.now()): SendRefusal {
  const untilMs = error.until ? Date.parse(error.until) : NaN;
  const retryAt = Number.isFinite(untilMs)
    ? untilMs
    : typeof error.retryAfterSeconds === 'number' && error.retryAfterSeconds > 0
      ? now + error.retryAfterSeconds * 1000
      : null;
  return { code: error.code, message: error.message, retryAt, ...(error.until ? { until: error.until } : {}) };
}

/** The refusal in words, with the time left counting down (`now` moves, the text follows). */
export function refusalText(refusal: SendRefusal, now: number = Date.now(), slowModeSeconds = 0, formatTime: (iso: string) => string = clockTime): string {
  const left = refusal.retryAt === null ? 0 : Math.ceil((refusal.retryAt - now) / 1000);
  switch (refusal.code) {
    case 'rate-limited':
      return left > 0 ? `You’re sending messages too fast. You can send again in ${durationText(left)}.` : 'You can send again now.';
    case 'slow-mode':
      return left > 0
        ? `Slow mode is on${slowModeSeconds ? `: one message every ${durationText(slowModeSeconds)}` : ''}. You can send again in ${durationText(left)}.`
        : 'You can send again now.';
    case 'muted':
      if (left <= 0) return 'You can send again now.';
      return refusal.until ? `The mentor has muted you until ${formatTime(refusal.until)} (${durationText(left)} left).` : `The mentor has muted you for ${durationText(left)}.`;
    case 'not-live':
      return 'The class has ended: the chat is closed.';
    case 'offline':
      return 'Not sent: you’re offline. Your message is still in the box; send it again when you’re back.';
    case 'unavailable':
      return 'Not sent: something went wrong on our side. Try again in a moment.';
    case 'too-large':
      return `Not sent: a message can be at most ${MAX_MESSAGE_LENGTH} characters.`;
    default:
      return `Not sent: ${sentenceOf(refusal.message)}`;
  }
}

/** While a refusal holds sending back (the Send button waits; typing goes on). */
export const holdsSending = (refusal: SendRefusal | null, now: number = Date.now()) =>
  refusal !== null && refusal.retryAt !== null && refusal.retryAt > now && (refusal.code === 'rate-limited' || refusal.code === 'slow-mode' || refusal.code === 'muted');

const sentenceOf = (text: string) => {
  const trimmed = text.trim();
  if (!trimmed) return 'try again.';
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
};

/** "10:42 am" in the browser's own zone. */
export const clockTime = (iso: string) => new Intl.DateTimeFormat('en-IN', { hour: 'numeric', minute: '2-digit' }).format(new Date(iso));

/** Why the chat closed for good, in words, by the handshake's refusal code (the server's message when it has one). */
export function closedText(code: HandshakeError | 'signed-out' | 'error', serverMessage?: string): string {
  const said = serverMessage?.trim() ? sentenceOf(serverMessage) : '';
  switch (code) {
    case 'banned':
      return `${said || 'You were removed from this class by its mentor.'} You can no longer read or send messages in this class.`;
    case 'class-over':
      return said || 'The class has ended: the chat is closed.';
    case 'not-enrolled':
      return said || 'Only the students enrolled in the course can chat in this class.';
    case 'signed-out':
      return 'Your session has ended. Sign in again to chat.';
    default:
      return said || 'The chat can’t connect right now. Reload the page to try again.';
  }
}

/** The send box's counter: characters left, and whether the text can be sent as it is. */
export function draftState(text: string): { length: number; left: number; sendable: boolean; tooLong: boolean } {
  // The server trims before it counts; so does this.
  const length = text.trim().length;
  const left = MAX_MESSAGE_LENGTH - length;
  return { length, left, tooLong: left < 0, sendable: length > 0 && left >= 0 };
}

// ── Screen readers: a summary of new messages at most every few seconds ──────────────────────

export type Announceable = { author: string | null; text: string };

/** Announced text of one message is cut here (the list itself has all of it). */
const ANNOUNCE_TEXT_MAX = 140;

const clip = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > ANNOUNCE_TEXT_MAX ? `${flat.slice(0, ANNOUNCE_TEXT_MAX - 1)}…` : flat;
};

/** "Asha: hello", or "3 new messages. Latest from Asha: hello". */
export function summarize(items: Announceable[]): string {
  if (items.length === 0) return '';
  const latest = items[items.length - 1];
  const line = latest.author ? `${latest.author}: ${clip(latest.text)}` : clip(latest.text);
  if (items.length === 1) return line;
  return `${items.length} new messages. Latest${latest.author ? ` from ${latest.author}: ${clip(latest.text)}` : `: ${clip(latest.text)}`}`;
}

/**
 * Throttles what a polite live region says: the first new message is announced at once, then at
 * most one summary per `intervalMs` ("4 new messages. Latest from …"), so a busy class doesn't
 * drown out everything else a screen reader has to say.
 */
export class MessageAnnouncer {
  private queued: Announceable[] = [];
  private lastAnnouncedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly intervalMs = 5_000) {}

  /** Queues new messages; returns what to announce now, or null (then `flush` at `dueAt()`). */
  add(items: Announceable[], now: number): string | null {
    if (items.length === 0) return null;
    this.queued.push(...items);
    return now - this.lastAnnouncedAt >= this.intervalMs ? this.take(now) : null;
  }

  /** When the queued summary may be announced (null: nothing queued). */
  dueAt(): number | null {
    return this.queued.length ? this.lastAnnouncedAt + this.intervalMs : null;
  }

  /** The queued summary if its time has come, else null. */
  flush(now: number): string | null {
    const due = this.dueAt();
    return due !== null && now >= due ? this.take(now) : null;
  }

  private take(now: number): string {
    const text = summarize(this.queued);
    this.queued = [];
    this.lastAnnouncedAt = now;
    return text;
  }
}
