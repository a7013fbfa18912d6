import { factories } from '@strapi/strapi';
import { z } from 'zod';
import { validate, standardReadParams } from '../../../utils/validate';

const UID = 'api::lesson-progress.lesson-progress';
const documentId = z.string().regex(/^[a-z0-9]{10,40}$/, 'must be a documentId');

/** Strapi's standard parameters, plus `course` (a course's documentId) as a shortcut filter. */
const listQuery = z.strictObject({ ...standardReadParams, course: documentId.optional() });

const upsertBody = z
  .strictObject({
    positionSeconds: z.number().int('must be whole seconds').min(0).max(24 * 60 * 60).optional(),
    completed: z.boolean().optional(),
  })
  .refine((body) => body.positionSeconds !== undefined || body.completed !== undefined, {
    message: 'send positionSeconds, completed, or both',
  });

export default factories.createCoreController(UID, ({ strapi }) => ({
  /** The student's own progress; the query is validated and sanitized for their role, and the service adds "mine". */
  async find(ctx) {
    const { course } = validate(listQuery, ctx.query);
    await this.validateQuery!(ctx);
    const { course: _course, ...query } = (await this.sanitizeQuery!(ctx)) as Record<string, unknown>;
    const { results, pagination } = await strapi.service(UID).findForUser(ctx.state.user.id, query, { course });
    return this.transformResponse!(await this.sanitizeOutput!(results, ctx), pagination ? { pagination } : {});
  },

  async upsert(ctx) {
    const lessonId = validate(documentId, ctx.params.lessonId);
    const body = validate(upsertBody, ctx.request.body ?? {});
    const progress = await strapi.service(UID).record(ctx.state.user.id, lessonId, body);
    return this.transformResponse!(await this.sanitizeOutput!(progress, ctx));
  },
}));
