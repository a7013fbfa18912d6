import { factories } from '@strapi/strapi';
import { z } from 'zod';
import { validate } from '../../../utils/validate';

const UID = 'api::lesson-progress.lesson-progress';
const documentId = z.string().regex(/^[a-z0-9]{10,40}$/, 'must be a documentId');

const listQuery = z.strictObject({ course: documentId.optional() });

const upsertBody = z
  .strictObject({
    positionSeconds: z.number().int('must be whole seconds').min(0).max(24 * 60 * 60).optional(),
    completed: z.boolean().optional(),
  })
  .refine((body) => body.positionSeconds !== undefined || body.completed !== undefined, {
    message: 'send positionSeconds, completed, or both',
  });

export default factories.createCoreController(UID, ({ strapi }) => ({
  async find(ctx) {
    const { course } = validate(listQuery, ctx.query);
    const rows = await strapi.service(UID).listForUser(ctx.state.user.id, course);
    return this.transformResponse(await this.sanitizeOutput(rows, ctx));
  },

  async upsert(ctx) {
    const lessonId = validate(documentId, ctx.params.lessonId);
    const body = validate(upsertBody, ctx.request.body ?? {});
    const progress = await strapi.service(UID).record(ctx.state.user.id, lessonId, body);
    return this.transformResponse(await this.sanitizeOutput(progress, ctx));
  },
}));
