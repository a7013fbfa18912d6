import { safeNext, tokenExpiry } from '../session';

const jwt = (payload: object) => `h.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.s`;

describe('safeNext', () => {
  it('keeps local paths', () => {
    expect(safeNext('/courses/react?x=1#top')).toBe('/courses/react?x=1#top');
    expect(safeNext('/checkout/sql-for-data-analysis')).toBe('/checkout/sql-for-data-analysis');
    expect(safeNext('/live/abc123def456?course=javascript-foundations')).toBe('/live/abc123def456?course=javascript-foundations');
    // Encoded slashes stay encoded: a browser asks this site for that path.
    expect(safeNext('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example');
    expect(safeNext('/courses/../dashboard')).toBe('/dashboard');
    // An encoded CR/LF stays encoded: it can't split the Location header.
    expect(safeNext('/%0d%0aSet-Cookie:evil=1')).toBe('/%0d%0aSet-Cookie:evil=1');
  });

  // Each of these is a path on its face; the browser (and new URL) turn it into a protocol-relative
  // or absolute URL on another host. Several passed the old prefix checks.
  const HOSTILE = [
    'https://evil.example',
    'http:evil.example',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '/\\/evil.example',
    '\\\\evil.example',
    '/./..//evil.example',
    '/.//evil.example',
    '/..//evil.example',
    '/%2e%2e//evil.example',
    '/%2E//evil.example',
    '/a/../..//evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    '\t//evil.example',
    ' //evil.example',
    '/\u0000//evil.example',
    'javascript:alert(1)',
    'data:text/html,evil',
    'courses',
    '',
  ];
  it.each(HOSTILE)('never leaves the site for %j', (value) => {
    const result = safeNext(value);
    expect(result).toBe('/dashboard');
    // What the browser would do with the Location header: stay on the site.
    expect(new URL(result, 'https://skillyug.example').origin).toBe('https://skillyug.example');
  });

  it('refuses what is not a string, and honours the fallback', () => {
    for (const value of [undefined, null, 42, ['/x'], { path: '/x' }]) expect(safeNext(value)).toBe('/dashboard');
    expect(safeNext('//evil.example', '/x')).toBe('/x');
  });
});

describe('tokenExpiry', () => {
  it('reads exp from a JWT without trusting it for anything else', () => {
    expect(tokenExpiry(jwt({ id: 1, exp: 1_900_000_000 }))).toBe(1_900_000_000);
    expect(tokenExpiry(jwt({ id: 1 }))).toBeUndefined();
    expect(tokenExpiry('garbage')).toBeUndefined();
    expect(tokenExpiry('a.!!!.b')).toBeUndefined();
  });
});
