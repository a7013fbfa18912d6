import { factories } from '@strapi/strapi';
import { z } from 'zod';
import { validate } from '../../../utils/validate';

const UID = 'api::enrollment.enrollment';

const listQuery = z.strictObject({
  status: z.enum(['active', 'refunded', 'revoked']).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

/** The course fields a student's enrollment list shows. */
const coursePopulate = {
  course: {
    fields: ['title', 'slug', 'summary', 'level', 'isFree'],
    populate: { cover: { fields: ['url', 'alternativeText', 'width', 'height'] } },
  },
} as const;

export default factories.createCoreController(UID, ({ strapi }) => ({
  async find(ctx) {
    const { status, page, pageSize } = validate(listQuery, ctx.query);
    const filters = { user: { id: ctx.state.user.id }, ...(status ? { status } : {}) };
    const [results, total] = await Promise.all([
      strapi.documents(UID).findMany({
        filters,
        populate: coursePopulate as any,
        sort: { enrolledAt: 'desc' },
        start: (page - 1) * pageSize,
        limit: pageSize,
        status: 'published',
      } as any),
      strapi.documents(UID).count({ filters } as any),
    ]);
    const data = await this.sanitizeOutput(results, ctx);
    return this.transformResponse(data, { pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total } });
  },

  async findOne(ctx) {
    validate(z.strictObject({}), ctx.query);
    const enrollment = await strapi.documents(UID).findFirst({
      filters: { documentId: ctx.params.id, user: { id: ctx.state.user.id } },
      populate: coursePopulate as any,
      status: 'published',
    } as any);
    // Someone else's enrollment is answered exactly like a missing one.
    if (!enrollment) return ctx.notFound('Enrollment not found');
    return this.transformResponse(await this.sanitizeOutput(enrollment, ctx));
  },
}));
