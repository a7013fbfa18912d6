/**
 * The classroom islands' calls to the site's own endpoints (the session cookie goes along; the
 * Strapi token never reaches the browser).
 */
import type { JoinOutcome } from '../lib/live-state';

const joinUrl = (sessionId: string) => `/api/live/${encodeURIComponent(sessionId)}/join`;
const leaveUrl = (sessionId: string) => `/api/live/${encodeURIComponent(sessionId)}/leave`;

/** Joins again: a fresh playback URL while the class is LIVE, or why not. Never throws. */
export async function rejoin(sessionId: string): Promise<JoinOutcome> {
  try {
    const response = await fetch(joinUrl(sessionId), {
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { Accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (response.ok && body && typeof body.session === 'object' && body.session) {
      return { ok: true, data: body as unknown as Extract<JoinOutcome, { ok: true }>['data'] };
    }
    return {
      ok: false,
      status: response.ok ? 502 : response.status,
      message: typeof body?.error === 'string' ? body.error : response.statusText,
      ...(typeof body?.reason === 'string' ? { reason: body.reason } : {}),
    };
  } catch {
    return { ok: false, status: 0, message: 'The network is unavailable.' };
  }
}

/** Records that the student left (watch time). A beacon survives the page being closed. */
export function sendLeave(sessionId: string): void {
  const url = leaveUrl(sessionId);
  try {
    if (navigator.sendBeacon?.(url)) return;
  } catch {
    /* fall through */
  }
  fetch(url, { method: 'POST', keepalive: true, credentials: 'same-origin' }).catch(() => undefined);
}
