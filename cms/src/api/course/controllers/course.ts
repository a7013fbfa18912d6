import { factories } from '@strapi/strapi';
import { z } from 'zod';
import { validate } from '../../../utils/validate';
import { sendError } from '../../../utils/http-error';

const UID = 'api::course.course';
const documentId = z.string().regex(/^[a-z0-9]{10,40}$/, 'must be a course documentId');

export default factories.createCoreController(UID, ({ strapi }) => ({
  /** Free courses: the caller enrolls themselves, idempotently. Paid ones go through checkout. */
  async enroll(ctx) {
    const id = validate(documentId, ctx.params.id);
    validate(z.strictObject({}), ctx.request.body ?? {});

    const course = await strapi.documents(UID).findOne({ documentId: id, status: 'published', fields: ['isFree', 'price'] });
    if (!course) return ctx.notFound('Course not found');
    if (!course.isFree && (course.price ?? 0) > 0) {
      return sendError(ctx, 402, 'PaymentRequiredError', 'This is a paid course: buy it to enroll', { price: course.price });
    }

    const { enrollment, created } = await strapi
      .service('api::enrollment.enrollment')
      .grant(ctx.state.user.id, id, 'free');
    const enrollmentSchema = strapi.getModel('api::enrollment.enrollment');
    const data = await strapi.contentAPI.sanitize.output(enrollment, enrollmentSchema, { auth: ctx.state.auth });
    ctx.status = created ? 201 : 200;
    ctx.body = { data, meta: {} };
  },
}));
