import { clientAddress } from '../client-address';

describe('clientAddress', () => {
  it('with no proxy in front, is the socket peer whatever X-Forwarded-For says', () => {
    expect(clientAddress('198.51.100.7', null, 0)).toBe('198.51.100.7');
    // A visitor writing their own header (rotating it to dodge per-IP limits) changes nothing.
    for (const forged of ['1.2.3.4', '1.2.3.4, 5.6.7.8', 'junk', '']) expect(clientAddress('198.51.100.7', forged, 0)).toBe('198.51.100.7');
  });

  it('behind N trusted proxies, is the entry the outermost one added (N from the right)', () => {
    // One proxy: it appended the visitor; anything left of that came from the visitor.
    expect(clientAddress('10.0.0.2', '1.2.3.4, 203.0.113.9', 1)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.2', '203.0.113.9', 1)).toBe('203.0.113.9');
    // Two proxies (CDN → load balancer → site).
    expect(clientAddress('10.0.0.2', 'forged, 203.0.113.9, 192.0.2.1', 2)).toBe('203.0.113.9');
    // Fewer entries than hops (a request that skipped a proxy): the leftmost, like koa's maxIpsCount.
    expect(clientAddress('10.0.0.2', '203.0.113.9', 3)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.2', null, 1)).toBe('10.0.0.2');
  });

  it('drops the IPv4-mapped prefix and refuses what is not an address', () => {
    expect(clientAddress('::ffff:127.0.0.1', null, 0)).toBe('127.0.0.1');
    expect(clientAddress('::1', null, 0)).toBe('::1');
    expect(clientAddress('10.0.0.2', 'not-an-ip', 1)).toBe('10.0.0.2');
    expect(clientAddress(undefined, '203.0.113.9', 1)).toBeUndefined();
  });
});
