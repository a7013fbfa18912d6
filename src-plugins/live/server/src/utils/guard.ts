import type { Core } from '@strapi/strapi';
import { HttpError, sendError, type Ctx } from './http';

const describe = (fields: Record<string, unknown>) =>
  Object.entries(fields)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${key}=${String(value).slice(0, 120)}`)
    .join(' ');

/**
 * Wraps a handler of one domain (payments, sessions…): a refusal (HttpError) becomes Strapi's
 * error envelope with its own status and message, and an audit log line naming the action, the
 * caller and the record — never a secret or a signature. Anything else is a bug and goes to
 * Strapi's error middleware (500).
 */
export const createGuard =
  (domain: string) =>
  (strapi: Core.Strapi, action: string, handler: (ctx: Ctx) => Promise<void>) =>
  async (ctx: Ctx) => {
    try {
      await handler(ctx);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      const line = `[${domain}] refused ${action}: ${error.message} (${describe({ status: error.status, user: ctx.state.user?.id, ...error.audit })})`;
      if (error.status >= 500) strapi.log.error(line);
      else strapi.log.warn(line);
      sendError(ctx, error.status, error.errorName, error.message, error.details);
    }
  };
