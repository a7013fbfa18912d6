import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { validate, type Ctx } from '../../utils/http';
import {
  courseIdParam,
  createLessonBody,
  lessonIdParam,
  listCoursesQuery,
  moduleBody,
  moduleIdParam,
  orderBody,
  updateLessonBody,
} from '../contracts';
import type { OutlineActor } from '../rights';
import { authoringService } from '../services/registry';
import { guarded } from './guard';

const emptyQuery = z.object({}).strict();
const emptyBody = z.object({}).strict();

/**
 * The course outline's admin routes (/live/outline/…, admin JWT): validate, one service call,
 * the outline back. What the caller may do is the services' check (their content-manager permissions).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const actor = (ctx: Ctx): OutlineActor => ({ userId: ctx.state.user!.id, ability: ctx.state.userAbility as OutlineActor['ability'] });
  const outlines = () => authoringService(strapi, 'courseOutline');
  const editing = () => authoringService(strapi, 'outlineEditing');
  const publishing = () => authoringService(strapi, 'outlinePublishing');

  /** Admin answers are per user and change with every edit. */
  const answer = (ctx: Ctx, data: unknown, { status = 200, meta = {} }: { status?: number; meta?: Record<string, unknown> } = {}) => {
    (ctx as any).set('Cache-Control', 'private, no-store');
    ctx.status = status;
    ctx.body = { data, meta };
  };

  return {
    courses: guarded(strapi, 'list outline courses', async (ctx) => {
      const { search } = validate(listCoursesQuery, ctx.query);
      answer(ctx, await outlines().list(actor(ctx), search));
    }),

    course: guarded(strapi, 'read outline', async (ctx) => {
      validate(emptyQuery, ctx.query);
      answer(ctx, await outlines().get(actor(ctx), validate(courseIdParam, ctx.params.courseId)));
    }),

    addModule: guarded(strapi, 'add module', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const body = validate(moduleBody, ctx.request.body ?? {});
      answer(ctx, await editing().addModule(actor(ctx), validate(courseIdParam, ctx.params.courseId), body), { status: 201 });
    }),

    renameModule: guarded(strapi, 'rename module', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const body = validate(moduleBody, ctx.request.body ?? {});
      answer(ctx, await editing().renameModule(actor(ctx), validate(moduleIdParam, ctx.params.moduleId), body));
    }),

    removeModule: guarded(strapi, 'delete module', async (ctx) => {
      validate(emptyQuery, ctx.query);
      answer(ctx, await editing().removeModule(actor(ctx), validate(moduleIdParam, ctx.params.moduleId)));
    }),

    addLesson: guarded(strapi, 'add lesson', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const body = validate(createLessonBody, ctx.request.body ?? {});
      answer(ctx, await editing().addLesson(actor(ctx), validate(moduleIdParam, ctx.params.moduleId), body), { status: 201 });
    }),

    updateLesson: guarded(strapi, 'update lesson', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const body = validate(updateLessonBody, ctx.request.body ?? {});
      answer(ctx, await editing().updateLesson(actor(ctx), validate(lessonIdParam, ctx.params.lessonId), body));
    }),

    removeLesson: guarded(strapi, 'delete lesson', async (ctx) => {
      validate(emptyQuery, ctx.query);
      answer(ctx, await editing().removeLesson(actor(ctx), validate(lessonIdParam, ctx.params.lessonId)));
    }),

    reorder: guarded(strapi, 'reorder outline', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const body = validate(orderBody, ctx.request.body ?? {});
      answer(ctx, await editing().reorder(actor(ctx), validate(courseIdParam, ctx.params.courseId), body));
    }),

    publish: guarded(strapi, 'publish course whole', async (ctx) => {
      validate(emptyQuery, ctx.query);
      validate(emptyBody, ctx.request.body ?? {});
      const { outline, published } = await publishing().publish(actor(ctx), validate(courseIdParam, ctx.params.courseId));
      answer(ctx, outline, { meta: { published } });
    }),

    unpublish: guarded(strapi, 'unpublish course whole', async (ctx) => {
      validate(emptyQuery, ctx.query);
      validate(emptyBody, ctx.request.body ?? {});
      const { outline, unpublished } = await publishing().unpublish(actor(ctx), validate(courseIdParam, ctx.params.courseId));
      answer(ctx, outline, { meta: { unpublished } });
    }),
  };
};
