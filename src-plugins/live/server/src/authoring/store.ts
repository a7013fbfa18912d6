import type { Core } from '@strapi/strapi';
import type { ItemState, LessonType, Outline, OutlineCourseSummary, OutlineLesson, OutlineModule, OutlineRights } from './contracts';

export const COURSE_UID = 'api::course.course';
export const MODULE_UID = 'api::module.module';
export const LESSON_UID = 'api::lesson.lesson';
export const UPLOAD_FILE_UID = 'plugin::upload.file';

/** How many courses the outline's course list shows at most (most recently edited first). */
const COURSE_LIST_LIMIT = 500;

type Stamp = string | Date;
type CourseRow = { id: number; documentId: string; title: string; slug: string | null; updatedAt: Stamp };
type ModuleRow = { id: number; documentId: string; title: string | null; order: number | null; updatedAt: Stamp };
type LessonRow = {
  id: number;
  documentId: string;
  title: string | null;
  slug: string | null;
  type: LessonType | null;
  duration: number | null;
  isPreview: boolean | null;
  order: number | null;
  updatedAt: Stamp;
  /** A live class's recording published as this lesson plays instead of an upload. */
  recording: string | null;
  video?: { id: number } | null;
  module?: { documentId: string } | null;
};

const iso = (value: Stamp) => new Date(value).toISOString();
const time = (value: Stamp | undefined) => (value ? new Date(value).getTime() : 0);

/** The content manager's rule: never published → draft; the draft saved after the published version → modified. */
export function itemState(draftUpdatedAt: Stamp, publishedUpdatedAt: Stamp | undefined): ItemState {
  if (publishedUpdatedAt === undefined) return 'draft';
  return time(draftUpdatedAt) > time(publishedUpdatedAt) ? 'modified' : 'published';
}

const byOrder = (a: { order: number | null; id: number }, b: { order: number | null; id: number }) => (a.order ?? 0) - (b.order ?? 0) || a.id - b.id;

/** When each of these documents' published version was last saved (documents never published are absent). */
async function publishedStamps(strapi: Core.Strapi, uid: string, documentIds: string[]): Promise<Map<string, Stamp>> {
  if (documentIds.length === 0) return new Map();
  const rows = (await strapi.db.query(uid as any).findMany({
    where: { documentId: { $in: documentIds }, publishedAt: { $notNull: true } },
    select: ['documentId', 'updatedAt'],
  })) as { documentId: string; updatedAt: Stamp }[];
  return new Map(rows.map((row) => [row.documentId, row.updatedAt]));
}

/** A course's draft (every document has one: Strapi keeps the draft when it publishes). */
export async function findDraftCourse(strapi: Core.Strapi, documentId: string): Promise<CourseRow | null> {
  return (await strapi.db.query(COURSE_UID as any).findOne({
    where: { documentId, publishedAt: null },
    select: ['id', 'documentId', 'title', 'slug', 'updatedAt'],
  })) as CourseRow | null;
}

export type DraftModule = { documentId: string; title: string; courseDocumentId: string | null };

export async function findDraftModule(strapi: Core.Strapi, documentId: string): Promise<DraftModule | null> {
  const row = (await strapi.db.query(MODULE_UID as any).findOne({
    where: { documentId, publishedAt: null },
    select: ['documentId', 'title'],
    populate: { course: { select: ['documentId'] } },
  })) as { documentId: string; title: string; course?: { documentId: string } | null } | null;
  return row && { documentId: row.documentId, title: row.title, courseDocumentId: row.course?.documentId ?? null };
}

export type DraftLesson = { documentId: string; title: string; moduleDocumentId: string | null; courseDocumentId: string | null };

export async function findDraftLesson(strapi: Core.Strapi, documentId: string): Promise<DraftLesson | null> {
  const row = (await strapi.db.query(LESSON_UID as any).findOne({
    where: { documentId, publishedAt: null },
    select: ['documentId', 'title'],
    populate: { module: { select: ['documentId'], populate: { course: { select: ['documentId'] } } } },
  })) as { documentId: string; title: string; module?: { documentId: string; course?: { documentId: string } | null } | null } | null;
  return (
    row && { documentId: row.documentId, title: row.title, moduleDocumentId: row.module?.documentId ?? null, courseDocumentId: row.module?.course?.documentId ?? null }
  );
}

/** The draft modules of a course, in order. */
async function draftModulesOf(strapi: Core.Strapi, courseDocumentId: string): Promise<ModuleRow[]> {
  const rows = (await strapi.db.query(MODULE_UID as any).findMany({
    where: { publishedAt: null, course: { documentId: courseDocumentId } },
    select: ['id', 'documentId', 'title', 'order', 'updatedAt'],
  })) as ModuleRow[];
  return rows.sort(byOrder);
}

/** The draft lessons of these modules, in order, each naming its module. */
async function draftLessonsOf(strapi: Core.Strapi, moduleDocumentIds: string[]): Promise<LessonRow[]> {
  if (moduleDocumentIds.length === 0) return [];
  const rows = (await strapi.db.query(LESSON_UID as any).findMany({
    where: { publishedAt: null, module: { documentId: { $in: moduleDocumentIds } } },
    select: ['id', 'documentId', 'title', 'slug', 'type', 'duration', 'isPreview', 'order', 'recording', 'updatedAt'],
    populate: { video: { select: ['id'] }, module: { select: ['documentId'] } },
  })) as LessonRow[];
  return rows.sort(byOrder);
}

/**
 * The course's outline as its drafts describe it (what the outline edits), each item with its
 * state against its published version. Null when there is no such course.
 */
export async function readOutline(strapi: Core.Strapi, courseDocumentId: string, rights: OutlineRights): Promise<Outline | null> {
  const course = await findDraftCourse(strapi, courseDocumentId);
  if (!course) return null;
  const modules = await draftModulesOf(strapi, courseDocumentId);
  const lessons = await draftLessonsOf(strapi, modules.map((m) => m.documentId));
  // One after another: inside a transaction (publishing reads the outline in one) they share a connection.
  const publishedCourse = await publishedStamps(strapi, COURSE_UID, [courseDocumentId]);
  const publishedModules = await publishedStamps(strapi, MODULE_UID, modules.map((m) => m.documentId));
  const publishedLessons = await publishedStamps(strapi, LESSON_UID, lessons.map((l) => l.documentId));

  const lessonsByModule = new Map<string, OutlineLesson[]>();
  for (const lesson of lessons) {
    const moduleId = lesson.module?.documentId;
    if (!moduleId) continue;
    const list = lessonsByModule.get(moduleId) ?? [];
    list.push({
      documentId: lesson.documentId,
      title: lesson.title ?? '',
      slug: lesson.slug ?? '',
      type: lesson.type ?? 'article',
      duration: lesson.duration ?? 0,
      isPreview: lesson.isPreview === true,
      hasVideo: Boolean(lesson.video || lesson.recording),
      state: itemState(lesson.updatedAt, publishedLessons.get(lesson.documentId)),
      order: lesson.order ?? 0,
    });
    lessonsByModule.set(moduleId, list);
  }

  const outlineModules: OutlineModule[] = modules.map((module) => ({
    documentId: module.documentId,
    title: module.title ?? '',
    order: module.order ?? 0,
    state: itemState(module.updatedAt, publishedModules.get(module.documentId)),
    lessons: lessonsByModule.get(module.documentId) ?? [],
  }));
  return {
    course: {
      documentId: course.documentId,
      title: course.title,
      slug: course.slug ?? '',
      state: itemState(course.updatedAt, publishedCourse.get(courseDocumentId)),
      updatedAt: iso(course.updatedAt),
    },
    modules: outlineModules,
    rights,
  };
}

/** Every course (drafts included) whose title contains `search`, most recently edited first, with its module and lesson counts. */
export async function listCourses(strapi: Core.Strapi, search?: string): Promise<OutlineCourseSummary[]> {
  const courses = (await strapi.db.query(COURSE_UID as any).findMany({
    where: { publishedAt: null, ...(search ? { title: { $containsi: search } } : {}) },
    select: ['id', 'documentId', 'title', 'slug', 'updatedAt'],
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    limit: COURSE_LIST_LIMIT,
  })) as CourseRow[];
  if (courses.length === 0) return [];
  const courseIds = courses.map((c) => c.documentId);

  const [modules, lessons, published] = await Promise.all([
    strapi.db.query(MODULE_UID as any).findMany({
      where: { publishedAt: null, course: { documentId: { $in: courseIds } } },
      select: ['id'],
      populate: { course: { select: ['documentId'] } },
    }) as Promise<{ course?: { documentId: string } | null }[]>,
    strapi.db.query(LESSON_UID as any).findMany({
      where: { publishedAt: null, module: { course: { documentId: { $in: courseIds } } } },
      select: ['id'],
      populate: { module: { select: ['id'], populate: { course: { select: ['documentId'] } } } },
    }) as Promise<{ module?: { course?: { documentId: string } | null } | null }[]>,
    publishedStamps(strapi, COURSE_UID, courseIds),
  ]);
  const count = (ids: (string | undefined)[]) => {
    const counts = new Map<string, number>();
    for (const id of ids) if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
    return counts;
  };
  const moduleCounts = count(modules.map((m) => m.course?.documentId));
  const lessonCounts = count(lessons.map((l) => l.module?.course?.documentId));

  return courses.map((course) => ({
    documentId: course.documentId,
    title: course.title,
    state: itemState(course.updatedAt, published.get(course.documentId)),
    modules: moduleCounts.get(course.documentId) ?? 0,
    lessons: lessonCounts.get(course.documentId) ?? 0,
    updatedAt: iso(course.updatedAt),
  }));
}

export type UploadedFile = { id: number; name: string; mime: string | null; url: string | null; provider: string | null };

export async function findUploadedFile(strapi: Core.Strapi, id: number): Promise<UploadedFile | null> {
  return (await strapi.db.query(UPLOAD_FILE_UID as any).findOne({
    where: { id },
    select: ['id', 'name', 'mime', 'url', 'provider'],
  })) as UploadedFile | null;
}
