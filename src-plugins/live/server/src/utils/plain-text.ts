import { z } from 'zod';

/**
 * Free text people type (titles, descriptions, names): trimmed, bounded, and free of control
 * characters — a NUL breaks PostgreSQL text columns, ESC and friends reach terminals through logs,
 * bidi overrides disguise what an admin reads. Multi-line text keeps its newlines and tabs.
 *
 * Browser-safe (zod only): the mentor panel validates its forms with the same contracts.
 */
const SINGLE_LINE_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const MULTI_LINE_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export function plainText({ min = 0, max, multiline = false }: { min?: number; max: number; multiline?: boolean }) {
  const forbidden = multiline ? MULTI_LINE_FORBIDDEN : SINGLE_LINE_FORBIDDEN;
  let text = z.string().trim();
  if (min > 0) text = text.min(min, `must be at least ${min} characters`);
  return text
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !forbidden.test(value), {
      message: multiline
        ? 'must not contain control characters (line breaks and tabs are fine)'
        : 'must be a single line without control characters',
    });
}
