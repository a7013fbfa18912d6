import { plainText } from '../plain-text';

describe('plainText', () => {
  const title = plainText({ min: 3, max: 20 });
  const description = plainText({ max: 100, multiline: true });

  it('trims and bounds ordinary text, Unicode included', () => {
    expect(title.parse('  Closures, live ✓ ')).toBe('Closures, live ✓');
    expect(title.safeParse('ab').success).toBe(false);
    expect(title.safeParse('x'.repeat(21)).success).toBe(false);
  });

  it.each(['a\u0000b', 'a\nb', 'a\tb', '\u001b[31mred', 'a\u007fb', 'a\u0085b', 'a\u2028b', 'abc\u202e'])(
    'refuses control characters in a single line: %j',
    (value) => {
      const result = title.safeParse(value);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0].message).toBe('must be a single line without control characters');
    }
  );

  it('keeps line breaks and tabs in multi-line text, and nothing else', () => {
    expect(description.parse('one\r\n\ttwo\nthree')).toBe('one\r\n\ttwo\nthree');
    for (const value of ['a\u0000b', 'a\u0007b', '\u001b[2J', 'a\u000bb']) {
      expect(description.safeParse(value).error?.issues[0].message).toBe('must not contain control characters (line breaks and tabs are fine)');
    }
  });
});
