/**
 * Playback tokens for the local provider's HTTP-FLV/WS-FLV URLs: one viewer, one channel, a few
 * minutes. `v1.<payload>.<signature>`, payload = base64url JSON {c: channelId, v: viewerId, e: exp
 * (unix seconds)}, signature = HMAC-SHA256 over `v1.<payload>` with a key derived from the
 * provider secret (so the raw secret is never used directly for two jobs).
 * The expiry is checked when a player connects; a stream already playing is not cut at expiry.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type PlayTokenClaims = { channelId: string; viewerId: string; /** Unix seconds. */ expiresAt: number };

export type PlayTokenCheck =
  | { ok: true; claims: PlayTokenClaims }
  | { ok: false; reason: 'missing' | 'malformed' | 'bad-signature' | 'expired' | 'other-channel' };

const VERSION = 'v1';
const MAX_TOKEN_LENGTH = 2048;

const signingKey = (secret: string): Buffer =>
  createHmac('sha256', secret).update('skillyug/live/local/play-token/v1').digest();

const signature = (secret: string, signedPart: string): Buffer =>
  createHmac('sha256', signingKey(secret)).update(signedPart).digest();

export function signPlayToken(secret: string, claims: PlayTokenClaims): string {
  const payload = Buffer.from(JSON.stringify({ c: claims.channelId, v: claims.viewerId, e: claims.expiresAt })).toString('base64url');
  const signedPart = `${VERSION}.${payload}`;
  return `${signedPart}.${signature(secret, signedPart).toString('base64url')}`;
}

/** Checks a token for `channelId`. Never throws, whatever `token` is. */
export function verifyPlayToken(secret: string, token: unknown, channelId: string, nowMs: number = Date.now()): PlayTokenCheck {
  if (typeof token !== 'string' || token.length === 0) return { ok: false, reason: 'missing' };
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return { ok: false, reason: 'malformed' };
  const [version, payload, presentedSignature] = parts;

  const expected = signature(secret, `${version}.${payload}`);
  const presented = Buffer.from(presentedSignature, 'base64url');
  // The length is not secret (always 32 for a real token); timingSafeEqual needs equal lengths.
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }

  let claims: PlayTokenClaims;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!decoded || typeof decoded !== 'object') return { ok: false, reason: 'malformed' };
    const { c, v, e } = decoded as Record<string, unknown>;
    if (typeof c !== 'string' || typeof v !== 'string' || typeof e !== 'number' || !Number.isFinite(e)) {
      return { ok: false, reason: 'malformed' };
    }
    claims = { channelId: c, viewerId: v, expiresAt: e };
  } catch {
    return { ok: false, reason: 'malformed' };
  }

  if (claims.expiresAt * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  if (claims.channelId !== channelId) return { ok: false, reason: 'other-channel' };
  return { ok: true, claims };
}
