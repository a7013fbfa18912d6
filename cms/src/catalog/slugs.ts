import type { Core } from '@strapi/strapi';
import { firstFreeSlug, followsTitle, slugify } from '@skillyug/live/utils/slug';
import {
  CATEGORY_UID,
  COURSE_UID,
  courseOfModule,
  INSTRUCTOR_UID,
  LESSON_UID,
  MODULE_UID,
  relationChange,
  storedRow,
  useDocuments,
  writeData,
  type Data,
} from './documents';

/**
 * Slugs editors don't have to think about, on every write through the document service (the
 * content manager, the outline, the seed, the plugin):
 * - an empty slug is made from the title (name);
 * - a slug that follows its title (it is what the title makes, maybe with a -2 suffix) follows
 *   it again when the title changes; one typed by hand is kept (written as a slug: "My Intro" → "my-intro");
 * - slugs are unique — courses, categories and instructors across their type, lessons within
 *   their course — by a -2, -3 … suffix, never by an error.
 * Races between two simultaneous saves of the same title can still meet; the content manager
 * then shows Strapi's own uniqueness message for courses, categories and instructors.
 */
type Rule = { titleField: string; scope: 'type' | 'course'; fallback: string };

const RULES: Record<string, Rule> = {
  [COURSE_UID]: { titleField: 'title', scope: 'type', fallback: 'course' },
  [CATEGORY_UID]: { titleField: 'name', scope: 'type', fallback: 'category' },
  [INSTRUCTOR_UID]: { titleField: 'name', scope: 'type', fallback: 'instructor' },
  [LESSON_UID]: { titleField: 'title', scope: 'course', fallback: 'lesson' },
};

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The slugs already used where `documentId`'s must be unique (its type, or its course for lessons), starting with `base`. */
async function takenSlugs(strapi: Core.Strapi, uid: string, rule: Rule, base: string, documentId: string | undefined, courseDocumentId: string | null) {
  const where: Record<string, unknown> = { slug: { $startsWith: base } };
  if (documentId) where.documentId = { $ne: documentId };
  if (rule.scope === 'course') {
    // A lesson outside any course has nothing to clash with.
    if (!courseDocumentId) return new Set<string>();
    where.module = { course: { documentId: courseDocumentId } };
  }
  const rows = (await strapi.db.query(uid as any).findMany({ where, select: ['slug'] })) as { slug: string | null }[];
  return new Set(rows.map((row) => row.slug).filter((slug): slug is string => Boolean(slug)));
}

/** The course a lesson will belong to after this write: its new module's, or its stored module's. */
async function lessonCourse(strapi: Core.Strapi, data: Data, stored: Record<string, any> | null) {
  const change = await relationChange(strapi, MODULE_UID, data.module);
  return courseOfModule(strapi, change.changes ? change.documentId : (stored?.module?.documentId as string | undefined));
}

export function registerSlugRules(strapi: Core.Strapi) {
  useDocuments(strapi, async (context, next) => {
    const rule = RULES[context.uid];
    if (!rule || !['create', 'update', 'clone'].includes(context.action)) return next();
    const data = writeData(context);
    const { documentId } = context.params;
    const isLesson = rule.scope === 'course';
    const touchesSlug = rule.titleField in data || 'slug' in data || (isLesson && 'module' in data);
    if (context.action === 'update' && !touchesSlug) return next();

    // What the document holds now (an update, or the source of a clone).
    const stored = context.action === 'create' ? null : await storedRow(strapi, context.uid, documentId, [rule.titleField, 'slug'], isLesson ? { module: { select: ['documentId'] } } : undefined);
    const ownId = context.action === 'update' ? documentId : undefined;
    const title = text(data[rule.titleField] ?? stored?.[rule.titleField]);
    const given = 'slug' in data ? text(data.slug).trim() : undefined;

    let wanted: string;
    if (context.action === 'update' && given && given !== stored?.slug) wanted = slugify(given); // typed by hand
    else if (given === '' || (given === undefined && !stored?.slug)) wanted = slugify(title); // empty: made from the title
    else if (context.action === 'update' && title !== text(stored?.[rule.titleField]) && followsTitle(stored?.slug, stored?.[rule.titleField])) wanted = slugify(title); // following the title
    else wanted = slugify(given || text(stored?.slug)); // kept as it is, but still unique
    wanted ||= slugify(title) || rule.fallback;

    const course = isLesson ? await lessonCourse(strapi, data, stored) : null;
    const unique = firstFreeSlug(wanted, await takenSlugs(strapi, context.uid, rule, wanted, ownId, course));
    if (unique !== stored?.slug || given !== undefined || context.action !== 'update') data.slug = unique;
    return next();
  });
}
