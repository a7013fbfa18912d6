import type { Core, Struct } from '@strapi/strapi';
import { COURSE_UID, LESSON_UID, MODULE_UID, useDocuments } from '../catalog/documents';

/**
 * The public (and student) API never returns a module or lesson whose course isn't published —
 * defence in depth behind the cascade (catalog/course-cascade.ts), which unpublishes them with
 * the course. A module is live when its published version belongs to a published course; a
 * lesson when its published version belongs to a live module. Two places enforce it:
 * - reads of modules and lessons themselves (/api/modules, /api/lessons, any content-API route
 *   that reads them through the document service) get that condition added to their filters, so
 *   lists, counts and pagination stay right and a single one is a 404;
 * - an output sanitizer removes such modules and lessons where another type populates them
 *   (a student's progress → lesson …). Under a course, module or lesson they are consistent with
 *   it already (Strapi links published versions to published versions), so only those reached
 *   from other types are looked up, once per request.
 */
const LIVE_FILTER: Record<string, Record<string, unknown>> = {
  [MODULE_UID]: { course: { publishedAt: { $notNull: true } } },
  [LESSON_UID]: { module: { publishedAt: { $notNull: true }, course: { publishedAt: { $notNull: true } } } },
};
const READS = new Set(['findMany', 'findOne', 'findFirst', 'count']);
const CATALOG_TREE = new Set([COURSE_UID, MODULE_UID, LESSON_UID]);

/** The request being served, when it is a content-API route (not the admin panel, not a script). */
function contentApiRequest(strapi: Core.Strapi): any {
  const ctx = strapi.requestContext.get() as any;
  return ctx?.state?.route?.info?.type === 'content-api' ? ctx : undefined;
}

export function registerCatalogVisibility(strapi: Core.Strapi) {
  useDocuments(strapi, async (context, next) => {
    const live = LIVE_FILTER[context.uid];
    // Published reads only: a draft read (the admin's preview) is about drafts, not what is live.
    if (!live || !READS.has(context.action) || context.params.status !== 'published' || !contentApiRequest(strapi)) return next();
    const { filters } = context.params;
    context.params.filters = filters && typeof filters === 'object' && Object.keys(filters).length > 0 ? { $and: [filters, live] } : live;
    return next();
  });
}

type Entity = Record<string, unknown>;
type Reached = { holder: Entity; key: string; uid: string; item: Entity };

/** Modules and lessons populated from outside the course → module → lesson tree (e.g. progress → lesson), with where they sit. */
function collectReached(strapi: Core.Strapi, node: unknown, schema: Struct.Schema | undefined, found: Reached[]) {
  if (!schema || !node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) collectReached(strapi, item, schema, found);
    return;
  }
  const entity = node as Entity;
  for (const [key, attribute] of Object.entries(schema.attributes)) {
    const value = entity[key];
    if (value === undefined || value === null || typeof value !== 'object') continue;
    let target: string | undefined;
    if (attribute.type === 'relation' && 'target' in attribute) target = attribute.target as string;
    else if (attribute.type === 'component') target = attribute.component as string;
    if (!target) continue;
    if (CATALOG_TREE.has(target) && !CATALOG_TREE.has(schema.uid) && LIVE_FILTER[target]) {
      for (const item of Array.isArray(value) ? value : [value]) if (item && typeof item === 'object') found.push({ holder: entity, key, uid: target, item: item as Entity });
      continue;
    }
    collectReached(strapi, value, strapi.getModel(target as any), found);
  }
}

/** Which of these documents are live (see above), answered from a per-request cache. */
async function liveDocuments(strapi: Core.Strapi, uid: string, documentIds: string[]): Promise<Set<string>> {
  const ctx = strapi.requestContext.get() as any;
  const cache: Map<string, boolean> = ctx?.state ? (ctx.state.catalogVisibility ??= new Map()) : new Map();
  const key = (id: string) => `${uid}:${id}`;
  const unknown = [...new Set(documentIds)].filter((id) => !cache.has(key(id)));
  if (unknown.length > 0) {
    const rows = (await strapi.db.query(uid as any).findMany({
      where: { documentId: { $in: unknown }, publishedAt: { $notNull: true }, ...LIVE_FILTER[uid] },
      select: ['documentId'],
    })) as { documentId: string }[];
    const live = new Set(rows.map((row) => row.documentId));
    for (const id of unknown) cache.set(key(id), live.has(id));
  }
  return new Set(documentIds.filter((id) => cache.get(key(id))));
}

/** The output sanitizer (content-api.output): drops modules and lessons of unpublished courses populated from other types. */
export function catalogVisibilitySanitizer(strapi: Core.Strapi) {
  return (schema: Struct.Schema) => async (data: any) => {
    const reached: Reached[] = [];
    collectReached(strapi, data, schema, reached);
    if (reached.length === 0) return data;
    const live = new Map<string, Set<string>>();
    for (const uid of new Set(reached.map((r) => r.uid))) {
      live.set(uid, await liveDocuments(strapi, uid, reached.filter((r) => r.uid === uid).map((r) => String(r.item.documentId))));
    }
    for (const { holder, key, uid, item } of reached) {
      if (live.get(uid)!.has(String(item.documentId))) continue;
      const value = holder[key];
      holder[key] = Array.isArray(value) ? value.filter((other) => other !== item) : null;
    }
    return data;
  };
}
