import { factories } from '@strapi/strapi';
import { isUniqueViolation } from '../../../utils/db-errors';
import { ownedQuery } from '../../../utils/owned-query';

const UID = 'api::enrollment.enrollment';
type Source = 'purchase' | 'free' | 'admin';

/** Where an enrollment stands (the `state` attribute; `status` is Strapi's draft/published). */
export const ENROLLMENT_STATES = ['active', 'refunded', 'revoked'] as const;
export type EnrollmentState = (typeof ENROLLMENT_STATES)[number];

/** What a student's enrollment list shows of each course when the request names no populate/fields. */
const DEFAULT_POPULATE = {
  course: {
    fields: ['title', 'slug', 'summary', 'level', 'isFree'],
    populate: { cover: { fields: ['url', 'alternativeText', 'width', 'height'] } },
  },
};

type ReadQuery = Record<string, any>;

const ownedBy = (userId: number, query: ReadQuery, extra: Record<string, unknown> = {}) =>
  ownedQuery(query, { user: { id: userId }, ...extra }, DEFAULT_POPULATE);

export const userCourseKey = (userId: number, courseDocumentId: string) => `${userId}:${courseDocumentId}`;


let savepoints = 0;

/**
 * Runs `fn` so that its failure can be caught without losing the caller's transaction: inside a
 * transaction it gets a SAVEPOINT (on PostgreSQL a failed statement — such as the unique
 * violation of a concurrent grant — otherwise aborts the whole transaction); outside one it just runs.
 */
async function recoverable<T>(strapi: any, fn: () => Promise<T>): Promise<T> {
  if (!strapi.db.inTransaction()) return fn();
  return strapi.db.transaction(async ({ trx }: { trx: any }) => {
    const name = `enrollment_grant_${++savepoints}`;
    await trx.raw(`SAVEPOINT ${name}`);
    try {
      const result = await fn();
      await trx.raw(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await trx.raw(`ROLLBACK TO SAVEPOINT ${name}`);
      throw error;
    }
  });
}

export default factories.createCoreService(UID, ({ strapi }) => ({
  /** A student's enrollments, newest first unless the query sorts; Strapi's pagination. */
  async findForUser(userId: number, query: ReadQuery, { state }: { state?: EnrollmentState } = {}) {
    return this.find!({ sort: { enrolledAt: 'desc' }, ...ownedBy(userId, query, state ? { state } : {}) });
  },

  /** One of the student's enrollments, or null (also when it is someone else's). */
  async findOneForUser(userId: number, documentId: string, query: ReadQuery) {
    return strapi.documents(UID).findFirst({ status: 'published', ...ownedBy(userId, query, { documentId }) } as any);
  },

  async findActive(userId: number, courseDocumentId: string) {
    return strapi.db.query(UID).findOne({
      where: { userCourseKey: userCourseKey(userId, courseDocumentId), state: 'active' },
    });
  },

  async isEnrolled(userId: number, courseDocumentId: string) {
    return Boolean(await this.findActive(userId, courseDocumentId));
  },

  /**
   * Gives a user access to a course, exactly once: a repeat (or a concurrent duplicate,
   * caught by the unique index on userCourseKey) returns the existing enrollment; a
   * refunded or revoked one is reactivated with the new source. Safe inside a caller's
   * transaction on both engines (payments grant while holding the order's row lock).
   * Returns { enrollment, created }.
   */
  async grant(userId: number, courseDocumentId: string, source: Source) {
    const key = userCourseKey(userId, courseDocumentId);
    const existing = await strapi.db.query(UID).findOne({ where: { userCourseKey: key } });
    if (existing?.state === 'active') return { enrollment: existing, created: false };
    if (existing) {
      const enrollment = await strapi.documents(UID).update({
        documentId: existing.documentId,
        data: { state: 'active', source, enrolledAt: new Date().toISOString() } as any,
      });
      return { enrollment, created: false };
    }
    try {
      const enrollment = await recoverable(strapi, () =>
        strapi.documents(UID).create({
          data: {
            user: userId,
            course: courseDocumentId,
            source,
            state: 'active',
            enrolledAt: new Date().toISOString(),
            userCourseKey: key,
          } as any,
        })
      );
      return { enrollment, created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return { enrollment: await strapi.db.query(UID).findOne({ where: { userCourseKey: key } }), created: false };
    }
  },

  /** Ends access (refund or revocation); idempotent. */
  async revoke(userId: number, courseDocumentId: string, state: Exclude<EnrollmentState, 'active'>) {
    const existing = await strapi.db.query(UID).findOne({ where: { userCourseKey: userCourseKey(userId, courseDocumentId) } });
    if (!existing || existing.state === state) return existing;
    return strapi.documents(UID).update({ documentId: existing.documentId, data: { state } as any });
  },
}));
