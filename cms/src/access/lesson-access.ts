import type { Core, Struct } from '@strapi/strapi';
import { LESSON_UID, PROTECTED_LESSON_FIELDS } from './protected-fields';

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

/**
 * A content-API output sanitizer: strips the body and video of every lesson the caller
 * can't read, wherever the lesson sits in the response (/api/lessons, or populated through
 * courses, modules, enrollments, progress…). It runs after Strapi's own sanitizers, on
 * every route that sanitizes its output, so no populate or fields trick reaches around it.
 */
export function lessonAccessSanitizer(strapi: Core.Strapi) {
  return (schema: Struct.Schema) => async (data: any) => {
    const lessons: Entity[] = [];
    collectLessons(strapi, data, schema, lessons);
    if (lessons.length === 0) return data;

    const ctx = strapi.requestContext.get() as any;
    const userId: number | undefined = ctx?.state?.user?.id;
    const readable = await readableLessons(strapi, userId, lessons.map((lesson) => String(lesson.documentId)));
    for (const lesson of lessons) {
      if (readable.has(String(lesson.documentId))) continue;
      for (const field of PROTECTED_LESSON_FIELDS) delete lesson[field];
      lesson.locked = true;
    }
    return data;
  };
}
