import type { z } from 'zod';

/** Koa's context, as much of it as the plugin's controllers use. */
export type Ctx = {
  status: number;
  body: unknown;
  params: Record<string, string>;
  query: Record<string, unknown>;
  request: { body?: unknown; headers: Record<string, string | string[] | undefined> };
  state: { user?: { id: number; email?: string; username?: string }; auth?: unknown; [key: string]: unknown };
  get(header: string): string;
};

/**
 * Writes Strapi's error envelope, { data: null, error: { status, name, message, details } }, for any
 * status. (A thrown ForbiddenError would lose its message to Strapi's route authorization, and
 * Strapi's error classes don't cover 402, 409, 502 or 503.)
 */
export function sendError(ctx: Ctx, status: number, name: string, message: string, details: unknown = {}) {
  ctx.status = status;
  ctx.body = { data: null, error: { status, name, message, details } };
}

/** An error a service raises on purpose: it becomes the envelope above, and an audit log line. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorName: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** Log-only context (order ids, the reason in our words); never sent to the caller. */
    readonly audit: Record<string, unknown> = {}
  ) {
    super(message);
  }
}

export const badRequest = (message: string, audit?: Record<string, unknown>, details?: Record<string, unknown>) =>
  new HttpError(400, 'ValidationError', message, details, audit);
export const notFound = (message: string, audit?: Record<string, unknown>) => new HttpError(404, 'NotFoundError', message, {}, audit);
export const forbidden = (message: string, audit?: Record<string, unknown>) => new HttpError(403, 'ForbiddenError', message, {}, audit);
export const conflict = (message: string, audit?: Record<string, unknown>, details?: Record<string, unknown>) =>
  new HttpError(409, 'ConflictError', message, details, audit);
export const paymentRequired = (message: string, audit?: Record<string, unknown>) =>
  new HttpError(402, 'PaymentRequiredError', message, {}, audit);
export const badGateway = (message: string, audit?: Record<string, unknown>) =>
  new HttpError(502, 'PaymentProviderError', message, {}, audit);
export const unavailable = (message: string, audit?: Record<string, unknown>) =>
  new HttpError(503, 'ServiceUnavailableError', message, {}, audit);

/** Parses outside input with a zod schema; a failure is a 400 naming each bad field. */
export function validate<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message, name: 'ValidationError' }));
  const summary = errors.map((e) => (e.path.length ? `${e.path.join('.')}: ${e.message}` : e.message)).join('; ');
  throw new HttpError(400, 'ValidationError', summary, { errors });
}
