import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a log line written while serving a request knows about it, without every caller passing
 * it along: the request id (the X-Request-Id echoed to the client), the signed-in user once
 * authentication has run, and the matched route. Set by the cms's request-log middleware, the
 * first in the chain; read by the JSON log format (cms/config/logger.ts).
 */
export type RequestContext = {
  readonly requestId: string;
  /** The signed-in user: a student's id, or `admin:<id>` for an admin-panel user; undefined before authentication or for visitors. */
  readonly userId: string | undefined;
  /** The route pattern Strapi matched (`/api/courses/:id`), undefined until routing (or when nothing matched). */
  readonly route: string | undefined;
};

/** The parts of Koa's context the request context reads, late: authentication and routing happen after it is set. */
export type RequestState = {
  state?: { user?: { id?: unknown } | null; auth?: { strategy?: { name?: string } } | null } | null;
  _matchedRoute?: unknown;
};

const storage = new AsyncLocalStorage<RequestContext>();

/** Strategies that authenticate admin-panel users: Strapi's own and the live plugin's admin tokens on the content API. */
const ADMIN_STRATEGIES = new Set(['admin', 'live-admin']);

/** The student's or admin's id for logs; admins are told apart (both tables number from 1). */
export function userIdOf(ctx: RequestState): string | undefined {
  const id = ctx.state?.user?.id;
  if (typeof id !== 'number' && typeof id !== 'string') return undefined;
  return ADMIN_STRATEGIES.has(ctx.state?.auth?.strategy?.name ?? '') ? `admin:${id}` : String(id);
}

/** Strapi's matched route pattern; never the raw URL (it would put ids and query strings into labels). */
export function routeOf(ctx: RequestState): string | undefined {
  return typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : undefined;
}

/** Runs `fn` (the rest of the middleware chain) with `requestId` as the current request; user and route are read from `ctx` when asked for. */
export function runInRequestContext<T>(requestId: string, ctx: RequestState, fn: () => T): T {
  const context: RequestContext = {
    requestId,
    get userId() {
      return userIdOf(ctx);
    },
    get route() {
      return routeOf(ctx);
    },
  };
  return storage.run(context, fn);
}

/** The request being served, or undefined outside one (startup, timers, socket events). */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}
