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

export const registerBody = z.strictObject({
  email,
  password,
  username: z.string().trim().min(3, 'username needs 3 characters or more').max(60).regex(/^[\w.-]+$/, 'letters, digits, . - _ only').optional(),
});
export const verifyBody = z.strictObject({ email, code });
export const emailOnlyBody = z.strictObject({ email });
export const resetBody = z.strictObject({ email, code, password });
