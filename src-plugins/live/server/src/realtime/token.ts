/**
 * Realtime tokens, like IVS Chat's: the join response hands one to the classroom for this user
 * and this session, with the role's capabilities; the socket handshake presents it. Signed with
 * a key derived for this purpose only (utils/signed-token.ts), short-lived, never stored.
 */
import { CAPABILITIES, type AuthorRole, type Capability } from './contracts';
import { signToken, verifyToken } from '../utils/signed-token';

const PURPOSE = 'realtime-token';

export type RealtimeClaims = {
  /** The session's documentId. */
  sessionId: string;
  userId: number;
  /** Site user (student) or admin user (mentor, admin): the two id spaces differ. */
  kind: 'student' | 'admin';
  role: AuthorRole;
  name: string;
  capabilities: Capability[];
  /** Unix seconds. */
  expiresAt: number;
};

export type RealtimeTokenCheck = { ok: true; claims: RealtimeClaims } | { ok: false; reason: 'no-token' | 'bad-token' | 'expired-token' };

export const signRealtimeToken = (secret: string, claims: RealtimeClaims) =>
  signToken(secret, PURPOSE, { s: claims.sessionId, u: claims.userId, k: claims.kind, r: claims.role, n: claims.name, c: claims.capabilities, e: claims.expiresAt });

/** Never throws, whatever `token` is. */
export function verifyRealtimeToken(secret: string, token: unknown, nowMs = Date.now()): RealtimeTokenCheck {
  const check = verifyToken(secret, PURPOSE, token);
  if (!check.ok) return { ok: false, reason: check.reason === 'missing' ? 'no-token' : 'bad-token' };
  const { s, u, k, r, n, c, e } = check.payload;
  const valid =
    typeof s === 'string' &&
    Number.isInteger(u) &&
    (k === 'student' || k === 'admin') &&
    (r === 'student' || r === 'mentor' || r === 'admin') &&
    typeof n === 'string' &&
    Array.isArray(c) &&
    c.every((cap) => (CAPABILITIES as readonly unknown[]).includes(cap)) &&
    typeof e === 'number' &&
    Number.isFinite(e);
  if (!valid) return { ok: false, reason: 'bad-token' };
  if (e * 1000 <= nowMs) return { ok: false, reason: 'expired-token' };
  return { ok: true, claims: { sessionId: s, userId: u as number, kind: k, role: r, name: n, capabilities: c as Capability[], expiresAt: e } };
}
