import type { Core } from '@strapi/strapi';
import { registerCoursePriceRule } from './course-price';
import { registerSlugRules } from './slugs';
import { registerPositionRule } from './positions';
import { registerLabelRules } from './labels';
import { registerLessonDurationRule } from './lesson-duration';
import { registerCourseCascade } from './course-cascade';

export { backfillCatalogLabels } from './labels';

/**
 * The catalog's rules, as document-service middlewares: they hold for every write — the content
 * manager, the course outline, the seed, the live plugin — not just one screen. Registered in
 * `register()`, before anything (the seed included) writes.
 */
export function registerCatalogRules(strapi: Core.Strapi) {
  registerCoursePriceRule(strapi);
  registerSlugRules(strapi);
  registerPositionRule(strapi);
  registerLabelRules(strapi);
  registerLessonDurationRule(strapi);
  registerCourseCascade(strapi);
}
