import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { coursePriceProblem } from '@skillyug/live/utils/money';

const COURSE_UID = 'api::course.course';

/**
 * Refuses a course whose price breaks the rule in `coursePriceProblem` (a free course costs 0; a
 * paid one at least ₹49) on every write through the document service — the admin's content
 * manager, the seed, the plugin and any future API — so a price typed in paise by mistake never
 * goes on sale. A partial update is checked against the stored draft's other half.
 * The error is a ValidationError on `price`: the admin shows it next to the field, the API as a 400.
 */
export function registerCoursePriceRule(strapi: Core.Strapi) {
  strapi.documents.use(async (context, next) => {
    if (context.uid !== COURSE_UID || (context.action !== 'create' && context.action !== 'update')) return next();
    const data = ((context.params as { data?: Record<string, unknown> }).data ?? {}) as Record<string, unknown>;
    if (context.action === 'update' && !('price' in data) && !('isFree' in data)) return next();

    let { price, isFree } = data as { price?: unknown; isFree?: unknown };
    if (price === undefined || isFree === undefined) {
      const documentId = (context.params as { documentId?: string }).documentId;
      const stored = documentId
        ? await strapi.documents(COURSE_UID as any).findOne({ documentId, status: 'draft', fields: ['price', 'isFree'] } as any)
        : null;
      price ??= stored?.price ?? 0;
      isFree ??= stored?.isFree ?? false;
    }
    const problem = coursePriceProblem({ isFree: isFree === true, price: Number(price) });
    if (problem) {
      throw new errors.ValidationError(problem, { errors: [{ path: ['price'], message: problem, name: 'ValidationError', value: price }] });
    }
    return next();
  });
}
