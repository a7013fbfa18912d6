/**
 * The account forms' rules, used twice: by the React form island in the browser (instant
 * feedback) and by the page handling the POST on the server (the real check, which also works
 * without JavaScript). The email, code, password and display-name rules are copied from Strapi's
 * cms/src/accounts/validation.ts — same limits, same messages — and a unit test
 * (__tests__/validation.test.ts) runs both against the same inputs so they can't drift.
 * Isomorphic: no Node APIs (bytes are counted with TextEncoder, not Buffer).
 */
import { z } from 'zod';
import './zod-jitless';

const byteLength = (value: string) => new TextEncoder().encode(value).length;

export const email = z
  .string({ message: 'email is required' })
  .trim()
  .toLowerCase()
  .max(254, 'email is too long')
  .email('enter a valid email address');

export const code = z.string({ message: 'code is required' }).trim().regex(/^\d{6}$/, 'the code is the 6 digits from the email');

/** bcrypt reads 72 bytes at most; longer passwords would silently share a prefix. */
export const password = z
  .string({ message: 'password is required' })
  .min(10, 'use at least 10 characters')
  .refine((value) => byteLength(value) <= 72, 'use at most 72 bytes')
  .refine((value) => /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value), {
    message: 'mix upper- and lower-case letters and at least one digit',
  })
  .refine((value) => new Set(value).size >= 5, 'use a less repetitive password');

/** Signing in checks only that something was typed: the rule may have changed since sign-up. */
const currentPassword = z
  .string({ message: 'password is required' })
  .min(1, 'enter your password')
  .refine((value) => byteLength(value) <= 72, 'use at most 72 bytes');

/** What other people see (a mentor's viewer list) and the site greets the student with. */
export const displayName = z
  .string({ message: 'displayName is required' })
  .trim()
  .min(1, 'enter your name')
  .max(60, 'use at most 60 characters')
  .refine((value) => !/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(value), 'use letters, digits, spaces and punctuation only');

export const PASSWORD_HINT = 'At least 10 characters, with upper- and lower-case letters and a digit.';

export const formSchemas = {
  login: z.object({ email, password: currentPassword }),
  register: z.object({ displayName, email, password }),
  verify: z.object({ email, code }),
  resend: z.object({ email }),
  forgot: z.object({ email }),
  reset: z.object({ email, code, password }),
  profile: z.object({ displayName }),
  changePassword: z
    .object({ currentPassword, password, passwordConfirmation: z.string({ message: 'passwordConfirmation is required' }) })
    .refine((input) => input.password === input.passwordConfirmation, { path: ['passwordConfirmation'], message: 'the passwords do not match' })
    .refine((input) => input.password !== input.currentPassword, { path: ['password'], message: 'choose a password different from the current one' }),
};
export type FormName = keyof typeof formSchemas;
export type FormValues<N extends FormName> = z.infer<(typeof formSchemas)[N]>;

export type FieldErrors = Record<string, string>;

/** "use at least 10 characters" → "Use at least 10 characters." */
export const sentence = (message: string) => {
  const text = message.trim();
  if (!text) return text;
  const capital = text[0].toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

/** Validates raw form input; errors are keyed by field (the first message per field). */
export function validateForm<N extends FormName>(
  name: N,
  input: Record<string, unknown>
): { ok: true; data: FormValues<N> } | { ok: false; errors: FieldErrors } {
  const result = formSchemas[name].safeParse(input);
  if (result.success) return { ok: true, data: result.data as FormValues<N> };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (!(field in errors)) errors[field] = sentence(issue.message);
  }
  return { ok: false, errors };
}
