import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { findSession } from '../../sessions/store';
import { badRequest, conflict } from '../../utils/http';
import { slugify } from '../../utils/slug';
import type { PublishRecordingBody, PublishRecordingResponse } from '../contracts';
import { findRecording, LESSON_UID, MODULE_UID, numberOrNull, recordings, type AutoPublish, type RecordingRow } from '../store';


const json = <T>(value: T | string | null | undefined): T | null => (typeof value === 'string' ? (JSON.parse(value) as T) : (value ?? null));

/**
 * "Publish as a lesson": a published video lesson in a module of the class's course that plays
 * the recording (the lesson's `recording` field), with its duration and a "recorded live on …"
 * note. Access follows the lesson (a preview for anyone, else enrolled students). Asked for
 * before the recording is ready, the request is kept and carried out when processing finishes.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  /** One publish per recording at a time in this process; the guarded update settles the rest. */
  const inFlight = new Map<number, Promise<PublishRecordingResponse>>();

  async function moduleOfCourse(row: RecordingRow, moduleId: string) {
    const found = (await strapi.db.query(MODULE_UID).findOne({
      where: { documentId: moduleId, course: { documentId: row.courseDocumentId } },
      select: ['id', 'documentId', 'title'],
    })) as { id: number; documentId: string; title: string } | null;
    if (!found) throw badRequest('That module is not part of this class’s course: pick one of its modules', { recording: row.documentId }, { moduleId: 'is not a module of this course' });
    return found;
  }

  async function existingLesson(row: RecordingRow) {
    if (!row.lessonDocumentId) return null;
    return (await strapi.db.query(LESSON_UID).findOne({ where: { documentId: row.lessonDocumentId }, select: ['documentId', 'slug', 'title'] })) as {
      documentId: string;
      slug: string;
      title: string;
    } | null;
  }

  async function createLesson(row: RecordingRow, request: AutoPublish): Promise<PublishRecordingResponse> {
    const module = await moduleOfCourse(row, request.moduleId);
    const session = await findSession(strapi, { id: row.sessionId });
    const recordedOn = new Date(session?.startedAt ?? row.recordingStartedAt ?? row.createdAt);
    const title = request.title ?? row.title;
    const lastOrder = (await strapi.db.query(LESSON_UID).findMany({
      where: { module: { documentId: module.documentId } },
      select: ['order'],
      orderBy: [{ order: 'desc' }],
      limit: 1,
    })) as { order: number }[];
    const day = recordedOn.toISOString().slice(0, 10);
    const note = `Recorded live on ${recordedOn.toUTCString().replace(/ \d\d:\d\d:\d\d GMT$/, '')} (${day}), with the class’s chat, questions and polls alongside.`;
    const lesson = (await strapi.documents(LESSON_UID as any).create({
      data: {
        title,
        slug: `${slugify(title, 60) || 'live-class'}-${day}-${randomBytes(3).toString('hex')}`,
        type: 'video',
        body: [{ type: 'paragraph', children: [{ type: 'text', text: note }] }],
        duration: Math.round((numberOrNull(row.durationMs) ?? 0) / 1000),
        isPreview: request.isPreview === true,
        order: (lastOrder[0]?.order ?? -1) + 1,
        module: module.documentId,
        recording: row.documentId,
      } as any,
      status: 'published',
    })) as unknown as { documentId: string; slug: string };
    const { count } = await recordings(strapi).updateMany({ where: { id: row.id, lessonDocumentId: { $null: true } }, data: { lessonDocumentId: lesson.documentId, autoPublish: null } });
    if (count !== 1) {
      // Published meanwhile by another request: keep that lesson, drop this one.
      await strapi.documents(LESSON_UID as any).delete({ documentId: lesson.documentId });
      const winner = await existingLesson((await findRecording(strapi, { id: row.id }))!);
      if (!winner) throw conflict('This recording was published at the same time by someone else: reload', { recording: row.documentId });
      return { state: 'published', lessonId: winner.documentId, lessonSlug: winner.slug };
    }
    strapi.log.info(`[live] recording ${row.documentId} published as lesson ${lesson.documentId} in module ${module.documentId} by admin ${request.requestedBy}`);
    return { state: 'published', lessonId: lesson.documentId, lessonSlug: lesson.slug };
  }

  return {
    async publish(row: RecordingRow, body: PublishRecordingBody, requestedBy: number): Promise<PublishRecordingResponse> {
      const running = inFlight.get(row.id);
      if (running) return running;
      const work = (async (): Promise<PublishRecordingResponse> => {
        let fresh = (await findRecording(strapi, { id: row.id })) ?? row;
        const lesson = await existingLesson(fresh);
        if (lesson) throw conflict(`This recording is already published as the lesson "${lesson.title}"`, { recording: row.documentId }, { lessonId: lesson.documentId });
        if (fresh.lessonDocumentId) {
          // Its lesson was deleted in the content manager: the recording can be published again.
          await recordings(strapi).updateMany({ where: { id: row.id, lessonDocumentId: fresh.lessonDocumentId }, data: { lessonDocumentId: null } });
          fresh = (await findRecording(strapi, { id: row.id })) ?? fresh;
        }
        if (fresh.status === 'failed') throw conflict('This recording failed: it can’t be published', { recording: row.documentId });
        await moduleOfCourse(fresh, body.moduleId);
        const request: AutoPublish = { moduleId: body.moduleId, title: body.title, isPreview: body.isPreview, requestedBy };
        if (fresh.status !== 'ready') {
          await recordings(strapi).updateMany({ where: { id: row.id, status: { $in: ['recording', 'processing'] } }, data: { autoPublish: request } });
          const after = await findRecording(strapi, { id: row.id });
          // It became ready meanwhile: publish now rather than wait for a job that has already finished.
          if (after?.status === 'ready') return createLesson(after, request);
          return { state: 'scheduled', moduleId: body.moduleId };
        }
        return createLesson(fresh, request);
      })();
      inFlight.set(row.id, work);
      try {
        return await work;
      } finally {
        inFlight.delete(row.id);
      }
    },

    /** Called when processing finishes: carries out a "publish when ready". */
    async publishScheduled(row: RecordingRow): Promise<PublishRecordingResponse | null> {
      const request = json<AutoPublish>(row.autoPublish);
      if (!request || row.lessonDocumentId) return null;
      return createLesson(row, request);
    },
  };
};
