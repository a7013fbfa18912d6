import { createPrivateKey, sign, type KeyObject } from 'node:crypto';

/** IVS: with `aws:viewer-id` (or a single-use uuid) a token may be valid at most 10 minutes. */
export const MAX_PLAYBACK_TOKEN_TTL_SECONDS = 600;
/** IVS: `aws:viewer-id` is at most 40 characters. */
export const MAX_VIEWER_ID_LENGTH = 40;

export type PlaybackTokenInput = {
  channelArn: string;
  viewerId: string;
  /** The page's origin allowed to play (`aws:access-control-allow-origin`). */
  origin: string;
  /** Capped at 600 s. */
  ttlSeconds: number;
  /** The P-384 private key whose public half was imported with ImportPlaybackKeyPair. */
  privateKey: KeyObject;
  now?: Date;
};

/** Why a token could not be made; the message never contains the key. */
export class PlaybackTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlaybackTokenError';
  }
}

/**
 * An IVS private-channel playback token: a JWT signed ES384.
 *
 * - `exp` is in SECONDS (AWS's own sample uses milliseconds, which IVS rejects as too far ahead).
 * - ES384 JWS signatures are the raw r||s pair (IEEE P1363, 96 bytes), not node's default DER.
 */
export function signPlaybackToken(input: PlaybackTokenInput): { token: string; expiresAt: Date } {
  const { channelArn, viewerId, origin, privateKey } = input;
  if (!viewerId) throw new PlaybackTokenError('A playback token needs a viewer id');
  if (viewerId.length > MAX_VIEWER_ID_LENGTH) {
    throw new PlaybackTokenError(`IVS viewer ids are at most ${MAX_VIEWER_ID_LENGTH} characters (got ${viewerId.length})`);
  }
  if (!origin) throw new PlaybackTokenError('A playback token needs the origin of the page that plays it');
  if (!channelArn) throw new PlaybackTokenError('A playback token needs the channel ARN');
  if (!Number.isFinite(input.ttlSeconds) || input.ttlSeconds <= 0) {
    throw new PlaybackTokenError('A playback token needs a positive lifetime');
  }

  const ttlSeconds = Math.min(Math.floor(input.ttlSeconds), MAX_PLAYBACK_TOKEN_TTL_SECONDS);
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const exp = nowSeconds + Math.max(ttlSeconds, 1);

  const header = { alg: 'ES384', typ: 'JWT' };
  const payload = {
    'aws:channel-arn': channelArn,
    'aws:access-control-allow-origin': origin,
    'aws:viewer-id': viewerId,
    exp,
  };
  const signingInput = `${base64urlJson(header)}.${base64urlJson(payload)}`;
  const signature = sign('sha384', Buffer.from(signingInput), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return { token: `${signingInput}.${signature.toString('base64url')}`, expiresAt: new Date(exp * 1000) };
}

/**
 * Reads the PEM from configuration and checks it is what IVS verifies with (ECDSA P-384).
 * Accepts `\n` written literally, as a .env line often holds it.
 */
export function loadPlaybackPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem);
  } catch {
    throw new PlaybackTokenError('IVS_PLAYBACK_PRIVATE_KEY is not a readable PEM private key');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'secp384r1') {
    throw new PlaybackTokenError('IVS_PLAYBACK_PRIVATE_KEY must be an ECDSA P-384 (secp384r1) key: run `npm run live:ivs-setup`');
  }
  return key;
}

const base64urlJson = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
