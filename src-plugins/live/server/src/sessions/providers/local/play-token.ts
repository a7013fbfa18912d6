/**
 * Playback tokens for the local provider's HTTP-FLV/WS-FLV URLs: one viewer, one channel, a few
 * minutes. `v1.<payload>.<signature>`, payload = base64url JSON {c: channelId, v: viewerId, e: exp
 * (unix seconds)}, signature = HMAC-SHA256 over `v1.<payload>` with a key derived from the
 * provider secret (so the raw secret is never used directly for two jobs).
 * The expiry is checked when a player connects; a stream already playing is not cut at expiry.
 */
import { signToken, verifyToken } from '../../../utils/signed-token';

export type PlayTokenClaims = { channelId: string; viewerId: string; /** Unix seconds. */ expiresAt: number };

export type PlayTokenCheck =
  | { ok: true; claims: PlayTokenClaims }
  | { ok: false; reason: 'missing' | 'malformed' | 'bad-signature' | 'expired' | 'other-channel' };

const PURPOSE = 'local/play-token';

export function signPlayToken(secret: string, claims: PlayTokenClaims): string {
  return signToken(secret, PURPOSE, { c: claims.channelId, v: claims.viewerId, e: claims.expiresAt });
}

/** Checks a token for `channelId`. Never throws, whatever `token` is. */
export function verifyPlayToken(secret: string, token: unknown, channelId: string, nowMs: number = Date.now()): PlayTokenCheck {
  const check = verifyToken(secret, PURPOSE, token);
  if (!check.ok) return check;
  const { c, v, e } = check.payload;
  if (typeof c !== 'string' || typeof v !== 'string' || typeof e !== 'number' || !Number.isFinite(e)) {
    return { ok: false, reason: 'malformed' };
  }
  const claims: PlayTokenClaims = { channelId: c, viewerId: v, expiresAt: e };
  if (claims.expiresAt * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  if (claims.channelId !== channelId) return { ok: false, reason: 'other-channel' };
  return { ok: true, claims };
}
