/**
 * Channel ids and stream keys of the local ingest.
 *
 * OBS's "Stream Key" field takes `<channelId>?key=<secret>`: OBS appends it to the server URL,
 * so the RTMP stream name is the channel id (the path NMS publishes, `/live/<channelId>`) and the
 * secret travels in the query, which NMS parses into `session.streamQuery.key` and never logs.
 * The channel id is random and unrelated to the secret, so it can appear in logs and URLs.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** NMS refuses other characters in a stream name (SAFE_NAME_PATTERN in its sessions). */
export const CHANNEL_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43,128}$/;

/** 128 random bits, url-safe: unguessable, short enough for a URL path. */
export function newChannelId(): string {
  return randomBytes(16).toString('base64url');
}

/** 256 random bits, url-safe (43 characters): safe in an RTMP query string without escaping. */
export function newStreamSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Exactly what the mentor pastes into OBS's "Stream Key" field. */
export function obsStreamKey(channelId: string, secret: string): string {
  return `${channelId}?key=${secret}`;
}

/** The secret inside a stream key this provider issued for `channelId`; null if it is not one. */
export function secretFromObsStreamKey(channelId: string, streamKey: string): string | null {
  const prefix = `${channelId}?key=`;
  if (!streamKey.startsWith(prefix)) return null;
  const secret = streamKey.slice(prefix.length);
  return SECRET_PATTERN.test(secret) ? secret : null;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * channelId → the current key, checked synchronously at publish time (NMS's listeners can't wait).
 * Only a SHA-256 digest of each secret is kept; comparing equal-length digests with
 * timingSafeEqual leaks neither the key nor its length.
 */
export class StreamKeyRegistry {
  private readonly digests = new Map<string, Buffer>();

  set(channelId: string, secret: string): void {
    this.digests.set(channelId, digest(secret));
  }

  forget(channelId: string): void {
    this.digests.delete(channelId);
  }

  has(channelId: string): boolean {
    return this.digests.has(channelId);
  }

  /** Whether `presented` (whatever arrived in the query: maybe absent, maybe an array) is the channel's key. */
  matches(channelId: string, presented: unknown): boolean {
    const expected = this.digests.get(channelId);
    if (!expected || typeof presented !== 'string' || presented.length === 0 || presented.length > 256) return false;
    return timingSafeEqual(expected, digest(presented));
  }

  clear(): void {
    this.digests.clear();
  }
}
