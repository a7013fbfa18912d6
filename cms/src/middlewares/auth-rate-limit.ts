import type { Context, Next } from 'koa';
import { spend, type RuleName } from '../security/rate-limit';
import { sendError } from '../utils/http-error';

const accountOf = (body: any): string | undefined => {
  const value = body?.email ?? body?.identifier;
  return typeof value === 'string' && value.length <= 320 ? value : undefined;
};

/** Route middleware: `{ name: 'global::auth-rate-limit', config: { rule: 'login' } }`. */
export default (config: { rule: RuleName }) => async (ctx: Context, next: Next) => {
  const wait = await spend(config.rule, ctx.request.ip, accountOf(ctx.request.body));
  if (wait > 0) {
    ctx.set('Retry-After', String(wait));
    return sendError(ctx, 429, 'RateLimitError', `Too many attempts. Try again in ${wait} seconds.`, { retryAfter: wait });
  }
  return next();
};
