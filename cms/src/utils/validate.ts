import { errors } from '@strapi/utils';
import type { z } from 'zod';

/**
 * Parses outside input with a zod schema; on failure throws Strapi's ValidationError,
 * which its error middleware turns into a 400 naming each bad field.
 */
export function validate<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: issue.path.map(String),
    message: issue.message,
    name: 'ValidationError',
  }));
  const summary = details.map((d) => (d.path.length ? `${d.path.join('.')}: ${d.message}` : d.message)).join('; ');
  throw new errors.ValidationError(summary, { errors: details });
}
