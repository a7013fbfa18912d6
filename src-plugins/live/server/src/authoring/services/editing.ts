import type { Core } from '@strapi/strapi';
import { badRequest, conflict, notFound } from '../../utils/http';
import type { CreateLessonBody, ModuleBody, OrderBody, Outline, UpdateLessonBody } from '../contracts';
import { requireRight, type OutlineActor } from '../rights';
import { findDraftCourse, findDraftLesson, findDraftModule, findUploadedFile, LESSON_UID, MODULE_UID, readOutline } from '../store';
import { authoringService } from './registry';

type Documents = { create(params: unknown): Promise<unknown>; update(params: unknown): Promise<unknown>; delete(params: unknown): Promise<unknown> };

/**
 * Editing a course's outline: modules and lessons added, renamed, removed and put in order — all
 * through the document service, so the catalog's rules apply as they do in the content manager
 * (cms/src/catalog: slugs, the module's outline label, positions at the end, durations from
 * videos) and every change is a draft until the course is published.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = (uid: string) => strapi.documents(uid as any) as unknown as Documents;
  const outline = (actor: OutlineActor, courseDocumentId: string) => authoringService(strapi, 'courseOutline').get(actor, courseDocumentId);

  async function requireModule(moduleDocumentId: string) {
    const module = await findDraftModule(strapi, moduleDocumentId);
    if (!module) throw notFound('There is no such module', { module: moduleDocumentId });
    if (!module.courseDocumentId) throw notFound('This module is not part of any course, so it has no outline: give it a course in the content manager', { module: moduleDocumentId });
    return module as typeof module & { courseDocumentId: string };
  }

  async function requireLesson(lessonDocumentId: string) {
    const lesson = await findDraftLesson(strapi, lessonDocumentId);
    if (!lesson) throw notFound('There is no such lesson', { lesson: lessonDocumentId });
    if (!lesson.courseDocumentId) throw notFound('This lesson is not part of any course, so it has no outline: give it a module in the content manager', { lesson: lessonDocumentId });
    return lesson as typeof lesson & { courseDocumentId: string };
  }

  /** The uploaded file a new lesson plays: it must exist and be a video. */
  async function requireVideo(fileId: number) {
    const file = await findUploadedFile(strapi, fileId);
    if (!file) throw badRequest(`There is no uploaded file ${fileId}: upload the video first`, { file: fileId }, { errors: [{ path: ['videoFileId'], message: 'no such file' }] });
    if (!file.mime?.startsWith('video/')) {
      throw badRequest(`"${file.name}" is not a video (${file.mime ?? 'unknown type'})`, { file: fileId }, { errors: [{ path: ['videoFileId'], message: 'not a video' }] });
    }
    return file;
  }

  return {
    /** Appends a module to the course. */
    async addModule(actor: OutlineActor, courseDocumentId: string, body: ModuleBody): Promise<Outline> {
      requireRight(actor, 'addModule');
      if (!(await findDraftCourse(strapi, courseDocumentId))) throw notFound('There is no such course', { course: courseDocumentId });
      // No `order`: a new module goes to the end of its course (cms/src/catalog/positions.ts).
      await documents(MODULE_UID).create({ data: { title: body.title, course: courseDocumentId } });
      return outline(actor, courseDocumentId);
    },

    async renameModule(actor: OutlineActor, moduleDocumentId: string, body: ModuleBody): Promise<Outline> {
      requireRight(actor, 'renameModule');
      const module = await requireModule(moduleDocumentId);
      await documents(MODULE_UID).update({ documentId: moduleDocumentId, data: { title: body.title } });
      return outline(actor, module.courseDocumentId);
    },

    /** Deletes an empty module (409 while it holds lessons: they are content, moved or deleted one by one). */
    async removeModule(actor: OutlineActor, moduleDocumentId: string): Promise<Outline> {
      requireRight(actor, 'removeModule');
      const module = await requireModule(moduleDocumentId);
      const lessons = await strapi.db.query(LESSON_UID as any).count({ where: { publishedAt: null, module: { documentId: moduleDocumentId } } });
      if (lessons > 0) {
        throw conflict(
          `The module "${module.title}" still has ${lessons} lesson${lessons === 1 ? '' : 's'}: move or delete them first`,
          { module: moduleDocumentId },
          { lessons }
        );
      }
      await documents(MODULE_UID).delete({ documentId: moduleDocumentId });
      return outline(actor, module.courseDocumentId);
    },

    /**
     * Appends a draft lesson to the module. With a video, its duration is read from the file when
     * the server can (the local disk and ffmpeg); otherwise the browser's reading is kept.
     */
    async addLesson(actor: OutlineActor, moduleDocumentId: string, body: CreateLessonBody): Promise<Outline> {
      requireRight(actor, 'addLesson');
      const module = await requireModule(moduleDocumentId);
      let duration = body.duration ?? 0;
      if (body.videoFileId !== undefined) {
        const file = await requireVideo(body.videoFileId);
        duration = (await authoringService(strapi, 'lessonMedia').durationSeconds(file.id)) ?? duration;
      }
      await documents(LESSON_UID).create({
        data: {
          title: body.title,
          type: body.type ?? (body.videoFileId !== undefined ? 'video' : 'article'),
          module: moduleDocumentId,
          duration,
          ...(body.videoFileId !== undefined ? { video: body.videoFileId } : {}),
        },
      });
      return outline(actor, module.courseDocumentId);
    },

    async updateLesson(actor: OutlineActor, lessonDocumentId: string, body: UpdateLessonBody): Promise<Outline> {
      requireRight(actor, 'updateLesson');
      const lesson = await requireLesson(lessonDocumentId);
      await documents(LESSON_UID).update({ documentId: lessonDocumentId, data: body });
      return outline(actor, lesson.courseDocumentId);
    },

    async removeLesson(actor: OutlineActor, lessonDocumentId: string): Promise<Outline> {
      requireRight(actor, 'removeLesson');
      const lesson = await requireLesson(lessonDocumentId);
      await documents(LESSON_UID).delete({ documentId: lessonDocumentId });
      return outline(actor, lesson.courseDocumentId);
    },

    /**
     * Puts the course's modules and lessons in the given order (a lesson may change module). The
     * list must name exactly the course's modules and lessons, each once; only items whose
     * position or module changes are written, so the others keep their published state.
     */
    async reorder(actor: OutlineActor, courseDocumentId: string, body: OrderBody): Promise<Outline> {
      requireRight(actor, 'reorder');
      const current = await readOutline(strapi, courseDocumentId, { edit: true, publish: false });
      if (!current) throw notFound('There is no such course', { course: courseDocumentId });

      const modules = new Map(current.modules.map((m) => [m.documentId, m]));
      const lessons = new Map(current.modules.flatMap((m) => m.lessons.map((l) => [l.documentId, { ...l, moduleDocumentId: m.documentId }] as const)));
      requireExactSet('module', body.modules.map((m) => m.documentId), modules);
      requireExactSet('lesson', body.modules.flatMap((m) => m.lessons), lessons);

      await strapi.db.transaction(async () => {
        for (const [moduleIndex, wanted] of body.modules.entries()) {
          if (modules.get(wanted.documentId)!.order !== moduleIndex) {
            await documents(MODULE_UID).update({ documentId: wanted.documentId, data: { order: moduleIndex } });
          }
          for (const [lessonIndex, lessonId] of wanted.lessons.entries()) {
            const lesson = lessons.get(lessonId)!;
            const moves = lesson.moduleDocumentId !== wanted.documentId;
            if (!moves && lesson.order === lessonIndex) continue;
            await documents(LESSON_UID).update({ documentId: lessonId, data: { order: lessonIndex, ...(moves ? { module: wanted.documentId } : {}) } });
          }
        }
      });
      return outline(actor, courseDocumentId);
    },
  };
};

/** 400 unless `listed` names every key of `known` exactly once (and nothing else), naming what is wrong. */
function requireExactSet(kind: 'module' | 'lesson', listed: string[], known: Map<string, { title: string }>) {
  const seen = new Set<string>();
  const repeated = listed.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  const unknown = listed.filter((id) => !known.has(id));
  const missing = [...known.keys()].filter((id) => !seen.has(id));
  if (repeated.length === 0 && unknown.length === 0 && missing.length === 0) return;
  const problems = [
    missing.length ? `missing ${missing.map((id) => `"${known.get(id)!.title}"`).join(', ')}` : '',
    unknown.length ? `not in this course: ${[...new Set(unknown)].join(', ')}` : '',
    repeated.length ? `listed more than once: ${[...new Set(repeated)].map((id) => `"${known.get(id)?.title ?? id}"`).join(', ')}` : '',
  ].filter(Boolean);
  throw badRequest(
    `The order must list every ${kind} of the course exactly once (${problems.join('; ')}): reload the outline and try again`,
    { kind },
    { missing, unknown, repeated }
  );
}
