import type { Core } from '@strapi/strapi';
import { chatHistoryQuery, chatPostBody, moderationBody } from '../contracts';
import { RealtimeError, toHttpError } from '../errors';
import { realtimeService } from '../services/registry';
import { validate } from '../../utils/http';
import { asHttp, guarded, participantOf } from './guard';
import { emptyQuery } from '../../sessions/contracts';


/** The chat over HTTP: history with cursors, sending without a socket, moderation and its log. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const chat = () => realtimeService(strapi, 'realtimeChat');



  return {
    history: guarded(strapi, 'chat history', async (ctx) => {
      const query = validate(chatHistoryQuery, ctx.query);
      const { row } = await participantOf(strapi, ctx);
      (ctx as any).set('Cache-Control', 'no-store');
      ctx.body = { data: await chat().history(row, query), meta: {} };
    }),

    send: guarded(strapi, 'chat send', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const body = validate(chatPostBody, ctx.request.body ?? {});
      const { row, who } = await participantOf(strapi, ctx);
      const message = await asHttp(ctx, () => chat().send(who, row, body.text, body.clientId));
      ctx.status = 201;
      ctx.body = { data: message, meta: body.clientId ? { clientId: body.clientId } : {} };
    }),

    moderate: guarded(strapi, 'chat moderation', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const body = validate(moderationBody, ctx.request.body ?? {});
      const { row, who } = await participantOf(strapi, ctx);
      const result = await asHttp(ctx, async () => {
        switch (body.action) {
          case 'delete':
            await chat().deleteMessage(who, row, body.seq);
            return { ok: true };
          case 'mute': {
            const until = await chat().mute(who, row, body.userId, body.minutes);
            return { ok: true, until: until?.toISOString() ?? null };
          }
          case 'ban':
            await chat().ban(who, row, body.userId, body.reason);
            return { ok: true };
          case 'slow-mode':
            await chat().slowMode(who, row, body.seconds);
            return { ok: true, seconds: body.seconds };
        }
      });
      ctx.body = { data: result, meta: {} };
    }),

    moderationLog: guarded(strapi, 'chat moderation log', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const { row, who } = await participantOf(strapi, ctx);
      if (!who.capabilities.includes('moderate')) throw toHttpError(new RealtimeError('forbidden', "Only the class's mentor or an admin can read its moderation log"));
      ctx.body = { data: await chat().moderationLog(row), meta: {} };
    }),
  };
};
