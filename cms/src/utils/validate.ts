import { errors } from '@strapi/utils';
import { z } from 'zod';

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

/**
 * Strapi's standard read parameters, for a zod schema of a custom read route: present here so a
 * strict schema lets them through; their content is checked against the content type by the
 * controller's validateQuery (names, private fields) and by the content-api guard (value types).
 */
export const standardReadParams = {
  filters: z.unknown().optional(),
  sort: z.unknown().optional(),
  fields: z.unknown().optional(),
  populate: z.unknown().optional(),
  pagination: z.unknown().optional(),
};
