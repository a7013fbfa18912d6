import type { Core } from '@strapi/strapi';
import {
  COURSE_UID,
  courseTitle,
  ENROLLMENT_UID,
  LESSON_PROGRESS_UID,
  LESSON_UID,
  MODULE_UID,
  relationChange,
  storedRow,
  useDocuments,
  writeData,
  type DocumentContext,
} from './documents';

/**
 * Labels that let the admin tell look-alike entries apart, kept by the server (editors can't type them):
 * - a module's `outlineLabel`, "<Course title> › <Module title>" — its main field, so a relation
 *   picker shows two "Getting started" modules of different courses as different;
 * - an enrollment's `label`, "<student email or username> — <course title>", and a lesson
 *   progress's, "<student> — <lesson title> (<course title>)" — so the admin's lists and home
 *   ("last edited") read as people and courses, not "12:bpq2x2…" keys.
 * Set on every write through the document service, followed when a course's title changes
 * (modules, enrollments; a progress label keeps the titles it was written with), and filled in on
 * start for rows written before they existed (backfillCatalogLabels).
 */
const USER_UID = 'plugin::users-permissions.user';

/** Strapi's string columns are varchar(255) on PostgreSQL. */
const LABEL_MAX = 255;
const clip = (label: string) => (label.length <= LABEL_MAX ? label : `${label.slice(0, LABEL_MAX - 1)}…`);

export const moduleOutlineLabel = (course: string, module: string) => clip(course ? `${course} › ${module}` : module);
export const enrollmentLabel = (who: string, course: string) => clip(`${who || 'Unknown student'} — ${course || 'Unknown course'}`);
export const progressLabel = (who: string, lesson: string, course: string) =>
  clip(`${who || 'Unknown student'} — ${lesson || 'Unknown lesson'}${course ? ` (${course})` : ''}`);

const whoIs = (user: { email?: string | null; username?: string | null } | null | undefined) => user?.email || user?.username || '';

/** How an enrollment names its student: the user set by this write, else the stored one. */
async function userWho(strapi: Core.Strapi, value: unknown, storedUserDocumentId: string | undefined): Promise<string> {
  const change = await relationChange(strapi, USER_UID, value);
  const documentId = change.changes ? change.documentId : storedUserDocumentId;
  if (!documentId) return '';
  return whoIs(await strapi.db.query(USER_UID as any).findOne({ where: { documentId }, select: ['email', 'username'] }));
}

async function labelModule(strapi: Core.Strapi, context: DocumentContext) {
  const data = writeData(context);
  if (context.action === 'update' && !['title', 'course', 'outlineLabel'].some((field) => field in data)) return;
  const stored = context.action === 'create' ? null : await storedRow(strapi, MODULE_UID, context.params.documentId, ['title'], { course: { select: ['documentId'] } });
  const course = await relationChange(strapi, COURSE_UID, data.course);
  const courseId = course.changes ? course.documentId : (stored?.course?.documentId as string | undefined);
  data.outlineLabel = moduleOutlineLabel(await courseTitle(strapi, courseId), String(data.title ?? stored?.title ?? ''));
}

async function labelEnrollment(strapi: Core.Strapi, context: DocumentContext) {
  const data = writeData(context);
  if (context.action === 'update' && !['user', 'course', 'label'].some((field) => field in data)) return;
  const stored =
    context.action === 'create'
      ? null
      : await storedRow(strapi, ENROLLMENT_UID, context.params.documentId, [], { user: { select: ['documentId'] }, course: { select: ['documentId'] } });
  const who = await userWho(strapi, data.user, stored?.user?.documentId as string | undefined);
  const course = await relationChange(strapi, COURSE_UID, data.course);
  const courseId = course.changes ? course.documentId : (stored?.course?.documentId as string | undefined);
  data.label = enrollmentLabel(who, await courseTitle(strapi, courseId));
}

/** Writes a label without touching `updatedAt` (an object `data` to updateMany skips Strapi's timestamps), so no draft looks "modified". */
const setSilently = (strapi: Core.Strapi, uid: string, id: number, data: Record<string, string>) => strapi.db.query(uid as any).updateMany({ where: { id }, data });

/** A lesson's title and its course's title, as their drafts have them. */
async function lessonTitles(strapi: Core.Strapi, lessonDocumentId: string | null | undefined) {
  const lesson = await storedRow(strapi, LESSON_UID, lessonDocumentId ?? undefined, ['title'], { module: { select: ['documentId'], populate: { course: { select: ['documentId'] } } } });
  return { lesson: (lesson?.title as string | undefined) ?? '', course: await courseTitle(strapi, lesson?.module?.course?.documentId) };
}

async function labelProgress(strapi: Core.Strapi, context: DocumentContext) {
  const data = writeData(context);
  if (context.action === 'update' && !['user', 'lesson', 'label'].some((field) => field in data)) return;
  const stored =
    context.action === 'create'
      ? null
      : await storedRow(strapi, LESSON_PROGRESS_UID, context.params.documentId, [], { user: { select: ['documentId'] }, lesson: { select: ['documentId'] } });
  const who = await userWho(strapi, data.user, stored?.user?.documentId as string | undefined);
  const lesson = await relationChange(strapi, LESSON_UID, data.lesson);
  const titles = await lessonTitles(strapi, lesson.changes ? lesson.documentId : (stored?.lesson?.documentId as string | undefined));
  data.label = progressLabel(who, titles.lesson, titles.course);
}

/** The course's title changed: its modules' outline labels (draft and published rows) and its enrollments' labels follow. */
async function followCourseTitle(strapi: Core.Strapi, courseDocumentId: string) {
  const title = await courseTitle(strapi, courseDocumentId);
  const modules = (await strapi.db.query(MODULE_UID as any).findMany({
    where: { course: { documentId: courseDocumentId } },
    select: ['id', 'title', 'outlineLabel'],
  })) as { id: number; title: string; outlineLabel: string | null }[];
  for (const module of modules) {
    const label = moduleOutlineLabel(title, module.title);
    if (label !== module.outlineLabel) await setSilently(strapi, MODULE_UID, module.id, { outlineLabel: label });
  }
  const enrollments = (await strapi.db.query(ENROLLMENT_UID as any).findMany({
    where: { course: { documentId: courseDocumentId } },
    select: ['id', 'label'],
    populate: { user: { select: ['email', 'username'] } },
  })) as { id: number; label: string | null; user?: { email?: string; username?: string } | null }[];
  for (const enrollment of enrollments) {
    const label = enrollmentLabel(whoIs(enrollment.user), title);
    if (label !== enrollment.label) await setSilently(strapi, ENROLLMENT_UID, enrollment.id, { label });
  }
}

export function registerLabelRules(strapi: Core.Strapi) {
  useDocuments(strapi, async (context, next) => {
    const writes = ['create', 'update', 'clone'].includes(context.action);
    if (writes && context.uid === MODULE_UID) await labelModule(strapi, context);
    if (writes && context.uid === ENROLLMENT_UID) await labelEnrollment(strapi, context);
    if (writes && context.uid === LESSON_PROGRESS_UID) await labelProgress(strapi, context);
    if (context.uid !== COURSE_UID || context.action !== 'update' || !('title' in (context.params.data ?? {}))) return next();

    const before = await courseTitle(strapi, context.params.documentId);
    const result = await next();
    if (context.params.documentId && (await courseTitle(strapi, context.params.documentId)) !== before) await followCourseTitle(strapi, context.params.documentId);
    return result;
  });
}

/** Fills the labels of modules, enrollments and lesson progress that have none (written before the labels existed, or by raw SQL). */
export async function backfillCatalogLabels(strapi: Core.Strapi) {
  const blank = (field: string) => ({ $or: [{ [field]: { $null: true } }, { [field]: '' }] });
  const modules = (await strapi.db.query(MODULE_UID as any).findMany({
    where: blank('outlineLabel'),
    select: ['id', 'title'],
    populate: { course: { select: ['documentId'] } },
  })) as { id: number; title: string; course?: { documentId: string } | null }[];
  const titles = new Map<string, string>();
  const titleOf = async (documentId: string | undefined) => {
    if (!documentId) return '';
    if (!titles.has(documentId)) titles.set(documentId, await courseTitle(strapi, documentId));
    return titles.get(documentId)!;
  };
  for (const module of modules) await setSilently(strapi, MODULE_UID, module.id, { outlineLabel: moduleOutlineLabel(await titleOf(module.course?.documentId), module.title) });

  const enrollments = (await strapi.db.query(ENROLLMENT_UID as any).findMany({
    where: blank('label'),
    select: ['id'],
    populate: { user: { select: ['email', 'username'] }, course: { select: ['documentId'] } },
  })) as { id: number; user?: { email?: string; username?: string } | null; course?: { documentId: string } | null }[];
  for (const enrollment of enrollments) {
    await setSilently(strapi, ENROLLMENT_UID, enrollment.id, { label: enrollmentLabel(whoIs(enrollment.user), await titleOf(enrollment.course?.documentId)) });
  }

  const progress = (await strapi.db.query(LESSON_PROGRESS_UID as any).findMany({
    where: blank('label'),
    select: ['id'],
    populate: { user: { select: ['email', 'username'] }, lesson: { select: ['documentId'] } },
  })) as { id: number; user?: { email?: string; username?: string } | null; lesson?: { documentId: string } | null }[];
  for (const row of progress) {
    const titles = await lessonTitles(strapi, row.lesson?.documentId);
    await setSilently(strapi, LESSON_PROGRESS_UID, row.id, { label: progressLabel(whoIs(row.user), titles.lesson, titles.course) });
  }
  const filled = modules.length + enrollments.length + progress.length;
  if (filled > 0) strapi.log.info(`[catalog] labels filled in: ${modules.length} module(s), ${enrollments.length} enrollment(s), ${progress.length} lesson progress record(s)`);
}
