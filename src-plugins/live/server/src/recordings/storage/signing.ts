/**
 * Signed links to files the server serves itself (the disk backend's `/api/live/files/<key>`, a
 * locked lesson video under `/uploads/<file>`): `?exp=<unix seconds>&sig=<base64url>[&dl=<name>]`.
 *
 * `sig` = HMAC-SHA256 over `key|exp|dl` with a key derived from the secret for the purpose 'files'
 * (as utils/signed-token does for its tokens), so no other token of the plugin passes as one. The
 * key and `exp` can't hold '|', and `dl` is last: the signed text is unambiguous. The URL's path
 * prefix is not signed: the route that serves a folder decides which folder a key is read from.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { StorageError } from './types';

const PURPOSE = 'files';
const SIGNATURE_BYTES = 32;

const signingKey = (secret: string) => createHmac('sha256', secret).update(`skillyug/live/${PURPOSE}/v1`).digest();

/** The `sig` of a link to `key` that expires at `exp` (unix seconds), naming the download `downloadName` if any. */
export function signFileUrl(secret: string, key: string, exp: number, downloadName?: string): string {
  assertSecret(secret);
  return createHmac('sha256', signingKey(secret)).update(`${key}|${exp}|${downloadName ?? ''}`).digest('base64url');
}

export type FileUrlCheck =
  | { ok: true; expiresAt: Date; downloadName: string | undefined }
  | { ok: false; reason: 'invalid' | 'expired'; message: string };

export const LINK_NOT_VALID = 'This link is not valid';
export const LINK_EXPIRED = 'This link has expired';

// A repeated parameter arrives as an array and fails these: a link has exactly one of each.
const signedQuery = z.object({
  exp: z.string().regex(/^\d{1,12}$/),
  sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  dl: z.string().max(400).optional(),
});

/**
 * Checks a link's query (`exp`, `sig`, `dl` as the router parsed them; repeated or missing → not
 * valid) for `key`. The signature is checked before the expiry, so "expired" is only ever said of
 * a link this server made. Never throws.
 */
export function verifyFileUrl(secret: string, key: string, query: Record<string, unknown>, nowMs: number = Date.now()): FileUrlCheck {
  const parsed = signedQuery.safeParse({ exp: query.exp, sig: query.sig, dl: query.dl });
  if (!parsed.success || !isUsableSecret(secret)) return { ok: false, reason: 'invalid', message: LINK_NOT_VALID };
  const { exp, sig, dl } = parsed.data;
  const expected = Buffer.from(signFileUrl(secret, key, Number(exp), dl), 'base64url');
  const presented = Buffer.from(sig, 'base64url');
  if (presented.length !== SIGNATURE_BYTES || !timingSafeEqual(presented, expected)) {
    return { ok: false, reason: 'invalid', message: LINK_NOT_VALID };
  }
  if (Number(exp) * 1000 <= nowMs) return { ok: false, reason: 'expired', message: LINK_EXPIRED };
  return { ok: true, expiresAt: new Date(Number(exp) * 1000), downloadName: dl };
}

/** The query string (without '?') of a signed link to `key`. */
export function signedFileQuery(secret: string, key: string, exp: number, downloadName?: string): string {
  const query = new URLSearchParams({ exp: String(exp), sig: signFileUrl(secret, key, exp, downloadName) });
  if (downloadName !== undefined) query.set('dl', downloadName);
  return query.toString();
}

/**
 * A file name for `Content-Disposition` from a title ("Week 3: Hooks / Q&A" → "Week 3- Hooks - Q&A"):
 * no control characters, quotes, slashes or backslashes, at most 150 characters. Null when nothing is left.
 */
export function safeDownloadName(name: string): string | null {
  const cleaned = name
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f"\\/:*?<>|]+/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 150)
    .trim();
  return cleaned && !/^[.-]+$/.test(cleaned) ? cleaned : null;
}

/** `attachment` with an ASCII fallback and the exact name in RFC 5987 form (browsers pick the latter). */
export function attachmentDisposition(downloadName: string): string {
  const name = safeDownloadName(downloadName) ?? 'download';
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/[%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const isUsableSecret = (secret: unknown) => typeof secret === 'string' && secret.length >= 16;

function assertSecret(secret: string) {
  // A short or empty secret would sign links anyone could forge: refuse to sign rather than sign weakly.
  if (!isUsableSecret(secret)) throw new StorageError('The file-signing secret must be at least 16 characters', 503);
}
