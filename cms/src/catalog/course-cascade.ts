import type { Core } from '@strapi/strapi';
import { COURSE_UID, LESSON_UID, MODULE_UID, useDocuments } from './documents';

type Versions = { unpublish(params: { documentId: string }): Promise<unknown>; delete(params: { documentId: string }): Promise<unknown> };
type Row = { documentId: string };

/**
 * A course's modules and lessons go where the course goes: unpublishing a course (from the
 * outline, the content manager, anywhere through the document service) unpublishes its modules
 * and lessons; deleting it deletes them. Without this the public API kept serving a hidden
 * course's preview lessons and their videos. Publishing stays per item (or whole, from the outline).
 */
async function courseContents(strapi: Core.Strapi, courseDocumentId: string) {
  // Any row: a module moved away in its draft is still live under this course until published.
  const modules = (await strapi.db.query(MODULE_UID as any).findMany({
    where: { course: { documentId: courseDocumentId } },
    select: ['documentId'],
  })) as Row[];
  const moduleIds = [...new Set(modules.map((m) => m.documentId))];
  const lessons = moduleIds.length
    ? ((await strapi.db.query(LESSON_UID as any).findMany({ where: { module: { documentId: { $in: moduleIds } } }, select: ['documentId'] })) as Row[])
    : [];
  return { modules: moduleIds, lessons: [...new Set(lessons.map((l) => l.documentId))] };
}

export function registerCourseCascade(strapi: Core.Strapi) {
  const documents = (uid: string) => strapi.documents(uid as any) as unknown as Versions;

  useDocuments(strapi, async (context, next) => {
    const { documentId } = context.params;
    if (context.uid !== COURSE_UID || !documentId || (context.action !== 'unpublish' && context.action !== 'delete')) return next();

    return strapi.db.transaction(async () => {
      // Read before: a deleted course's rows take their relation links with them.
      const contents = await courseContents(strapi, documentId);
      const result = await next();
      if (context.action === 'unpublish') {
        // A draft-only item has nothing to unpublish: the call finds no published version and does nothing.
        for (const lesson of contents.lessons) await documents(LESSON_UID).unpublish({ documentId: lesson });
        for (const module of contents.modules) await documents(MODULE_UID).unpublish({ documentId: module });
      } else {
        for (const lesson of contents.lessons) await documents(LESSON_UID).delete({ documentId: lesson });
        for (const module of contents.modules) await documents(MODULE_UID).delete({ documentId: module });
      }
      return result;
    });
  });
}
