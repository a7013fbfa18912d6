import type { Core } from '@strapi/strapi';
import { COURSE_UID, LESSON_UID, MODULE_UID, relationChange, useDocuments, writeData } from './documents';

/**
 * A module or lesson created without a position goes to the end of its course or module. The
 * content manager no longer shows `order` (the outline sets it), so it sends the default 0:
 * 0 counts as "no position" when there are siblings already.
 */
const PARENT: Record<string, { field: string; uid: string }> = {
  [MODULE_UID]: { field: 'course', uid: COURSE_UID },
  [LESSON_UID]: { field: 'module', uid: MODULE_UID },
};

export function registerPositionRule(strapi: Core.Strapi) {
  useDocuments(strapi, async (context, next) => {
    const parent = PARENT[context.uid];
    if (!parent || context.action !== 'create') return next();
    const data = writeData(context);
    if (data.order !== undefined && data.order !== null && Number(data.order) !== 0) return next();
    const target = await relationChange(strapi, parent.uid, data[parent.field]);
    if (!target.changes || !target.documentId) return next();
    const [last] = (await strapi.db.query(context.uid as any).findMany({
      where: { publishedAt: null, [parent.field]: { documentId: target.documentId } },
      select: ['order'],
      orderBy: [{ order: 'desc' }],
      limit: 1,
    })) as { order: number | null }[];
    data.order = last ? (last.order ?? 0) + 1 : 0;
    return next();
  });
}
