import { z } from 'zod';
import { validate } from '../../../utils/validate';
import { sendError } from '../../../utils/http-error';

/** Only the token: a missing one is answered 401 (like a bad one), anything else in the query 400. */
const querySchema = z.object({ token: z.string().max(4096, 'is too long to be a preview token').optional() }).strict();

export default {
  /** GET /api/previews/course?token= */
  async course(ctx: any) {
    // A draft is for the one editor holding the token: no browser, proxy or CDN keeps it (nor a refusal).
    ctx.set('Cache-Control', 'no-store');
    const { token } = validate(querySchema, ctx.query);
    const result = await strapi.service('api::preview.preview').draftCourse(token);
    if (!result.ok) return sendError(ctx, 401, 'UnauthorizedError', result.message, { reason: result.reason });
    ctx.body = result.preview;
  },
};
