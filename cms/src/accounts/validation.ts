import { z } from 'zod';

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
  .refine((value) => Buffer.byteLength(value) <= 72, 'use at most 72 bytes')
  .refine((value) => /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value), {
    message: 'mix upper- and lower-case letters and at least one digit',
  })
  .refine((value) => new Set(value).size >= 5, 'use a less repetitive password');

/** What other people see (the mentor's viewer list) and the site greets the student with. */
export const displayName = z
  .string({ message: 'displayName is required' })
  .trim()
  .min(1, 'enter your name')
  .max(60, 'use at most 60 characters')
  .refine((value) => !/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(value), 'use letters, digits, spaces and punctuation only');

/** The opaque token a sign-up answer carries; the code only verifies together with it. */
export const registration = z.string({ message: 'registration is required' }).regex(/^[A-Za-z0-9_-]{32,64}$/, 'registration is not valid: sign up again');

export const registerBody = z.strictObject({ email, password, displayName });
export const verifyBody = z.strictObject({ email, code, registration });
export const resendBody = z.strictObject({ email, registration });
export const emailOnlyBody = z.strictObject({ email });
export const resetBody = z.strictObject({ email, code, password });
export const changePasswordBody = z
  .strictObject({
    currentPassword: z.string({ message: 'currentPassword is required' }).min(1, 'enter your current password').max(200, 'currentPassword is too long'),
    password,
    passwordConfirmation: z.string({ message: 'passwordConfirmation is required' }),
  })
  .refine((input) => input.password === input.passwordConfirmation, { path: ['passwordConfirmation'], message: 'the passwords do not match' })
  .refine((input) => input.password !== input.currentPassword, { path: ['password'], message: 'choose a password different from the current one' });
export const profileBody = z.strictObject({ displayName });
