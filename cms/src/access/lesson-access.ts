import type { Core, Struct } from '@strapi/strapi';
import { loadEnv, type Env } from '@skillyug/config';
import type { S3Storage } from '@skillyug/live/recordings/storage/s3';
import { LESSON_UID, PROTECTED_LESSON_FIELDS } from './protected-fields';
import { fileSigningSecret, signedExpiry, signUploadUrl } from '../middlewares/protected-uploads';

type Entity = Record<string, unknown>;

/** Collects every lesson object in a response tree, following the schema's relations. */
function collectLessons(strapi: Core.Strapi, node: unknown, schema: Struct.Schema | undefined, found: Entity[]) {
  if (!schema || !node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) collectLessons(strapi, item, schema, found);
    return;
  }
  const entity = node as Entity;
  if (schema.uid === LESSON_UID && PROTECTED_LESSON_FIELDS.some((field) => field in entity)) found.push(entity);

  for (const [key, attribute] of Object.entries(schema.attributes)) {
    const value = entity[key];
    if (value === undefined || value === null) continue;
    if (attribute.type === 'relation' && 'target' in attribute && attribute.target) {
      collectLessons(strapi, value, strapi.getModel(attribute.target as any), found);
    } else if (attribute.type === 'component') {
      collectLessons(strapi, value, strapi.getModel(attribute.component as any), found);
    } else if (attribute.type === 'dynamiczone' && Array.isArray(value)) {
      for (const item of value as Entity[]) collectLessons(strapi, item, strapi.getModel(item.__component as any), found);
    }
  }
}

/**
 * Which of these lessons may the caller read in full? A lesson is open when it is a
 * published preview, or when the caller holds an active enrollment in its course.
 * Answers are cached on the request so a list response costs one pair of queries.
 */
async function readableLessons(strapi: Core.Strapi, userId: number | undefined, documentIds: string[]) {
  const ctx = strapi.requestContext.get() as any;
  const cache: Map<string, boolean> = ctx?.state ? (ctx.state.lessonAccess ??= new Map()) : new Map();
  const unknown = [...new Set(documentIds)].filter((id) => !cache.has(id));

  if (unknown.length > 0) {
    const lessons = await strapi.db.query(LESSON_UID).findMany({
      where: { documentId: { $in: unknown }, publishedAt: { $notNull: true } },
      select: ['documentId', 'isPreview'],
      populate: { module: { select: ['documentId'], populate: { course: { select: ['documentId'] } } } },
    });
    const courseOf = new Map<string, string | undefined>(
      lessons.map((lesson: any) => [lesson.documentId, lesson.module?.course?.documentId])
    );
    const enrolledCourses = new Set<string>();
    const courseIds = [...new Set([...courseOf.values()].filter(Boolean))] as string[];
    if (userId !== undefined && courseIds.length > 0) {
      const enrollments = await strapi.db.query('api::enrollment.enrollment').findMany({
        where: { userCourseKey: { $in: courseIds.map((id) => `${userId}:${id}`) }, state: 'active' },
        select: ['userCourseKey'],
      });
      for (const { userCourseKey } of enrollments) enrolledCourses.add(String(userCourseKey).split(':')[1]);
    }
    for (const id of unknown) {
      const lesson = lessons.find((l: any) => l.documentId === id);
      const course = courseOf.get(id);
      cache.set(id, Boolean(lesson && (lesson.isPreview || (course && enrolledCourses.has(course)))));
    }
  }
  return new Set(documentIds.filter((id) => cache.get(id)));
}

export type MediaObject = { id?: unknown; url?: unknown; formats?: unknown };
type FileRow = { id: number; hash: string; ext: string | null; formats: Record<string, { hash?: string; ext?: string }> | null };

/**
 * How long catalog-cache (middlewares/catalog-cache.ts) may hand out one public answer after it was
 * built: 10 s in its memory, then `s-maxage=60` and `stale-while-revalidate=300` at a CDN (a
 * browser's `max-age=30` is shorter). A link in a public answer lives this much longer, so whoever
 * gets the answer last still has SIGNED_URL_TTL_SECONDS to start watching.
 */
export const PUBLIC_CACHE_HOLD_SECONDS = 10 + 60 + 300;

const formatsOf = (media: MediaObject): MediaObject[] =>
  media.formats && typeof media.formats === 'object' ? (Object.values(media.formats) as MediaObject[]).filter((f) => f && typeof f === 'object') : [];

/** The object key @strapi/provider-upload-aws-s3 stored a file under (its getFileKey: rootPath/hash+ext). */
function uploadObjectKey(rootPath: string | undefined, hash: string, ext: string | null | undefined) {
  const prefix = rootPath ? `${rootPath.replace(/\/+$/, '')}/` : '';
  const cleanHash = hash.replace(/\.\./g, '').replace(/^\/+|\/+$/g, '').replace(/\/+/g, '/');
  return `${prefix}${cleanHash}${(ext ?? '').replace(/[^a-zA-Z0-9.]/g, '')}`;
}

/** The bucket Strapi's uploads are in, through the recordings' S3 backend (CloudFront signed URLs when configured, else presigned). Made once per process. */
let uploadsBucket: Promise<S3Storage> | undefined;
function uploadsStorage(strapi: Core.Strapi, env: Env): Promise<S3Storage> {
  uploadsBucket ??= import('@skillyug/live/recordings/storage/index').then((storage) => {
    const bucket = strapi.config.get('plugin::upload.providerOptions.s3Options.params.Bucket', env.S3_BUCKET) as string | undefined;
    if (bucket && bucket !== env.S3_BUCKET) return storage.s3StorageForBucket(env, bucket);
    return storage.createObjectStorage(env, { publicUrl: env.PUBLIC_URL ?? '', secret: fileSigningSecret(env), cmsDir: strapi.dirs.app.root }) as S3Storage;
  });
  return uploadsBucket;
}

async function signS3Videos(strapi: Core.Strapi, env: Env, videos: MediaObject[], exp: number) {
  const ids = [...new Set(videos.map((video) => Number(video.id)).filter(Number.isInteger))];
  const rows: FileRow[] = ids.length
    ? await strapi.db.query('plugin::upload.file').findMany({ where: { id: { $in: ids } }, select: ['id', 'hash', 'ext', 'formats'] })
    : [];
  const rowById = new Map(rows.map((row) => [row.id, row]));
  const rootPath = strapi.config.get('plugin::upload.providerOptions.rootPath') as string | undefined;
  const storage = await uploadsStorage(strapi, env);
  const expiresInSeconds = Math.max(1, exp - Math.floor(Date.now() / 1000));
  const sign = async (hash: string, ext: string | null | undefined) => (await storage.signedUrl(uploadObjectKey(rootPath, hash, ext), { expiresInSeconds })).url;

  for (const video of videos) {
    const row = rowById.get(Number(video.id));
    try {
      if (!row) throw new Error(`no file row for the lesson video ${String(video.id)}`);
      if ('url' in video) video.url = await sign(row.hash, row.ext);
      for (const [name, format] of Object.entries((video.formats as Record<string, MediaObject> | undefined) ?? {})) {
        const stored = row.formats?.[name];
        if (format && typeof format === 'object' && 'url' in format) {
          if (stored?.hash) format.url = await sign(stored.hash, stored.ext);
          else delete format.url;
        }
      }
    } catch (error) {
      // An unsigned bucket URL may be readable by anyone: leave the video without one rather than leak it.
      strapi.log.error(`[lesson-access] could not sign a lesson video URL, left out: ${(error as Error)?.message ?? error}`);
      delete video.url;
      for (const format of formatsOf(video)) delete format.url;
    }
  }
}

/**
 * Signs the URLs of the lesson videos a caller may watch: `/uploads/<name>?exp&sig` on disk (the
 * link middlewares/protected-uploads.ts checks), a CloudFront signed or S3 presigned URL in S3. They
 * last SIGNED_URL_TTL_SECONDS, rounded up to the minute so one minute's callers share a URL.
 *
 * Catalog-cache may keep an answer to a request without Authorization and serve it to other visitors
 * for up to PUBLIC_CACHE_HOLD_SECONDS. Such an answer only ever holds preview lessons' videos (a
 * visitor reads nothing else), which every visitor may watch, so sharing the link gives nobody
 * access they didn't have; its links get PUBLIC_CACHE_HOLD_SECONDS more so none is served expired.
 * Requests with Authorization (students' own) are never cached there (`private, no-store`).
 * The draft preview (api/preview) signs its lessons' videos here too, never publicly cached.
 */
export async function signLessonVideos(strapi: Core.Strapi, env: Env, videos: MediaObject[], { publiclyCached }: { publiclyCached: boolean }) {
  const exp = signedExpiry(env.SIGNED_URL_TTL_SECONDS, publiclyCached ? PUBLIC_CACHE_HOLD_SECONDS : 0);
  if (env.UPLOAD_PROVIDER === 's3') return signS3Videos(strapi, env, videos, exp);
  const secret = fileSigningSecret(env);
  for (const media of [...videos, ...videos.flatMap(formatsOf)]) {
    if (typeof media.url === 'string') media.url = signUploadUrl(media.url, secret, exp);
  }
}

/** A lesson's `video` as it appears in a response: one file object, a list (if the field ever allows several), or nothing. */
function mediaObjects(value: unknown): MediaObject[] {
  if (Array.isArray(value)) return value.filter((item): item is MediaObject => Boolean(item) && typeof item === 'object');
  return value && typeof value === 'object' ? [value as MediaObject] : [];
}

/**
 * A content-API output sanitizer: strips the body and video of every lesson the caller
 * can't read, wherever the lesson sits in the response (/api/lessons, or populated through
 * courses, modules, enrollments, progress…), and signs the video URLs of those it can (the
 * files themselves are refused unsigned: middlewares/protected-uploads.ts). It runs after
 * Strapi's own sanitizers, on every route that sanitizes its output, so no populate or
 * fields trick reaches around it.
 */
export function lessonAccessSanitizer(strapi: Core.Strapi) {
  return (schema: Struct.Schema) => async (data: any) => {
    const lessons: Entity[] = [];
    collectLessons(strapi, data, schema, lessons);
    if (lessons.length === 0) return data;

    const ctx = strapi.requestContext.get() as any;
    const userId: number | undefined = ctx?.state?.user?.id;
    const readable = await readableLessons(strapi, userId, lessons.map((lesson) => String(lesson.documentId)));
    const videos: MediaObject[] = [];
    for (const lesson of lessons) {
      if (readable.has(String(lesson.documentId))) {
        videos.push(...mediaObjects(lesson.video));
        continue;
      }
      for (const field of PROTECTED_LESSON_FIELDS) delete lesson[field];
      lesson.locked = true;
    }
    // A request without Authorization may be answered from catalog-cache's public caches: see signLessonVideos.
    const publiclyCached = !ctx?.get?.('Authorization');
    if (videos.length > 0) await signLessonVideos(strapi, loadEnv('cms'), videos, { publiclyCached });
    return data;
  };
}
