/**
 * The request this server is answering, for code that runs deep inside it (the API client): its
 * id (forwarded to Strapi as X-Request-Id, so Strapi's log lines for the calls a page made carry
 * the page's id), and for the request log line (site/server/request-log.mjs) the matched route
 * and the signed-in student, which the middleware fills in. server.mjs starts the context (one
 * AsyncLocalStorage shared through globalThis: it and this bundle are separate module graphs);
 * under `astro dev` the middleware starts it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type SiteRequestContext = { requestId: string; userId: string | undefined; route: string | undefined };

const KEY = Symbol.for('skillyug.site.requestContext');

export function requestContextStorage(): AsyncLocalStorage<SiteRequestContext> {
  const holder = globalThis as unknown as Record<symbol, AsyncLocalStorage<SiteRequestContext> | undefined>;
  return (holder[KEY] ??= new AsyncLocalStorage<SiteRequestContext>());
}

/** The current request's context, or undefined outside a request (startup, timers). */
export const currentSiteRequest = (): SiteRequestContext | undefined => requestContextStorage().getStore();
