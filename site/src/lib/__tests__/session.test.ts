import { safeNext, tokenExpiry } from '../session';

const jwt = (payload: object) => `h.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.s`;

describe('safeNext', () => {
  it('keeps local paths', () => {
    expect(safeNext('/courses/react?x=1#top')).toBe('/courses/react?x=1#top');
    expect(safeNext('/checkout/sql-for-data-analysis')).toBe('/checkout/sql-for-data-analysis');
  });
  it('refuses anything that could leave the site', () => {
    for (const value of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', 'courses', '/%0d%0aSet-Cookie', '/\u0000x', undefined, 42]) {
      const result = safeNext(value);
      expect(result.startsWith('/')).toBe(true);
      expect(result.startsWith('//')).toBe(false);
      expect(result).not.toMatch(/evil|\r|\n/);
    }
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
