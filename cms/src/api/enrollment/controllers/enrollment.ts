import { factories } from '@strapi/strapi';
import { z } from 'zod';
import { validate, standardReadParams } from '../../../utils/validate';
import { ENROLLMENT_STATES } from '../services/enrollment';

const UID = 'api::enrollment.enrollment';

const documentId = z.string().regex(/^[a-z0-9]{10,40}$/, 'must be an enrollment documentId');
/** Strapi's standard parameters, plus `state` as a shortcut for filters[state][$eq]. */
const listQuery = z.strictObject({ ...standardReadParams, state: z.enum(ENROLLMENT_STATES).optional() });
const { pagination: _pagination, ...oneReadParams } = standardReadParams;
const oneQuery = z.strictObject(oneReadParams);

/**
 * A student's own enrollments, with Strapi's query parameters (populate, fields, sort, pagination,
 * filters): the service always adds "mine", and the query is validated and sanitized for the
 * caller's role first, so no parameter reaches other students' rows, users' fields or locked lessons.
 */
export default factories.createCoreController(UID, ({ strapi }) => ({
  async find(ctx) {
    const { state } = validate(listQuery, ctx.query);
    await this.validateQuery!(ctx);
    const { state: _state, ...query } = (await this.sanitizeQuery!(ctx)) as Record<string, unknown>;
    const { results, pagination } = await strapi.service(UID).findForUser(ctx.state.user.id, query, { state });
    return this.transformResponse!(await this.sanitizeOutput!(results, ctx), { pagination });
  },

  async findOne(ctx) {
    const id = validate(documentId, ctx.params.id);
    validate(oneQuery, ctx.query);
    await this.validateQuery!(ctx);
    const enrollment = await strapi.service(UID).findOneForUser(ctx.state.user.id, id, await this.sanitizeQuery!(ctx));
    // Someone else's enrollment is answered exactly like a missing one.
    if (!enrollment) return ctx.notFound('Enrollment not found');
    return this.transformResponse!(await this.sanitizeOutput!(enrollment, ctx));
  },
}));
