import type { Core } from '@strapi/strapi';
import { sessionIdParam } from '../contracts';
import { RealtimeError, toHttpError } from '../errors';
import { realtimeService } from '../services/registry';
import { validate, type Ctx } from '../../utils/http';
import { createGuard } from '../../utils/guard';
import { actorOf } from '../../sessions/services/access';
import { requireSessionLean } from '../../sessions/store';

/** Classroom handlers: refusals become Strapi's error envelope plus a `[live]` audit line. */
export const guarded = createGuard('live');

/** The session in the path and the caller as a participant (an enrolled student not banned, or the session's mentor / an admin). */
export async function participantOf(strapi: Core.Strapi, ctx: Ctx) {
  const row = await requireSessionLean(strapi, validate(sessionIdParam, ctx.params.id));
  return { row, who: await realtimeService(strapi, 'realtimeGrants').participant(actorOf(ctx), row) };
}

/** Runs a service call for an HTTP client: realtime refusals keep their code, and a wait is also said in Retry-After. */
export async function asHttp<T>(ctx: Ctx, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof RealtimeError)) throw error;
    if (error.extra.retryAfterSeconds) (ctx as any).set('Retry-After', String(error.extra.retryAfterSeconds));
    throw toHttpError(error);
  }
}
