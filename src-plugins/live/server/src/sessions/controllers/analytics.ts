import type { Core } from '@strapi/strapi';
import { emptyQuery, sessionIdParam } from '../contracts';
import { validate } from '../../utils/http';
import { actorOf } from '../services/access';
import { liveService } from '../services/registry';
import { guarded } from './guard';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  session: guarded(strapi, 'session analytics', async (ctx) => {
    validate(emptyQuery, ctx.query);
    const id = validate(sessionIdParam, ctx.params.id);
    ctx.body = { data: await liveService(strapi, 'liveAnalytics').session(actorOf(ctx), id), meta: {} };
  }),

  dashboard: guarded(strapi, 'analytics dashboard', async (ctx) => {
    validate(emptyQuery, ctx.query);
    ctx.body = { data: await liveService(strapi, 'liveAnalytics').dashboard(actorOf(ctx)), meta: {} };
  }),
});
