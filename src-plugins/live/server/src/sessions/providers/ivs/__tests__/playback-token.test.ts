import { createPrivateKey, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { IvsClient } from '@aws-sdk/client-ivs';
import { mockClient } from 'aws-sdk-client-mock';
import { LiveProviderError, type ChannelRecord } from '../../types';
import { ivsProvider, loadPlaybackPrivateKey, signPlaybackToken } from '..';
import { CHANNEL_ARN, INGEST_ENDPOINT, KEY_PAIR_ARN, PLAYBACK_URL, playbackKeys, STREAM_KEY_ARN } from './fixtures';

const keys = playbackKeys();
const ORIGIN = 'https://learn.skillyug.com';

/** Splits a JWT and checks its ES384 signature with the public key, as IVS does at playback start. */
function verifyJwt(token: string, publicKeyPem: string) {
  const [header, payload, signature] = token.split('.');
  const valid = verify('sha384', Buffer.from(`${header}.${payload}`), { key: createPublicKey(publicKeyPem), dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  return {
    valid,
    header: JSON.parse(Buffer.from(header, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString()),
    signatureBytes: Buffer.from(signature, 'base64url').length,
  };
}

describe('signPlaybackToken', () => {
  const now = new Date('2024-05-01T10:00:00.000Z');
  const sign = (overrides: Partial<Parameters<typeof signPlaybackToken>[0]> = {}) =>
    signPlaybackToken({ channelArn: CHANNEL_ARN, viewerId: 'user-17', origin: ORIGIN, ttlSeconds: 300, privateKey: createPrivateKey(keys.privateKeyPem), now, ...overrides });

  it('makes an ES384 JWT that the imported public key verifies, with every IVS claim', () => {
    const { token, expiresAt } = sign();
    const jwt = verifyJwt(token, keys.publicKeyPem);

    expect(jwt.valid).toBe(true);
    expect(jwt.signatureBytes).toBe(96); // r||s for P-384, not DER
    expect(jwt.header).toEqual({ alg: 'ES384', typ: 'JWT' });
    expect(jwt.payload).toEqual({
      'aws:channel-arn': CHANNEL_ARN,
      'aws:access-control-allow-origin': ORIGIN,
      'aws:viewer-id': 'user-17',
      exp: now.getTime() / 1000 + 300,
    });
    expect(expiresAt.toISOString()).toBe('2024-05-01T10:05:00.000Z');
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/); // base64url, no padding
  });

  it('puts exp in seconds and never more than 10 minutes ahead', () => {
    const { token, expiresAt } = sign({ ttlSeconds: 3600 });
    const { payload } = verifyJwt(token, keys.publicKeyPem);
    expect(payload.exp).toBe(Math.floor(now.getTime() / 1000) + 600);
    expect(payload.exp).toBeLessThan(1e11); // seconds, not milliseconds
    expect(expiresAt.getTime() - now.getTime()).toBe(600_000);
  });

  it('does not verify once the payload is tampered with', () => {
    const { token } = sign();
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ 'aws:channel-arn': 'arn:aws:ivs:us-west-2:123456789012:channel/other', 'aws:access-control-allow-origin': ORIGIN, 'aws:viewer-id': 'user-17', exp: 9999999999 })).toString('base64url');
    expect(verifyJwt(`${header}.${forged}.${signature}`, keys.publicKeyPem).valid).toBe(false);
  });

  it('does not verify with another key pair', () => {
    expect(verifyJwt(sign().token, playbackKeys().publicKeyPem).valid).toBe(false);
  });

  it('refuses a viewer id longer than 40 characters, and an empty one', () => {
    expect(() => sign({ viewerId: 'v'.repeat(41) })).toThrow(/at most 40 characters/);
    expect(() => sign({ viewerId: 'v'.repeat(40) })).not.toThrow();
    expect(() => sign({ viewerId: '' })).toThrow(/viewer id/);
  });

  it('refuses a zero or negative lifetime', () => {
    expect(() => sign({ ttlSeconds: 0 })).toThrow(/positive lifetime/);
    expect(() => sign({ ttlSeconds: -5 })).toThrow(/positive lifetime/);
  });
});

describe('loadPlaybackPrivateKey', () => {
  it('accepts the PEM with literal \\n, as a .env line holds it', () => {
    const escaped = keys.privateKeyPem.trim().replace(/\n/g, '\\n');
    expect(loadPlaybackPrivateKey(escaped).asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
  });

  it('refuses a key IVS cannot verify (P-256) without echoing it', () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
    expect(() => loadPlaybackPrivateKey(p256)).toThrow(/P-384/);
    try {
      loadPlaybackPrivateKey('-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----');
    } catch (error) {
      expect((error as Error).message).toBe('IVS_PLAYBACK_PRIVATE_KEY is not a readable PEM private key');
    }
  });
});

describe('ivsProvider().playback', () => {
  const client = new IvsClient({ region: 'us-west-2' });
  const ivs = mockClient(client);
  const channel: ChannelRecord = { provider: 'ivs', channelId: CHANNEL_ARN, ingestServer: `rtmps://${INGEST_ENDPOINT}:443/app/`, playbackUrl: PLAYBACK_URL, streamKeyRef: STREAM_KEY_ARN };
  const provider = (key: { playbackPrivateKeyPem?: string } = { playbackPrivateKeyPem: keys.privateKeyPem }) =>
    ivsProvider({ region: 'us-west-2', channelType: 'STANDARD', playbackKeyPairArn: KEY_PAIR_ARN, ...key, client });

  it('returns the playback URL with a verifiable token for this viewer and channel, capped at 600 s', async () => {
    const before = Math.floor(Date.now() / 1000);
    const playback = await provider().playback(channel, { viewerId: 'user-17', origin: ORIGIN }, 3600);

    expect(playback.kind).toBe('ivs');
    const url = new URL(playback.url);
    expect(`${url.origin}${url.pathname}`).toBe(PLAYBACK_URL);
    const jwt = verifyJwt(url.searchParams.get('token')!, keys.publicKeyPem);
    expect(jwt.valid).toBe(true);
    expect(jwt.payload).toMatchObject({ 'aws:channel-arn': CHANNEL_ARN, 'aws:viewer-id': 'user-17', 'aws:access-control-allow-origin': ORIGIN });
    expect(jwt.payload.exp).toBeGreaterThanOrEqual(before + 600);
    expect(jwt.payload.exp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 600);
    expect(playback.expiresAt).toBe(new Date(jwt.payload.exp * 1000).toISOString());
    expect(ivs.calls()).toHaveLength(0); // signing is local: no API call per viewer
  });

  it('answers 400 for a viewer id IVS would refuse', async () => {
    await expect(provider().playback(channel, { viewerId: 'x'.repeat(41), origin: ORIGIN }, 60)).rejects.toMatchObject({ name: 'LiveProviderError', status: 400 });
  });

  it('answers 503 naming the setup when no private key is configured', async () => {
    const attempt = provider({}).playback(channel, { viewerId: 'u', origin: ORIGIN }, 60);
    await expect(attempt).rejects.toThrow(LiveProviderError);
    await expect(attempt).rejects.toMatchObject({ status: 503, message: expect.stringContaining('npm run live:ivs-setup') });
  });
});
