import { errors } from '@strapi/utils';
import type { Context } from 'koa';

/**
 * Writes Strapi's error envelope for statuses its ctx helpers don't cover (402, 409, 429…),
 * so every API error has one shape: { data: null, error: { status, name, message, details } }.
 */
export function sendError(ctx: Context, status: number, name: string, message: string, details: unknown = {}) {
  ctx.status = status;
  ctx.body = { data: null, error: { status, name, message, details } };
}

/**
 * A 403 whose message reaches the caller. Strapi's route authorization wraps the whole
 * handler and replaces any ForbiddenError's message with a bare "Forbidden" — except
 * PolicyError, which it lets through on purpose.
 */
export const forbidden = (message: string) => new errors.PolicyError(message);
