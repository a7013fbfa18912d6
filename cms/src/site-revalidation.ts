import { createHmac } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import { redis } from '@skillyug/live/utils/redis';

/**
 * Tells the student site to drop its cached catalog the moment an editor's change goes live:
 * a document-service middleware watches the catalog types and, after a publish, unpublish,
 * delete, or a change to published content, POSTs `{SITE_URL}/api/revalidate` with the shared
 * secret (Authorization: Bearer SITE_REVALIDATE_SECRET). Bursts (a publish touches several
 * documents; the seed creates hundreds) are coalesced into one call; the call never delays or
 * fails the editor's request, and a missed one is bounded by the site's cache TTL.
 *
 * With REDIS_URL the notice is published on the Redis channel `${REDIS_KEY_PREFIX}site:revalidate`
 * instead, which every site process subscribes to (site/server.mjs): behind a load balancer a POST
 * would reach one of them. If no site process is listening there (or Redis is down), the POST is
 * the fallback.
 *
 * Wire it in `cms/src/index.ts` → `bootstrap()`: `registerSiteRevalidation(strapi);`
 */

/** The content types visitors browse (also what the API's HTTP caching covers: middlewares/catalog-cache.ts). */
export const CATALOG_TYPES = new Set(['api::course.course', 'api::module.module', 'api::lesson.lesson', 'api::category.category', 'api::instructor.instructor']);
/** Actions that change what the site shows (drafts of draft-and-publish types aside). */
const LIVE_ACTIONS = new Set(['publish', 'unpublish', 'delete']);
const WRITE_ACTIONS = new Set(['create', 'update', 'delete', 'publish', 'unpublish']);

const DEBOUNCE_MS = 50;
const TIMEOUT_MS = 2_000;
const ATTEMPTS = 3;

/** Must match site/src/lib/env.ts: the development fallback when SITE_REVALIDATE_SECRET is unset. */
const DERIVED_SECRET_LABEL = 'skillyug site revalidation';

export function revalidationSecret(env: ReturnType<typeof loadEnv>): string | undefined {
  if (env.SITE_REVALIDATE_SECRET) return env.SITE_REVALIDATE_SECRET;
  if (env.NODE_ENV === 'production' || !env.DATA_ENCRYPTION_KEY) return undefined;
  return createHmac('sha256', env.DATA_ENCRYPTION_KEY).update(DERIVED_SECRET_LABEL).digest('hex');
}

type Change = { uid: string; action: string; params?: { status?: string } };

/** Does this document-service call change what visitors see? */
export function affectsSite(change: Change, draftAndPublish: boolean): boolean {
  if (!CATALOG_TYPES.has(change.uid) || !WRITE_ACTIONS.has(change.action)) return false;
  if (!draftAndPublish) return true;
  // With draft & publish, saving a draft changes nothing public; publishing does.
  return LIVE_ACTIONS.has(change.action) || change.params?.status === 'published';
}

/**
 * With Redis: the catalog's version shared by every Strapi process. Bumped before the site hears
 * of a change, so a site process reloading after the notice never gets another Strapi process's
 * pre-change copy from its memory cache (middlewares/catalog-cache.ts reads it).
 */
export const sharedCatalogVersionKey = (prefix: string) => `${prefix}catalog:version`;

/** Marks a Strapi instance as wired (a global symbol: registering twice, from any copy of this module, is a no-op). */
const REGISTERED = Symbol.for('skillyug.siteRevalidation');

export function registerSiteRevalidation(strapi: Core.Strapi) {
  const marked = strapi as unknown as Record<symbol, boolean>;
  if (marked[REGISTERED]) return;
  marked[REGISTERED] = true;

  const env = loadEnv('cms');
  const secret = revalidationSecret(env);
  const channel = `${env.REDIS_KEY_PREFIX}site:revalidate`;
  if (!secret && !env.REDIS_URL) {
    strapi.log.warn('[site-revalidation] SITE_REVALIDATE_SECRET is not set: the site refreshes its catalog only when its cache expires');
    return;
  }
  const target = new URL('/api/revalidate', env.SITE_URL).href;

  let timer: NodeJS.Timeout | undefined;
  let pending: Change[] = [];
  let failing = false;

  async function notify(changes: Change[]) {
    const models = [...new Set(changes.map((c) => c.uid))];
    const body = JSON.stringify({ event: [...new Set(changes.map((c) => c.action))].join(','), model: models.join(',') });
    const bus = redis();
    if (bus) {
      await bus.incr(sharedCatalogVersionKey(env.REDIS_KEY_PREFIX)).catch(() => undefined);
      // The number of site processes that heard it; none (or Redis down) falls back to the POST.
      const heard = await bus.publish(channel, body).catch(() => 0);
      if (heard > 0) return;
    }
    if (!secret) return;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        const response = await fetch(target, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` },
          body,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        if (response.ok) {
          if (failing) strapi.log.info('[site-revalidation] the site is reachable again');
          failing = false;
          return;
        }
        // A refusal won't change on retry (wrong secret, or the site has invalidation switched off).
        if (response.status === 401 || response.status === 404) {
          strapi.log.warn(`[site-revalidation] ${target} answered ${response.status}: check SITE_REVALIDATE_SECRET on both sides`);
          return;
        }
      } catch {
        /* the site is down or restarting: retry, then give up quietly (its cache TTL still applies) */
      }
      if (attempt < ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
    if (!failing) strapi.log.debug(`[site-revalidation] could not reach ${target}; the site's cache expires on its own`);
    failing = true;
  }

  const queue = (change: Change) => {
    pending.push(change);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const batch = pending;
      pending = [];
      void notify(batch);
    }, DEBOUNCE_MS);
    timer.unref?.();
  };

  strapi.documents.use(async (context, next) => {
    const result = await next();
    const change = { uid: context.uid, action: context.action, params: context.params as Change['params'] };
    const draftAndPublish = Boolean((context.contentType as { options?: { draftAndPublish?: boolean } })?.options?.draftAndPublish);
    if (affectsSite(change, draftAndPublish)) queue(change);
    return result;
  });

  // Course pages list their upcoming live classes: the live plugin announces schedule and status changes.
  strapi.eventHub.on(LIVE_SESSIONS_CHANGED, async (payload: { action?: string }) => {
    queue({ uid: 'plugin::live.live-session', action: payload?.action ?? 'update' });
  });
}

/** Emitted by the live plugin (src-plugins/live/server/src/sessions) when a class is scheduled, edited, starts, ends or is cancelled. */
export const LIVE_SESSIONS_CHANGED = 'live-session.changed';
