import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { loadEnv } from '@skillyug/config';
import { isPreviewable, signPreviewToken, verifyPreviewToken, PREVIEWABLE_TYPES, type PreviewGrant, type PreviewableType } from '../../../access/preview-token';
import { signLessonVideos, type MediaObject } from '../../../access/lesson-access';

/**
 * Draft preview on the site (Strapi 5's preview feature):
 *  - `previewUrl` is the admin's preview handler (cms/config/admin.ts): for a course, module or
 *    lesson it answers `${SITE_URL}/preview?token=…`, the token naming the document and its course;
 *  - `draftCourse` answers `GET /api/previews/course?token=…`: that course's DRAFT, shaped like the
 *    published course detail the site renders (site/src/lib/api.ts courseDetailSchema), with every
 *    lesson's content (body, signed video link, recording) whatever its state.
 * The content API's draft refusal (middlewares/content-api-guard.ts) stays as it is: this route is
 * the only way to a draft outside the admin, and only with a token minted for a signed-in admin
 * who may read the catalog.
 */

const COURSE_UID = 'api::course.course';
const MODULE_UID = 'api::module.module';
const LESSON_UID = 'api::lesson.lesson';
const READ_ACTION = 'plugin::content-manager.explorer.read';
const MEDIA_FIELDS = ['url', 'alternativeText', 'width', 'height', 'mime', 'formats'];

type Media = { url: string; alternativeText: string | null; width: number | null; height: number | null; mime: string | null };

export type PreviewLesson = {
  documentId: string;
  title: string;
  slug: string;
  type: string;
  duration: number;
  isPreview: boolean;
  order: number;
  body: unknown[];
  video: Media | null;
  recording: string | null;
};

export type PreviewCourse = {
  id: number;
  documentId: string;
  title: string;
  slug: string;
  summary: string | null;
  description: unknown[];
  level: string;
  language: string | null;
  price: number;
  currency: string;
  isFree: boolean;
  cover: Media | null;
  category: { name: string; slug: string } | null;
  instructors: { name: string; slug: string; bio: string | null; avatar: Media | null }[];
  updatedAt: string;
  publishedAt: null;
  modules: { documentId: string; title: string; order: number; lessons: PreviewLesson[] }[];
};

export type DraftPreview = {
  data: PreviewCourse;
  meta: { preview: { uid: PreviewableType; documentId: string; expiresAt: string } };
};

const media = (file: any): Media | null =>
  file && typeof file.url === 'string'
    ? { url: file.url, alternativeText: file.alternativeText ?? null, width: file.width ?? null, height: file.height ?? null, mime: file.mime ?? null }
    : null;

const byOrder = <T extends { order?: number | null; id?: number }>(items: T[] | null | undefined): T[] =>
  [...(items ?? [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || (a.id ?? 0) - (b.id ?? 0));

export type PreviewRefusal = { reason: 'missing' | 'invalid' | 'expired'; message: string };

const REFUSALS: Record<PreviewRefusal['reason'], string> = {
  missing: 'A preview token is required: open the preview from the admin',
  invalid: 'This preview link is not valid: open the preview again from the admin',
  expired: 'This preview link has expired: open the preview again from the admin',
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = strapi.documents as any;

  /** The course a draft document belongs to (itself for a course), or null. */
  async function courseOf(uid: PreviewableType, documentId: string): Promise<string | null> {
    if (uid === COURSE_UID) {
      const course = await documents(COURSE_UID).findOne({ documentId, status: 'draft', fields: ['documentId'] });
      return course?.documentId ?? null;
    }
    if (uid === MODULE_UID) {
      const module = await documents(MODULE_UID).findOne({ documentId, status: 'draft', fields: ['documentId'], populate: { course: { fields: ['documentId'] } } });
      return module?.course?.documentId ?? null;
    }
    const lesson = await documents(LESSON_UID).findOne({
      documentId,
      status: 'draft',
      fields: ['documentId'],
      populate: { module: { fields: ['documentId'], populate: { course: { fields: ['documentId'] } } } },
    });
    return lesson?.module?.course?.documentId ?? null;
  }

  /** The draft course with its modules and lessons in their `order`. */
  async function loadDraft(grant: PreviewGrant): Promise<any> {
    const course = await documents(COURSE_UID).findOne({
      documentId: grant.courseDocumentId,
      status: 'draft',
      populate: {
        cover: { fields: MEDIA_FIELDS },
        category: { fields: ['name', 'slug'] },
        instructors: { fields: ['name', 'slug', 'bio'], populate: { avatar: { fields: MEDIA_FIELDS } } },
        modules: {
          fields: ['title', 'order'],
          sort: ['order:asc'],
          populate: {
            lessons: {
              fields: ['title', 'slug', 'type', 'duration', 'isPreview', 'order', 'body', 'recording'],
              sort: ['order:asc'],
              populate: { video: { fields: MEDIA_FIELDS } },
            },
          },
        },
      },
    });
    if (!course) throw new errors.NotFoundError('The course of this preview no longer exists');
    course.modules = byOrder(course.modules).map((module: any) => ({ ...module, lessons: byOrder(module.lessons) }));
    return course;
  }

  return {
    /**
     * The admin's preview URL for a document (Strapi calls the handler with the edit view's
     * documentId); undefined — no Preview button — for other types, unknown documents, modules or
     * lessons not attached to a course, and admins who may not read the whole catalog.
     */
    async previewUrl(uid: string, { documentId }: { documentId?: string }): Promise<string | undefined> {
      if (!isPreviewable(uid) || !documentId) return undefined;
      // The preview shows the course with its modules and lessons: the caller must be allowed to read all three.
      const ability = (strapi.requestContext.get() as any)?.state?.userAbility;
      if (!ability || !PREVIEWABLE_TYPES.every((type) => ability.can(READ_ACTION, type))) return undefined;

      const courseDocumentId = await courseOf(uid, documentId);
      if (!courseDocumentId) return undefined;
      const env = loadEnv('cms');
      const { token } = signPreviewToken(env, { uid, documentId, courseDocumentId });
      return `${env.SITE_URL.replace(/\/+$/, '')}/preview?token=${encodeURIComponent(token)}`;
    },

    /**
     * `GET /api/previews/course?token=`: the draft course the token names, or why the token opens
     * nothing (a refusal, not a thrown UnauthorizedError: Strapi's router would answer that with a
     * bare "Unauthorized" and no reason).
     */
    async draftCourse(token: string | undefined): Promise<{ ok: true; preview: DraftPreview } | ({ ok: false } & PreviewRefusal)> {
      const env = loadEnv('cms');
      const checked = verifyPreviewToken(env, token);
      if (!checked.ok) return { ok: false, reason: checked.reason, message: REFUSALS[checked.reason] };
      const course = await loadDraft(checked.grant);

      // Every lesson's video is shown to the editor: signed like an enrolled student's, never publicly cached.
      const videos: MediaObject[] = course.modules.flatMap((module: any) => module.lessons.map((lesson: any) => lesson.video).filter(Boolean));
      if (videos.length > 0) await signLessonVideos(strapi, env, videos, { publiclyCached: false });

      const { uid, documentId, expiresAt } = checked.grant;
      return { ok: true, preview: { data: shapeCourse(course), meta: { preview: { uid, documentId, expiresAt: expiresAt.toISOString() } } } };
    },
  };
};

/** The published course detail's shape (what the site parses), plus each lesson's content. Only named fields leave. */
function shapeCourse(course: any): PreviewCourse {
  return {
    id: course.id,
    documentId: course.documentId,
    title: course.title,
    slug: course.slug || course.documentId,
    summary: course.summary ?? null,
    description: course.description ?? [],
    level: course.level,
    language: course.language ?? null,
    price: course.price ?? 0,
    currency: course.currency ?? 'INR',
    isFree: Boolean(course.isFree),
    cover: media(course.cover),
    category: course.category ? { name: course.category.name, slug: course.category.slug } : null,
    instructors: (course.instructors ?? []).map((i: any) => ({ name: i.name, slug: i.slug, bio: i.bio ?? null, avatar: media(i.avatar) })),
    updatedAt: course.updatedAt,
    publishedAt: null,
    modules: course.modules.map((module: any) => ({
      documentId: module.documentId,
      title: module.title,
      order: module.order ?? 0,
      lessons: module.lessons.map(
        (lesson: any): PreviewLesson => ({
          documentId: lesson.documentId,
          title: lesson.title,
          // A lesson saved before its slug was filled still opens (the site links lessons by slug).
          slug: lesson.slug || lesson.documentId,
          type: lesson.type,
          duration: lesson.duration ?? 0,
          isPreview: Boolean(lesson.isPreview),
          order: lesson.order ?? 0,
          body: lesson.body ?? [],
          video: media(lesson.video),
          recording: lesson.recording ?? null,
        })
      ),
    })),
  };
}
