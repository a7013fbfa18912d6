import type { Core } from '@strapi/strapi';
import { notFound } from '../../utils/http';
import type { Outline, OutlineCourseSummary } from '../contracts';
import { listCourses, readOutline } from '../store';
import { outlineRights, requireRight, type OutlineActor } from '../rights';

/** Reading outlines: the course list and one course's outline, with what the caller may do with it. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(actor: OutlineActor, search?: string): Promise<OutlineCourseSummary[]> {
    requireRight(actor, 'read');
    return listCourses(strapi, search || undefined);
  },

  /** The course's outline (drafts, in order); 404 when there is no such course. */
  async get(actor: OutlineActor, courseDocumentId: string): Promise<Outline> {
    requireRight(actor, 'read');
    const outline = await readOutline(strapi, courseDocumentId, outlineRights(actor.ability));
    if (!outline) throw notFound('There is no such course', { course: courseDocumentId });
    return outline;
  },
});
