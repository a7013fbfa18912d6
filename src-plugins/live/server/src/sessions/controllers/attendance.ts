import type { Core } from '@strapi/strapi';
import { emptyBody, emptyQuery, sessionIdParam } from '../contracts';
import { validate, type Ctx } from '../../utils/http';
import { actorOf } from '../services/access';
import { liveService } from '../services/registry';
import { guarded } from './guard';

/** Joining and leaving a class, and who is watching. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const attendance = () => liveService(strapi, 'attendance');
  const id = (ctx: Ctx) => validate(sessionIdParam, ctx.params.id);

  return {
    join: guarded(strapi, 'join session', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const result = await attendance().join(actorOf(ctx), id(ctx), ctx.get('origin') || undefined);
      // The playback URL is this viewer's own short-lived grant: never cached by anyone.
      (ctx as any).set('Cache-Control', 'no-store');
      ctx.body = { data: result, meta: {} };
    }),

    leave: guarded(strapi, 'leave session', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const sessionId = id(ctx);
      validate(emptyBody, ctx.request.body ?? {});
      ctx.body = { data: await attendance().leave(actorOf(ctx), sessionId), meta: {} };
    }),

    attendanceList: guarded(strapi, 'session attendance', async (ctx) => {
      validate(emptyQuery, ctx.query);
      ctx.body = { data: await attendance().attendanceList(actorOf(ctx), id(ctx)), meta: {} };
    }),

    /** A student's attended classes (their dashboard's "Attended live"). */
    attended: guarded(strapi, 'attended classes', async (ctx) => {
      validate(emptyQuery, ctx.query);
      ctx.body = { data: await liveService(strapi, 'liveEngagement').attendedBy(actorOf(ctx)), meta: {} };
    }),

    viewers: guarded(strapi, 'session viewers', async (ctx) => {
      validate(emptyQuery, ctx.query);
      ctx.body = { data: await attendance().viewers(actorOf(ctx), id(ctx)), meta: {} };
    }),
  };
};
