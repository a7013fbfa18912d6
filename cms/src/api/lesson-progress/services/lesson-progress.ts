import { factories } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { forbidden } from '../../../utils/http-error';
import { isUniqueViolation } from '../../../utils/db-errors';
import { ownedQuery } from '../../../utils/owned-query';

const UID = 'api::lesson-progress.lesson-progress';


const lessonPopulate = { lesson: { fields: ['title', 'slug', 'order', 'duration'] } } as const;

export default factories.createCoreService(UID, ({ strapi }) => ({
  /**
   * A student's progress rows (optionally one course's), with Strapi's query parameters. Without
   * `pagination` it answers every row (up to 1000: a course page needs all of them at once).
   */
  async findForUser(userId: number, query: Record<string, any>, { course }: { course?: string } = {}) {
    const mine: Record<string, unknown> = { user: { id: userId } };
    if (course) mine.lesson = { module: { course: { documentId: course } } };
    const params = ownedQuery(query, mine, lessonPopulate);
    if (query.pagination) return this.find!(params);
    const results = await strapi.documents(UID).findMany({ status: 'published', ...params, limit: 1000 } as any);
    return { results, pagination: undefined };
  },

  /**
   * Saves where a student is in a lesson. One row per user and lesson (a unique key),
   * so repeats and concurrent saves update rather than duplicate. Completion is sticky:
   * a later position update doesn't un-complete a lesson.
   */
  async record(userId: number, lessonDocumentId: string, change: { positionSeconds?: number; completed?: boolean }) {
    const lesson = await strapi.db.query('api::lesson.lesson').findOne({
      where: { documentId: lessonDocumentId, publishedAt: { $notNull: true } },
      select: ['documentId', 'isPreview'],
      populate: { module: { select: ['documentId'], populate: { course: { select: ['documentId'] } } } },
    });
    const courseDocumentId = lesson?.module?.course?.documentId;
    if (!lesson || !courseDocumentId) throw new errors.NotFoundError('Lesson not found');
    const enrolled = await strapi.service('api::enrollment.enrollment').isEnrolled(userId, courseDocumentId);
    if (!enrolled) throw forbidden('Enroll in this course to track your progress');

    const key = `${userId}:${lessonDocumentId}`;
    const data: Record<string, unknown> = {};
    if (change.positionSeconds !== undefined) data.positionSeconds = change.positionSeconds;

    const save = async () => {
      const existing = await strapi.db.query(UID).findOne({ where: { userLessonKey: key } });
      if (change.completed === true && !existing?.completedAt) data.completedAt = new Date().toISOString();
      if (change.completed === false) data.completedAt = null;
      if (existing) {
        return strapi.documents(UID).update({ documentId: existing.documentId, data, populate: lessonPopulate } as any);
      }
      return strapi.documents(UID).create({
        data: { ...data, user: userId, lesson: lessonDocumentId, userLessonKey: key },
        populate: lessonPopulate,
      } as any);
    };
    try {
      return await save();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return save(); // a concurrent first save won the insert; this one becomes an update
    }
  },
}));
