import type { Context } from 'koa';

/**
 * Writes Strapi's error envelope for statuses its ctx helpers don't cover (402, 409, 429…),
 * so every API error has one shape: { data: null, error: { status, name, message, details } }.
 */
export function sendError(ctx: Context, status: number, name: string, message: string, details: unknown = {}) {
  ctx.status = status;
  ctx.body = { data: null, error: { status, name, message, details } };
}
