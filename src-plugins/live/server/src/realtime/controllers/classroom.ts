import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { pollDraftBody, SIGNAL_KINDS } from '../contracts';
import { realtimeService } from '../services/registry';
import { validate } from '../../utils/http';
import { asHttp, guarded, participantOf } from './guard';
import { emptyBody, emptyQuery } from '../../sessions/contracts';

const pollIdParam = z.coerce.number().int().positive();
const signalBody = z.object({ kind: z.enum(SIGNAL_KINDS) }).strict();

/** Q&A, polls and signals over HTTP: reading the state, drafting polls, and what the socket does for clients without one. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const questions = () => realtimeService(strapi, 'realtimeQuestions');
  const polls = () => realtimeService(strapi, 'realtimePolls');



  const pollAction = (action: 'launch' | 'close' | 'reveal') =>
    guarded(strapi, `poll ${action}`, async (ctx) => {
      validate(emptyQuery, ctx.query);
      validate(emptyBody, ctx.request.body ?? {});
      const pollId = validate(pollIdParam, ctx.params.pollId);
      const { row, who } = await participantOf(strapi, ctx);
      ctx.body = { data: await asHttp(ctx, () => polls()[action](who, row, pollId)), meta: {} };
    });

  return {
    questions: guarded(strapi, 'questions', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const { row, who } = await participantOf(strapi, ctx);
      (ctx as any).set('Cache-Control', 'no-store');
      ctx.body = { data: { questions: await questions().list(row), myUpvotes: await questions().myUpvotes(row, who) }, meta: {} };
    }),

    polls: guarded(strapi, 'polls', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const { row, who } = await participantOf(strapi, ctx);
      (ctx as any).set('Cache-Control', 'no-store');
      ctx.body = { data: await polls().list(who, row), meta: {} };
    }),

    createPoll: guarded(strapi, 'poll draft', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const draft = validate(pollDraftBody, ctx.request.body ?? {});
      const { row, who } = await participantOf(strapi, ctx);
      ctx.status = 201;
      ctx.body = { data: await asHttp(ctx, () => polls().create(who, row, draft)), meta: {} };
    }),

    updatePoll: guarded(strapi, 'poll edit', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const pollId = validate(pollIdParam, ctx.params.pollId);
      const draft = validate(pollDraftBody, ctx.request.body ?? {});
      const { row, who } = await participantOf(strapi, ctx);
      ctx.body = { data: await asHttp(ctx, () => polls().update(who, row, pollId, draft)), meta: {} };
    }),

    deletePoll: guarded(strapi, 'poll delete', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const pollId = validate(pollIdParam, ctx.params.pollId);
      const { row, who } = await participantOf(strapi, ctx);
      await asHttp(ctx, () => polls().remove(who, row, pollId));
      ctx.body = { data: { ok: true }, meta: {} };
    }),

    launchPoll: pollAction('launch'),
    closePoll: pollAction('close'),
    revealPoll: pollAction('reveal'),

    signal: guarded(strapi, 'signal', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const { kind } = validate(signalBody, ctx.request.body ?? {});
      const { row, who } = await participantOf(strapi, ctx);
      ctx.body = { data: await asHttp(ctx, () => realtimeService(strapi, 'realtimeSignals').send(who, row, kind)), meta: {} };
    }),
  };
};
