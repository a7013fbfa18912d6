import type { Core } from '@strapi/strapi';
import { badRequest, notFound } from '../../utils/http';
import type { ItemState, Outline, OutlineCounts } from '../contracts';
import { requireRight, type OutlineActor } from '../rights';
import { COURSE_UID, LESSON_UID, MODULE_UID, readOutline } from '../store';
import { authoringService } from './registry';

type Versions = { entries?: unknown[] };
type Publishing = { publish(params: { documentId: string }): Promise<Versions>; unpublish(params: { documentId: string }): Promise<Versions> };
type Item = { kind: 'course' | 'module' | 'lesson'; uid: string; documentId: string; title: string; state: ItemState };

/** Strapi's ValidationError (a required field, a rule of cms/src/catalog) as thrown by the document service. */
type StrapiValidationError = Error & { details?: { errors?: { path?: (string | number)[]; message?: string }[] } };
const isValidationError = (error: unknown): error is StrapiValidationError => error instanceof Error && error.name === 'ValidationError';

/** The outline's course, its modules in order, and all its lessons in order. */
function itemsOf(outline: Outline): { course: Item; modules: Item[]; lessons: Item[] } {
  return {
    course: { kind: 'course', uid: COURSE_UID, ...outline.course },
    modules: outline.modules.map((m) => ({ kind: 'module', uid: MODULE_UID, documentId: m.documentId, title: m.title, state: m.state })),
    lessons: outline.modules.flatMap((m) => m.lessons.map((l) => ({ kind: 'lesson' as const, uid: LESSON_UID, documentId: l.documentId, title: l.title, state: l.state }))),
  };
}

/**
 * Publishing a course whole: its draft, every module's and every lesson's at once, in one
 * transaction (all or nothing); and unpublishing all of it. Items already published without
 * changes are left as they are. Publishing single items in the content manager still works.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = (uid: string) => strapi.documents(uid as any) as unknown as Publishing;

  async function load(courseDocumentId: string) {
    const outline = await readOutline(strapi, courseDocumentId, { edit: true, publish: true });
    if (!outline) throw notFound('There is no such course', { course: courseDocumentId });
    return itemsOf(outline);
  }

  /** Publishes one item's draft; a validation failure becomes a 400 naming the item. */
  async function publishItem(item: Item) {
    try {
      await documents(item.uid).publish({ documentId: item.documentId });
    } catch (error) {
      if (!isValidationError(error)) throw error;
      const errors = error.details?.errors ?? [];
      const reasons = errors.length > 0 ? errors.map((e) => [e.path?.join('.'), e.message].filter(Boolean).join(': ')).join('; ') : error.message;
      throw badRequest(
        `The ${item.kind} "${item.title || '(untitled)'}" can't be published: ${reasons}`,
        { [item.kind]: item.documentId },
        { item: { kind: item.kind, documentId: item.documentId, title: item.title }, errors }
      );
    }
  }

  /** Unpublishes one item; true when it had a published version. */
  async function unpublishItem(item: Item) {
    const result = await documents(item.uid).unpublish({ documentId: item.documentId });
    return (result?.entries?.length ?? 0) > 0;
  }

  return {
    /**
     * Publishes the course, then its modules, then its lessons (so each published relation finds
     * its published target). Returns the fresh outline and how many modules and lessons went live.
     */
    async publish(actor: OutlineActor, courseDocumentId: string): Promise<{ outline: Outline; published: OutlineCounts }> {
      requireRight(actor, 'publish');
      const published: OutlineCounts = { modules: 0, lessons: 0 };
      await strapi.db.transaction(async () => {
        const { course, modules, lessons } = await load(courseDocumentId);
        if (course.state !== 'published') await publishItem(course);
        for (const module of modules.filter((m) => m.state !== 'published')) {
          await publishItem(module);
          published.modules++;
        }
        for (const lesson of lessons.filter((l) => l.state !== 'published')) {
          await publishItem(lesson);
          published.lessons++;
        }
      });
      strapi.log.info(`[authoring] course ${courseDocumentId} published whole by admin ${actor.userId}: ${published.modules} module(s), ${published.lessons} lesson(s)`);
      return { outline: await authoringService(strapi, 'courseOutline').get(actor, courseDocumentId), published };
    },

    /**
     * Unpublishes the lessons, the modules, then the course (the course's own unpublish then finds
     * nothing left to cascade to: cms/src/catalog/course-cascade.ts). Drafts stay.
     */
    async unpublish(actor: OutlineActor, courseDocumentId: string): Promise<{ outline: Outline; unpublished: OutlineCounts }> {
      requireRight(actor, 'publish');
      const unpublished: OutlineCounts = { modules: 0, lessons: 0 };
      await strapi.db.transaction(async () => {
        const { course, modules, lessons } = await load(courseDocumentId);
        for (const lesson of lessons) if (await unpublishItem(lesson)) unpublished.lessons++;
        for (const module of modules) if (await unpublishItem(module)) unpublished.modules++;
        await unpublishItem(course);
      });
      strapi.log.info(`[authoring] course ${courseDocumentId} unpublished whole by admin ${actor.userId}: ${unpublished.modules} module(s), ${unpublished.lessons} lesson(s)`);
      return { outline: await authoringService(strapi, 'courseOutline').get(actor, courseDocumentId), unpublished };
    },
  };
};
