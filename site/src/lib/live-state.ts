/**
 * The live classroom's decisions, as pure functions shared by the classroom page (server), the
 * waiting-room and player islands (browser) and the unit tests: what to show for a join's answer,
 * what to do after a re-join, how long to wait before reconnecting or polling again.
 *
 * Browser-safe: imports types only (api.ts's schemas mirror the live plugin's contracts).
 */
import type { JoinResponse, Playback } from './api';

export type { JoinResponse, Playback, RealtimeGrant } from './api';
export type JoinSession = JoinResponse['session'];

/** A join's answer as the page and the islands see it: the response, or Strapi's refusal. */
export type JoinOutcome =
  | { ok: true; data: JoinResponse }
  | {
      ok: false;
      /** HTTP status; 0 when Strapi (or, from the browser, the site) could not be reached. */
      status: number;
      message: string;
      reason?: string;
      /** On a 403, the course to enroll in, when the API names it (`error.details.course.slug`). */
      courseSlug?: string;
      /** On a 409, the class as this site last saw it joined (the API's refusal names nothing). */
      session?: JoinSession;
    };

/** `banned`: the class's mentor removed this student (the API's 403 says `reason: 'banned'`). */
export type ClassroomProblem = 'signed-out' | 'not-enrolled' | 'banned' | 'missing' | 'unavailable';

/** What the classroom shows. `state` is the root's `data-live-state`. */
export type ClassroomView =
  /** SCHEDULED, or LIVE while no playback is available yet (`startingNow`). */
  | { state: 'waiting'; session: JoinSession; startingNow: boolean }
  | { state: 'live'; session: JoinSession; playback: Playback }
  | { state: 'ended'; session: JoinSession | null; cancelled: boolean; message: string }
  | { state: 'error'; problem: ClassroomProblem; httpStatus: number; message: string };

const ENDED_MESSAGE = 'This live class has ended.';
const CANCELLED_MESSAGE = 'This live class was cancelled.';

/** The API's messages as sentences ("This class has ended" → "This class has ended."). */
export const sentence = (text: string) => {
  const trimmed = text.trim();
  return trimmed && !/[.!?…]$/.test(trimmed) ? `${trimmed}.` : trimmed;
};

const isCancelled = (outcome: { message: string; reason?: string }) =>
  outcome.reason === 'cancelled' || outcome.reason === 'CANCELLED' || /cancel/i.test(outcome.message);

export function classroomView(outcome: JoinOutcome): ClassroomView {
  if (outcome.ok) {
    const { session, playback } = outcome.data;
    switch (session.status) {
      case 'LIVE':
        return playback ? { state: 'live', session, playback } : { state: 'waiting', session, startingNow: true };
      case 'SCHEDULED':
        return { state: 'waiting', session, startingNow: false };
      case 'CANCELLED':
        return { state: 'ended', session, cancelled: true, message: CANCELLED_MESSAGE };
      default:
        return { state: 'ended', session, cancelled: false, message: ENDED_MESSAGE };
    }
  }
  const { status, message } = outcome;
  if (status === 409) {
    const cancelled = isCancelled(outcome);
    // The remembered session still says SCHEDULED or LIVE: the refusal is newer.
    const session = outcome.session ? { ...outcome.session, status: cancelled ? ('CANCELLED' as const) : ('ENDED' as const) } : null;
    return { state: 'ended', session, cancelled, message: sentence(message) || (cancelled ? CANCELLED_MESSAGE : ENDED_MESSAGE) };
  }
  if (status === 401) return { state: 'error', problem: 'signed-out', httpStatus: 401, message };
  if (status === 403) return { state: 'error', problem: outcome.reason === 'banned' ? 'banned' : 'not-enrolled', httpStatus: 403, message };
  if (status === 404 || status === 400) return { state: 'error', problem: 'missing', httpStatus: 404, message };
  return { state: 'error', problem: 'unavailable', httpStatus: 503, message };
}

/** The classroom page's HTTP status. */
export const classroomStatus = (view: ClassroomView) => (view.state === 'error' ? view.httpStatus : 200);

export type NextStep =
  /** (Re)connect the player with this fresh playback. */
  | { action: 'connect'; playback: Playback }
  /** Nothing to play yet (or the API is briefly unavailable): ask again later. */
  | { action: 'wait' }
  | { action: 'ended'; cancelled: boolean; message: string }
  /** Something only the server can render (signed out, no longer enrolled, gone): reload the page. */
  | { action: 'reload' };

/**
 * What to do with a join's answer in the browser. `from` is where the island is: the waiting
 * room reloads the page when the class starts or ends (the server renders the player or the
 * message); the player reconnects in place.
 */
export function nextStep(outcome: JoinOutcome, from: 'waiting' | 'player'): NextStep {
  const view = classroomView(outcome);
  switch (view.state) {
    case 'live':
      return from === 'player' ? { action: 'connect', playback: view.playback } : { action: 'reload' };
    case 'waiting':
      return { action: 'wait' };
    case 'ended':
      return from === 'player' ? { action: 'ended', cancelled: view.cancelled, message: view.message } : { action: 'reload' };
    case 'error':
      return view.problem === 'unavailable' ? { action: 'wait' } : { action: 'reload' };
  }
}

/** Reconnect delays: 1, 2, 4, 8, then every 15 s, each ±20 % (`random` in [0, 1); 0.5 = none). */
export function reconnectDelayMs(attempt: number, random: number = Math.random()): number {
  const base = Math.min(15_000, 1_000 * 2 ** Math.max(0, Math.min(attempt, 10)));
  return Math.round(base * (0.8 + 0.4 * random));
}

/**
 * The waiting room asks every 15 s; a class more than an hour away, every minute; a class
 * already LIVE whose stream isn't up yet, every 5 s.
 */
export function waitingPollDelayMs(msUntilStart: number, startingNow = false): number {
  if (startingNow) return 5_000;
  return msUntilStart > 60 * 60_000 ? 60_000 : 15_000;
}

/** A playback URL is only used at connect time; one about to expire is refreshed first (join again). */
export function playbackFresh(playback: Pick<Playback, 'expiresAt'>, now: number = Date.now(), marginMs = 5_000): boolean {
  const expires = Date.parse(playback.expiresAt);
  return Number.isFinite(expires) && expires - now > marginMs;
}

/** "in 2 days 3 h", "in 1 h 5 min", "in 4 min 12 s", "in 12 s"; at or after the start, null. */
export function countdownText(msUntilStart: number): string | null {
  if (!Number.isFinite(msUntilStart) || msUntilStart <= 0) return null;
  const total = Math.ceil(msUntilStart / 1000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (days > 0) return `in ${days} ${days === 1 ? 'day' : 'days'}${hours ? ` ${hours} h` : ''}`;
  if (hours > 0) return `in ${hours} h${minutes ? ` ${minutes} min` : ''}`;
  if (minutes > 0) return `in ${minutes} min${seconds ? ` ${seconds} s` : ''}`;
  return `in ${seconds} s`;
}

/** The player island's states (`data-player-state`). */
export type PlayerState = 'connecting' | 'live' | 'blocked' | 'interrupted' | 'ended' | 'unsupported';

export const PLAYER_MESSAGES: Record<PlayerState, string> = {
  connecting: 'Connecting to the class…',
  live: 'You’re watching live.',
  blocked: 'Your browser paused the video. Press Play to watch.',
  interrupted: 'The stream was interrupted. Reconnecting…',
  ended: 'The class has ended.',
  unsupported: 'This browser can’t play the live stream. Try a recent Chrome, Edge, Firefox or Safari.',
};

/** How far playback is behind the newest buffered media, in seconds (null before anything is buffered). */
export function bufferLatency(buffered: { length: number; end(index: number): number }, currentTime: number): number | null {
  if (buffered.length === 0) return null;
  return Math.max(0, buffered.end(buffered.length - 1) - currentTime);
}

/** A class's start time, e.g. "Tue, 2 Dec, 3:30 pm IST", in `timeZone` (the browser's own when omitted). */
export function formatClassTime(iso: string, timeZone?: string, locale = 'en-IN'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: date.getFullYear() === new Date().getFullYear() ? undefined : 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
}

/** The server renders times in India's zone; the browser rewrites them in the visitor's own. */
export const SERVER_TIME_ZONE = 'Asia/Kolkata';
