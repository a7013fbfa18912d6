import type { Context, Next } from 'koa';
import type { Core } from '@strapi/strapi';
import { escapeControlChars } from '../utils/log-safety';

/** Query parameters whose values are credentials (viewers' playback tokens, one-time codes). */
const SECRET_PARAMS = /^(token|code|key|sign|signature|access_token)$/i;

/** The URL as it may be logged: secret query values replaced by "***", control characters escaped. */
export function loggableUrl(url: string): string {
  const question = url.indexOf('?');
  if (question === -1) return escapeControlChars(url);
  const params = new URLSearchParams(url.slice(question + 1));
  for (const name of [...params.keys()]) if (SECRET_PARAMS.test(name)) params.set(name, '***');
  return escapeControlChars(`${url.slice(0, question)}?${params.toString().replace(/%2A%2A%2A/g, '***')}`);
}

/**
 * Strapi's request log line (`strapi::logger`), without secrets: a viewer's playback URL
 * carries its token in the query string, and log files outlive the token's purpose.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) =>
  async (ctx: Context, next: Next) => {
    const start = Date.now();
    try {
      await next();
    } finally {
      strapi.log.http(`${ctx.method} ${loggableUrl(ctx.url)} (${Math.ceil(Date.now() - start)} ms) ${ctx.status}`);
    }
  };
