import type { Core } from '@strapi/strapi';
import { createSessionBody, emptyBody, emptyQuery, listSessionsQuery, sessionIdParam, updateSessionBody, upcomingQuery } from '../contracts';
import { validate, type Ctx } from '../../utils/http';
import { guarded } from './guard';
import { actorOf } from '../services/access';
import { liveService } from '../services/registry';

/** /api/live/sessions…: thin handlers — validate, one service call, an explicit response shape. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const sessions = () => liveService(strapi, 'liveSessions');
  const id = (ctx: Ctx) => validate(sessionIdParam, ctx.params.id);

  return {
    find: guarded(strapi, 'list sessions', async (ctx) => {
      const query = validate(listSessionsQuery, ctx.query);
      const { results, pagination } = await sessions().list(actorOf(ctx), query);
      ctx.body = { data: results, meta: { pagination } };
    }),

    findOne: guarded(strapi, 'read session', async (ctx) => {
      validate(emptyQuery, ctx.query);
      ctx.body = { data: await sessions().get(actorOf(ctx), id(ctx)), meta: {} };
    }),

    create: guarded(strapi, 'schedule session', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const body = validate(createSessionBody, ctx.request.body ?? {});
      ctx.status = 201;
      ctx.body = { data: await sessions().create(actorOf(ctx), body), meta: {} };
    }),

    update: guarded(strapi, 'edit session', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const sessionId = id(ctx);
      const body = validate(updateSessionBody, ctx.request.body ?? {});
      ctx.body = { data: await sessions().update(actorOf(ctx), sessionId, body), meta: {} };
    }),

    delete: guarded(strapi, 'cancel session', async (ctx) => {
      validate(emptyQuery, ctx.query);
      ctx.body = { data: await sessions().cancel(actorOf(ctx), id(ctx)), meta: {} };
    }),

    start: guarded(strapi, 'start session', async (ctx) => {
      const sessionId = id(ctx);
      validate(emptyBody, ctx.request.body ?? {});
      ctx.body = { data: await sessions().start(actorOf(ctx), sessionId), meta: {} };
    }),

    end: guarded(strapi, 'end session', async (ctx) => {
      const sessionId = id(ctx);
      validate(emptyBody, ctx.request.body ?? {});
      ctx.body = { data: await sessions().end(actorOf(ctx), sessionId), meta: {} };
    }),

    status: guarded(strapi, 'session status', async (ctx) => {
      validate(emptyQuery, ctx.query);
      ctx.body = { data: await sessions().status(actorOf(ctx), id(ctx)), meta: {} };
    }),

    /** Public: upcoming and running classes of one or more courses (title, time, status). */
    upcoming: guarded(strapi, 'upcoming sessions', async (ctx) => {
      const { course, limit } = validate(upcomingQuery, ctx.query);
      ctx.body = { data: await sessions().upcoming(course, limit), meta: {} };
    }),
  };
};
