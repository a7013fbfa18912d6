import { signPlayToken, verifyPlayToken } from '../play-token';

const secret = 'a-test-secret-that-is-at-least-32-bytes-long';
const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const inSeconds = (s: number) => Math.floor(now / 1000) + s;

describe('play tokens', () => {
  const token = signPlayToken(secret, { channelId: 'chanA', viewerId: 'user-7', expiresAt: inSeconds(60) });

  it('accepts a token for its channel until it expires', () => {
    expect(verifyPlayToken(secret, token, 'chanA', now)).toEqual({ ok: true, claims: { channelId: 'chanA', viewerId: 'user-7', expiresAt: inSeconds(60) } });
    expect(verifyPlayToken(secret, token, 'chanA', now + 59_999).ok).toBe(true);
    expect(verifyPlayToken(secret, token, 'chanA', now + 60_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses another channel, another secret, and any change to the token', () => {
    expect(verifyPlayToken(secret, token, 'chanB', now)).toEqual({ ok: false, reason: 'other-channel' });
    expect(verifyPlayToken(`${secret}x`, token, 'chanA', now)).toEqual({ ok: false, reason: 'bad-signature' });
    const [version, payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ c: 'chanA', v: 'user-7', e: inSeconds(3600) })).toString('base64url');
    expect(verifyPlayToken(secret, `${version}.${forged}.${signature}`, 'chanA', now)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyPlayToken(secret, `${version}.${payload}.${signature.slice(0, -2)}`, 'chanA', now)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it.each([undefined, null, 42, '', ['x'], 'v1', 'v1.a.b.c', 'v2.a.b', 'v1..', 'x'.repeat(5000)])('refuses %p without throwing', (given) => {
    expect(verifyPlayToken(secret, given, 'chanA', now).ok).toBe(false);
  });

  it('says "missing" for no token, so the player can be told to sign in again', () => {
    expect(verifyPlayToken(secret, undefined, 'chanA', now)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyPlayToken(secret, null, 'chanA', now)).toEqual({ ok: false, reason: 'missing' });
  });
});
