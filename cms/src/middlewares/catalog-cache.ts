import { createHash } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import { redis } from '@skillyug/live/utils/redis';
import { affectsSite, CATALOG_TYPES, sharedCatalogVersionKey } from '../site-revalidation';

/**
 * HTTP caching for the public catalog (`GET /api/courses|categories|modules|lessons|instructors…`).
 *
 * Anonymous reads are the same for every visitor, so they are answered with
 *  - `Cache-Control: public, max-age, s-maxage, stale-while-revalidate` (browsers and CDNs keep them),
 *  - a strong `ETag` (hash of the body), and 304 when the client's `If-None-Match` still matches. No
 *    `Last-Modified`: each process knows only its own changes, so a date from one process could make
 *    another answer 304 for a catalog that changed; a hash of the body is the same in every process;
 *  - from a short in-memory cache keyed by the URL and the catalog version, so a repeat costs no query.
 * Any write that changes what visitors see (publish, unpublish, delete, a published update — the rule
 * the site's revalidation uses) or a change to the public role's permissions starts a new catalog
 * version: the memory cache is dropped and the next answer carries a new ETag. With Redis, the version
 * also has a shared part (bumped by whichever process made the change, before the site is told), read
 * per request, so no process answers from a copy older than another process's change; without
 * Redis (one process) or while Redis is unreachable, another process's change arrives after at most MEMORY_TTL_MS.
 *
 * A request with an Authorization header can see lesson bodies its enrollments open: it is never
 * cached here and is answered `private, no-store`.
 */

const CACHE_CONTROL = 'public, max-age=30, s-maxage=60, stale-while-revalidate=300';
const MEMORY_TTL_MS = 10_000;
const MAX_ENTRIES = 500;
const MAX_BODY_BYTES = 2 * 1024 * 1024;

type Entry = { body: string; etag: string; storedAt: number; version: string };

/** The REST path segments of the catalog types (`courses`, `categories`…). */
function catalogPaths(strapi: Core.Strapi) {
  const paths = new Set<string>();
  for (const uid of CATALOG_TYPES) {
    const contentType = strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as any;
    if (contentType) paths.add(contentType.info.pluralName);
  }
  return paths;
}

/** Does an If-None-Match header list this ETag (or `*`)? Weak validators compare equal to strong ones for GET. */
const matchesEtag = (header: string, etag: string) =>
  header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');

/** Marks a Strapi instance as wired: its document middleware must be added once, however many times this factory runs. */
const VERSIONED = Symbol.for('skillyug.catalogVersion');
type Versioned = { version: number; entries: Map<string, Entry> };

function catalogState(strapi: Core.Strapi): Versioned {
  const holder = strapi as unknown as Record<symbol, Versioned>;
  if (holder[VERSIONED]) return holder[VERSIONED];
  const state: Versioned = { version: 1, entries: new Map() };
  holder[VERSIONED] = state;

  const bump = () => {
    state.version += 1;
    state.entries.clear();
    void redis()?.incr(sharedCatalogVersionKey(loadEnv('cms').REDIS_KEY_PREFIX)).catch(() => undefined);
  };
  strapi.documents.use(async (context, next) => {
    const result = await next();
    const draftAndPublish = Boolean((context.contentType as { options?: { draftAndPublish?: boolean } })?.options?.draftAndPublish);
    if (affectsSite({ uid: context.uid, action: context.action, params: context.params as { status?: string } }, draftAndPublish)) bump();
    return result;
  });
  // Who may read the catalog is part of the answer: a permission change starts a new version too.
  strapi.db.lifecycles.subscribe({
    models: ['plugin::users-permissions.permission', 'plugin::upload.file'],
    afterCreate: bump,
    afterUpdate: bump,
    afterDelete: bump,
    afterCreateMany: bump,
    afterUpdateMany: bump,
    afterDeleteMany: bump,
  } as any);
  return state;
}

/** The shared part of the catalog version (Redis), or null without Redis or while it is unreachable. */
async function sharedVersion(): Promise<string | null> {
  const client = redis();
  if (!client) return null;
  return client.get(sharedCatalogVersionKey(loadEnv('cms').REDIS_KEY_PREFIX)).then((value) => value ?? '0', () => null);
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  let paths: Set<string> | undefined;
  let state: Versioned | undefined;

  return async (ctx: Context, next: Next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    const [, api, segment] = ctx.path.split('/');
    if (api !== 'api') return next();
    paths ??= catalogPaths(strapi);
    if (!paths.has(segment)) return next();
    state ??= catalogState(strapi);

    if (ctx.get('Authorization')) {
      await next();
      ctx.set('Cache-Control', 'private, no-store');
      return;
    }
    ctx.vary('Authorization');

    const key = ctx.url;
    const current = state;
    const versionNow = async () => `${current.version}:${(await sharedVersion()) ?? '-'}`;
    const version = await versionNow();
    let entry = state.entries.get(key);
    if (entry && (entry.version !== version || Date.now() - entry.storedAt > MEMORY_TTL_MS)) {
      state.entries.delete(key);
      entry = undefined;
    }
    if (!entry) {
      await next();
      if (ctx.status !== 200 || !ctx.body || typeof ctx.body !== 'object' || Buffer.isBuffer(ctx.body)) return;
      const body = JSON.stringify(ctx.body);
      entry = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"`, storedAt: Date.now(), version };
      // A change that landed while this response was being built makes it stale already: answer it, don't keep it.
      const stillCurrent = version === (await versionNow());
      if (stillCurrent && body.length <= MAX_BODY_BYTES) {
        if (state.entries.size >= MAX_ENTRIES) state.entries.delete(state.entries.keys().next().value!);
        state.entries.set(key, entry);
      }
    }

    ctx.set('Cache-Control', CACHE_CONTROL);
    ctx.set('ETag', entry.etag);
    const ifNoneMatch = ctx.get('If-None-Match');
    if (ifNoneMatch && matchesEtag(ifNoneMatch, entry.etag)) {
      ctx.status = 304;
      ctx.body = null;
      return;
    }
    ctx.status = 200;
    ctx.type = 'application/json';
    ctx.body = entry.body;
  };
};
