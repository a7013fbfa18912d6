import { StreamKeyRegistry, newChannelId, newStreamSecret, obsStreamKey, secretFromObsStreamKey } from '../keys';

describe('channel ids and stream keys', () => {
  it('makes url-safe random ids and 256-bit secrets, unrelated to each other', () => {
    const ids = new Set(Array.from({ length: 50 }, newChannelId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const secret = newStreamSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
  });

  it("builds OBS's Stream Key as <channelId>?key=<secret> and reads it back", () => {
    const secret = newStreamSecret();
    const key = obsStreamKey('chanA', secret);
    expect(key).toBe(`chanA?key=${secret}`);
    expect(secretFromObsStreamKey('chanA', key)).toBe(secret);
    expect(secretFromObsStreamKey('chanB', key)).toBeNull();
    expect(secretFromObsStreamKey('chanA', 'chanA?key=short')).toBeNull();
    expect(secretFromObsStreamKey('chanA', secret)).toBeNull();
  });

  it('matches only the current key of the channel', () => {
    const registry = new StreamKeyRegistry();
    const first = newStreamSecret();
    registry.set('chanA', first);
    expect(registry.matches('chanA', first)).toBe(true);
    expect(registry.matches('chanB', first)).toBe(false);
    for (const wrong of [undefined, '', [first], `${first}x`, first.slice(1), 'x'.repeat(1000)]) {
      expect(registry.matches('chanA', wrong)).toBe(false);
    }
    const second = newStreamSecret();
    registry.set('chanA', second);
    expect(registry.matches('chanA', first)).toBe(false);
    expect(registry.matches('chanA', second)).toBe(true);
    registry.forget('chanA');
    expect(registry.matches('chanA', second)).toBe(false);
  });
});
