import { winston } from '@strapi/logger';

/**
 * Characters that must never reach a log verbatim: C0 controls (newlines forge extra log lines,
 * ESC starts terminal escape sequences), DEL, C1 controls (0x9b is a one-byte CSI on some
 * terminals) and the Unicode line/paragraph separators some viewers break lines on.
 */
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Makes text from outside (URLs, query keys, user agents, error messages quoting input) safe for one log line. */
export function escapeControlChars(text: string): string {
  return text.replace(CONTROL_CHARS, (char) => {
    if (NAMED[char]) return NAMED[char];
    const code = char.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/**
 * Escapes like escapeControlChars, except the newline before a stack frame ("\n    at …"), so an
 * error logged with its stack stays readable. No input can forge a log entry that way: every
 * entry starts with its timestamp, and a kept line starts with indentation and "at".
 */
export function escapeKeepingStackFrames(text: string): string {
  return text
    .split(/\n(?=[ \t]+at )/)
    .map(escapeControlChars)
    .join('\n');
}

/**
 * A winston format for every transport: one log call is one entry, whatever the request put in it
 * (Strapi's logger has already turned an Error into its message and stack by then). Runs before
 * the transport's pretty printer, so the colours it adds stay intact.
 */
export const escapeLogControlChars = winston.format((info) => {
  if (typeof info.message === 'string') info.message = escapeKeepingStackFrames(info.message);
  if (typeof info.stack === 'string') info.stack = escapeKeepingStackFrames(info.stack);
  return info;
});
