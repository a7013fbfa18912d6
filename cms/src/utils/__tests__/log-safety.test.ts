import { Writable } from 'node:stream';
import { createLogger, winston, formats } from '@strapi/logger';
import { escapeControlChars, escapeLogControlChars } from '../log-safety';

/** A logger built as Strapi builds its own, with the app's transport format (cms/config/logger.ts), writing into an array. */
function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({
    level: 'http',
    transports: [
      new winston.transports.Stream({
        stream,
        format: winston.format.combine(escapeLogControlChars(), formats.prettyPrint({ timestamps: 'YYYY-MM-DD HH:mm:ss.SSS', colors: false })),
      }),
    ],
  });
  return { logger, lines };
}

describe('log lines built from request input', () => {
  it('escape newlines, escapes and other control characters visibly', () => {
    expect(escapeControlChars('a\nb\r\tc')).toBe('a\\nb\\r\\tc');
    expect(escapeControlChars('\u001b[31mred\u0000')).toBe('\\x1b[31mred\\x00');
    expect(escapeControlChars('x\u007fy\u009bz\u2028w\u2029')).toBe('x\\x7fy\\x9bz\\u2028w\\u2029');
    expect(escapeControlChars('plain text, ünïcode ✓')).toBe('plain text, ünïcode ✓');
  });

  it('cannot forge a second log line or colour the terminal', () => {
    const { logger, lines } = capturingLogger();
    logger.warn('[live] refused list: Unrecognized key: "\n[2026-12-01 10:00:00.000] info: forged=1" \u001b[31m');
    const output = lines.join('');
    expect(output.trimEnd().split('\n')).toHaveLength(1);
    expect(output).toContain('\\n[2026-12-01 10:00:00.000] info: forged=1');
    expect(output).toContain('\\x1b[31m');
    // The only escape sequences left are the colours Strapi's logger gives the level.
    expect(output.replace(/\u001b\[\d+m(warn)\u001b\[39m/, '$1')).not.toContain('\u001b');
  });

  it('keeps an error stack readable, one frame per line, with its message escaped', () => {
    const { logger, lines } = capturingLogger();
    const error = new Error('select * where "price" = \'abc\n[2026-12-01 10:00:00.000] info: forged\'');
    logger.error(error);
    const output = lines.join('');
    expect(output).not.toMatch(/\n\[2026-12-01/);
    expect(output).toContain("'abc\\n[2026-12-01 10:00:00.000] info: forged'");
    expect(output).toMatch(/\n\s+at /);
  });
});
