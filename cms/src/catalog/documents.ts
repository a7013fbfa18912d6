import type { Core } from '@strapi/strapi';

/**
 * What the catalog's document-service middlewares share: the content types, the middleware
 * context as they read it, and how a relation or media value in `data` names its target.
 */
export const COURSE_UID = 'api::course.course';
export const MODULE_UID = 'api::module.module';
export const LESSON_UID = 'api::lesson.lesson';
export const CATEGORY_UID = 'api::category.category';
export const INSTRUCTOR_UID = 'api::instructor.instructor';
export const ENROLLMENT_UID = 'api::enrollment.enrollment';
export const LESSON_PROGRESS_UID = 'api::lesson-progress.lesson-progress';

export type Data = Record<string, unknown>;
export type DocumentContext = { uid: string; action: string; params: { documentId?: string; data?: Data; status?: string; filters?: unknown; [key: string]: unknown } };
export type DocumentMiddleware = (context: DocumentContext, next: () => Promise<unknown>) => Promise<unknown>;

/** Adds a document-service middleware (Strapi types the context loosely; this is the shape the catalog reads). */
export const useDocuments = (strapi: Core.Strapi, middleware: DocumentMiddleware) => strapi.documents.use(middleware as any);

/** A write that sets fields: the data the middleware may complete (created on the params when missing). */
export function writeData(context: DocumentContext): Data {
  context.params.data ??= {};
  return context.params.data;
}

/** The stored draft of a document (draft & publish types) or its one version (the others), as a row. */
export async function storedRow(strapi: Core.Strapi, uid: string, documentId: string | undefined, select: string[], populate?: Record<string, unknown>) {
  if (!documentId) return null;
  const draftAndPublish = Boolean((strapi.getModel(uid as any) as any)?.options?.draftAndPublish);
  return (await strapi.db.query(uid as any).findOne({
    where: { documentId, ...(draftAndPublish ? { publishedAt: null } : {}) },
    select: ['id', 'documentId', ...select],
    ...(populate ? { populate } : {}),
  })) as Record<string, any> | null;
}

type RelationItem = string | number | { id?: unknown; documentId?: unknown } | null | undefined;

/** One item of a relation input → its documentId (numbers are row ids, strings documentIds). */
async function itemDocumentId(strapi: Core.Strapi, targetUid: string, item: RelationItem): Promise<string | null> {
  if (item === null || item === undefined) return null;
  if (typeof item === 'string') return item;
  if (typeof item === 'number') {
    const row = await strapi.db.query(targetUid as any).findOne({ where: { id: item }, select: ['documentId'] });
    return (row?.documentId as string | undefined) ?? null;
  }
  if (typeof item.documentId === 'string') return item.documentId;
  if (typeof item.id === 'number' || (typeof item.id === 'string' && /^\d+$/.test(item.id))) return itemDocumentId(strapi, targetUid, Number(item.id));
  return null;
}

/**
 * What a to-one relation value in `data` does: nothing (absent, or an empty connect/disconnect),
 * or sets the target (a documentId) or clears it (null). Takes every form the document service
 * does: 'docId', 12, { documentId }, { id }, { connect: [...] }, { set: [...] }, { disconnect: [...] }, null.
 */
export async function relationChange(strapi: Core.Strapi, targetUid: string, value: unknown): Promise<{ changes: false } | { changes: true; documentId: string | null }> {
  if (value === undefined) return { changes: false };
  if (value === null) return { changes: true, documentId: null };
  if (Array.isArray(value)) return { changes: true, documentId: await itemDocumentId(strapi, targetUid, value.at(-1)) };
  if (typeof value === 'object') {
    const input = value as { set?: RelationItem[]; connect?: RelationItem[]; disconnect?: RelationItem[] };
    if (Array.isArray(input.set)) return { changes: true, documentId: await itemDocumentId(strapi, targetUid, input.set.at(-1)) };
    if (Array.isArray(input.connect) && input.connect.length > 0) return { changes: true, documentId: await itemDocumentId(strapi, targetUid, input.connect.at(-1)) };
    if (Array.isArray(input.disconnect) && input.disconnect.length > 0) return { changes: true, documentId: null };
    if ('connect' in input || 'disconnect' in input) return { changes: false };
  }
  return { changes: true, documentId: await itemDocumentId(strapi, targetUid, value as RelationItem) };
}

/** The file id a media value in `data` names (12, '12', { id: 12 }, [{ id: 12 }]), null when it clears it, undefined when absent. */
export function mediaId(value: unknown): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (Array.isArray(value)) return value.length ? mediaId(value[0]) : null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  if (typeof value === 'object' && value && 'id' in value) return mediaId((value as { id: unknown }).id);
  return null;
}

/** The course a module's draft belongs to (documentId), or null. */
export async function courseOfModule(strapi: Core.Strapi, moduleDocumentId: string | null | undefined): Promise<string | null> {
  if (!moduleDocumentId) return null;
  const row = await storedRow(strapi, MODULE_UID, moduleDocumentId, [], { course: { select: ['documentId'] } });
  return (row?.course?.documentId as string | undefined) ?? null;
}

/** A course's title as its draft has it ('' when there is no such course). */
export async function courseTitle(strapi: Core.Strapi, courseDocumentId: string | null | undefined): Promise<string> {
  const row = await storedRow(strapi, COURSE_UID, courseDocumentId ?? undefined, ['title']);
  return (row?.title as string | undefined) ?? '';
}
