/**
 * An editor's draft preview (Strapi's Preview button → `/preview?token=`). The site checks nothing
 * itself: every page asks Strapi (`GET /api/previews/course?token=`), which verifies the token and
 * answers the draft course. The token travels from the entry URL into an httpOnly, SameSite=Lax
 * cookie scoped to /preview, living exactly as long as the token; preview pages are never cached
 * (middleware.ts: `private, no-store`, noindex, framable by the admin only), never read the site's
 * catalog caches and never enter the page cache (catalog.ts `lookupPage`).
 */
import { z } from 'zod';
import type { AstroCookies, AstroCookieSetOptions } from 'astro';
import { ApiError, apiRequest, courseDetailSchema, lessonSchema } from './api';
import { siteEnv } from './env';

export const PREVIEW_ROOT = '/preview';

/** Is this path one of the preview's own (entry, pages, exit)? */
export const isPreviewPath = (pathname: string) => pathname === PREVIEW_ROOT || pathname.startsWith(`${PREVIEW_ROOT}/`);

export const previewCourseHref = (courseSlug: string) => `${PREVIEW_ROOT}/courses/${encodeURIComponent(courseSlug)}`;
export const previewLessonHref = (courseSlug: string, lessonSlug: string) => `${previewCourseHref(courseSlug)}/${encodeURIComponent(lessonSlug)}`;

const previewLessonSchema = lessonSchema.omit({ module: true, locked: true });
const previewModuleSchema = z.object({
  documentId: z.string(),
  title: z.string(),
  order: z.number(),
  lessons: z.array(previewLessonSchema).transform((lessons) => lessons.toSorted((a, b) => a.order - b.order)),
});

/** The draft course: the published detail's shape, each lesson with its content (GET /api/previews/course). */
export const previewCourseSchema = courseDetailSchema.extend({
  modules: z.array(previewModuleSchema).transform((modules) => modules.toSorted((a, b) => a.order - b.order)),
});

const draftPreviewSchema = z.object({
  data: previewCourseSchema,
  meta: z.object({
    preview: z.object({
      uid: z.enum(['api::course.course', 'api::module.module', 'api::lesson.lesson']),
      documentId: z.string(),
      expiresAt: z.string(),
    }),
  }),
});

export type DraftPreview = z.infer<typeof draftPreviewSchema>;
export type PreviewCourse = DraftPreview['data'];

/** The draft a token opens, or null when Strapi refuses the token (missing, tampered, expired). Throws ApiError when Strapi can't answer. */
export async function fetchDraftPreview(token: string): Promise<DraftPreview | null> {
  try {
    return await apiRequest('previews/course', draftPreviewSchema, { query: [['token', token]] });
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 400)) return null;
    throw error;
  }
}

/** Where the previewed document shows: its lesson's page, or the course page (courses, modules). */
export function previewDestination({ data: course, meta }: DraftPreview): string {
  if (meta.preview.uid === 'api::lesson.lesson') {
    const lesson = course.modules.flatMap((module) => module.lessons).find((l) => l.documentId === meta.preview.documentId);
    if (lesson) return previewLessonHref(course.slug, lesson.slug);
  }
  return previewCourseHref(course.slug);
}

// ── The cookie ───────────────────────────────────────────────────────────────────────────────

/** `__Secure-` in production (the `__Host-` prefix would require path=/, and this cookie stays under /preview). */
const cookieName = () => `${siteEnv().secureCookies ? '__Secure-' : ''}sy_preview`;

const cookieOptions = (maxAge: number): AstroCookieSetOptions => ({
  httpOnly: true,
  sameSite: 'lax',
  secure: siteEnv().secureCookies,
  path: PREVIEW_ROOT,
  maxAge,
});

/** Keeps the token for the preview pages, exactly as long as Strapi will accept it. */
export function setPreviewCookie(cookies: AstroCookies, token: string, expiresAt: string, nowMs: number = Date.now()) {
  const secondsLeft = Math.floor((Date.parse(expiresAt) - nowMs) / 1000);
  if (secondsLeft > 0) cookies.set(cookieName(), token, cookieOptions(secondsLeft));
}

export const readPreviewToken = (cookies: AstroCookies) => cookies.get(cookieName())?.value || null;

export function clearPreviewCookie(cookies: AstroCookies) {
  const { maxAge: _ignored, ...options } = cookieOptions(0);
  cookies.delete(cookieName(), options);
}

// ── Loading a preview page ───────────────────────────────────────────────────────────────────

export type PreviewLoad =
  | { kind: 'ok'; preview: DraftPreview }
  /** No token, or Strapi refused it: the page answers 401 (and the cookie goes). */
  | { kind: 'refused'; hadToken: boolean }
  | { kind: 'unavailable' };

/** The draft for a preview page, from the cookie's token: fetched fresh every time (no cache anywhere). */
export async function loadPreviewPage(cookies: AstroCookies): Promise<PreviewLoad> {
  const token = readPreviewToken(cookies);
  if (!token) return { kind: 'refused', hadToken: false };
  try {
    const preview = await fetchDraftPreview(token);
    if (preview) return { kind: 'ok', preview };
    clearPreviewCookie(cookies);
    return { kind: 'refused', hadToken: true };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    console.error('[site] preview: could not load the draft:', error.message);
    return { kind: 'unavailable' };
  }
}
