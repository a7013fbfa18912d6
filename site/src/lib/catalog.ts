/**
 * Public catalog data, cached in this process (see cache.ts) and dropped the moment Strapi
 * reports a publish (POST /api/revalidate → invalidateCatalog). Only anonymous, public data is
 * cached here; anything per student is fetched per request with their token.
 */
import { Generation, TtlCache } from './cache';
import { getCourse, getCourseSlug, listCategories, listCourseSlugs, listCourses, type Category, type CourseDetail, type CourseList } from './api';
import { PAGE_SIZE, toStrapiQuery, type CatalogQuery, catalogSearch } from './catalog-query';
import { siteEnv } from './env';
import { cookieNames } from './session';
import { isPreviewPath } from './preview';

/**
 * With Strapi notifying the site, entries live long (the TTL only bounds a lost notification);
 * without it, they expire quickly so edits still appear.
 */
const ttlMs = () => (siteEnv().revalidateSecret ? 10 * 60_000 : 30_000);

export const catalogGeneration = new Generation();

let caches: ReturnType<typeof createCaches> | undefined;
function createCaches() {
  const options = (maxEntries: number) => ({ ttlMs: ttlMs(), maxEntries });
  return {
    lists: new TtlCache<CourseList>(catalogGeneration, options(500)),
    courses: new TtlCache<CourseDetail | null>(catalogGeneration, options(1000)),
    categories: new TtlCache<Category[]>(catalogGeneration, options(1)),
    slugs: new TtlCache<{ slug: string; updatedAt?: string | null }[]>(catalogGeneration, options(1)),
    slugById: new TtlCache<string | null>(catalogGeneration, options(1000)),
    /** Whole HTML responses for visitors without a session (see middleware.ts). */
    pages: new TtlCache<CachedPage>(catalogGeneration, options(500)),
  };
}
const cache = () => (caches ??= createCaches());

export type CachedPage = { status: number; headers: [string, string][]; body: Uint8Array<ArrayBuffer> };

export const findCourses = (query: CatalogQuery) =>
  cache().lists.getOrLoad(catalogSearch(query) || '?', () => listCourses(toStrapiQuery(query, PAGE_SIZE)));

export const findCourse = (slug: string) => cache().courses.getOrLoad(slug, () => getCourse(slug));

export const findCategories = () => cache().categories.getOrLoad('all', listCategories);

export const findCourseSlugs = () => cache().slugs.getOrLoad('all', listCourseSlugs);

/** The cached page for a URL, if any (anonymous GETs only). */
export const cachedPage = (key: string) => cache().pages.get(key);
export const storePage = (key: string, page: CachedPage, generation: number) => cache().pages.set(key, page, generation);

/**
 * The page cache's front door, also used by server.mjs before a request reaches Astro at all:
 * a GET or HEAD from a visitor carrying none of the site's cookies (no session, no flash
 * message) is answered from memory, or undefined. Draft previews never are.
 */
export function lookupPage(method: string, pathAndQuery: string, cookieHeader: string | null | undefined): CachedPage | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  // Drafts are never cached, so never looked up either (their cookie isn't one of the session's).
  if (isPreviewPath(pathAndQuery.split('?')[0])) return undefined;
  if (!isAnonymous(cookieHeader)) return undefined;
  return cachedPage(pathAndQuery);
}

/** Does a Cookie header carry none of the site's own cookies (session, refresh, flash)? */
export function isAnonymous(cookieHeader: string | null | undefined): boolean {
  if (!cookieHeader) return true;
  const { access, refresh, flash } = cookieNames();
  const ours = new Set([access, refresh, flash]);
  return !cookieHeader.split(';').some((part) => ours.has(part.split('=')[0].trim()));
}

// server.mjs finds the lookup here (it can't import the bundle's modules by name).
(globalThis as Record<symbol, unknown>)[Symbol.for('skillyug.site.lookupPage')] = lookupPage;

/** Drops every cached catalog entry and page (the next request reloads from Strapi). */
export function invalidateCatalog() {
  catalogGeneration.bump();
}

// server.mjs calls it when Strapi's change notice arrives over Redis (every site process hears it).
(globalThis as Record<symbol, unknown>)[Symbol.for('skillyug.site.invalidateCatalog')] = invalidateCatalog;

/** A published course's slug from its documentId (after payment, Strapi names the course by id). */
export const findCourseSlug = (documentId: string) => cache().slugById.getOrLoad(documentId, () => getCourseSlug(documentId));

/** Everything a catalog page shows; `result` is null when Strapi can't be reached. */
/**
 * The catalog pages' response for what was loaded: 503 (with Retry-After) when Strapi was
 * unreachable, otherwise cacheable for visitors without a session.
 */
export function markCatalogResponse(
  astro: { response: { status: number; headers: Headers }; locals: { user?: unknown; cacheable?: boolean } },
  loaded: boolean
) {
  if (!loaded) {
    astro.response.status = 503;
    astro.response.headers.set('Retry-After', '30');
  } else if (!astro.locals.user) {
    astro.locals.cacheable = true;
  }
}

export async function loadCatalogPage(query: CatalogQuery) {
  try {
    const [result, categories] = await Promise.all([findCourses(query), findCategories()]);
    return { result, categories };
  } catch (error) {
    console.error('[site] could not load the catalog:', error);
    return { result: null, categories: [] as Category[] };
  }
}
