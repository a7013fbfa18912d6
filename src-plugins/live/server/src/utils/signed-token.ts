/**
 * Short-lived bearer tokens the plugin signs for itself (the local provider's playback URLs, the
 * classroom's realtime tokens): `v1.<payload>.<signature>`, payload = base64url JSON, signature =
 * HMAC-SHA256 over `v1.<payload>` with a key derived from the secret and the token's purpose, so
 * a token made for one job never passes as another. Expiry and audience are the callers' checks.
 */
import crypto, { createHmac, timingSafeEqual } from 'node:crypto';
import type { Env } from '@skillyug/config';

const VERSION = 'v1';
const MAX_TOKEN_LENGTH = 2048;

/** A secret for one purpose, derived from DATA_ENCRYPTION_KEY (one key to rotate, none reused across purposes). */
export const derivedSecret = (env: Env, purpose: string) =>
  crypto.createHmac('sha256', env.DATA_ENCRYPTION_KEY ?? '').update(`skillyug:live:${purpose}`).digest('base64url');

const signature = (secret: string, purpose: string, signedPart: string): Buffer => {
  const key = createHmac('sha256', secret).update(`skillyug/live/${purpose}/v1`).digest();
  return createHmac('sha256', key).update(signedPart).digest();
};

export function signToken(secret: string, purpose: string, payload: Record<string, unknown>): string {
  const signedPart = `${VERSION}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${signedPart}.${signature(secret, purpose, signedPart).toString('base64url')}`;
}

export type TokenCheck = { ok: true; payload: Record<string, unknown> } | { ok: false; reason: 'missing' | 'malformed' | 'bad-signature' };

/** Checks the signature and decodes the payload (an object). Never throws, whatever `token` is. */
export function verifyToken(secret: string, purpose: string, token: unknown): TokenCheck {
  if (typeof token !== 'string' || token.length === 0) return { ok: false, reason: 'missing' };
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return { ok: false, reason: 'malformed' };
  const [version, payload, presentedSignature] = parts;
  const expected = signature(secret, purpose, `${version}.${payload}`);
  const presented = Buffer.from(presentedSignature, 'base64url');
  // The length is not secret (always 32 for a real token); timingSafeEqual needs equal lengths.
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return { ok: false, reason: 'bad-signature' };
  try {
    const decoded: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!decoded || typeof decoded !== 'object' || Array.isArray(decoded)) return { ok: false, reason: 'malformed' };
    return { ok: true, payload: decoded as Record<string, unknown> };
  } catch {
    return { ok: false, reason: 'malformed' };
  }
}
