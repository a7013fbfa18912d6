import type { Core } from '@strapi/strapi';
import { emptyBody, emptyQuery, sessionIdParam } from '../contracts';
import { validate, type Ctx } from '../../utils/http';
import { liveService } from '../services/registry';
import type { AdminActor } from '../services/access';
import { guarded } from './guard';

/**
 * Admin-panel routes (/live/…, admin JWT): the stream key and the scheduling form's options.
 * The key is answered with no-store and never logged.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const actor = (ctx: Ctx): AdminActor => ({ kind: 'admin', user: ctx.state.user as any, ability: ctx.state.userAbility });
  const sessions = () => liveService(strapi, 'liveSessions');

  return {
    streamKey: guarded(strapi, 'read stream key', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const id = validate(sessionIdParam, ctx.params.id);
      (ctx as any).set('Cache-Control', 'no-store');
      ctx.body = { data: await sessions().streamKey(actor(ctx), id), meta: {} };
    }),

    regenerateStreamKey: guarded(strapi, 'regenerate stream key', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const id = validate(sessionIdParam, ctx.params.id);
      validate(emptyBody, ctx.request.body ?? {});
      (ctx as any).set('Cache-Control', 'no-store');
      ctx.body = { data: await sessions().regenerateStreamKey(actor(ctx), id), meta: {} };
    }),

    sessionOptions: guarded(strapi, 'session options', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const access = liveService(strapi, 'liveAccess');
      const admin = actor(ctx);
      ctx.body = { data: { courses: await access.schedulableCourses(admin), instructors: await access.instructorOptions(admin) }, meta: {} };
    }),
  };
};
