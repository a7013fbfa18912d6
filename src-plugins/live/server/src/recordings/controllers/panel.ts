import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { SESSION_ACTIONS } from '../../sessions/constants';
import { sessionIdParam } from '../../sessions/contracts';
import type { AdminActor } from '../../sessions/services/access';
import { liveService } from '../../sessions/services/registry';
import { requireSession } from '../../sessions/store';
import { notFound, validate, type Ctx } from '../../utils/http';
import { publishRecordingBody, recordingIdParam } from '../contracts';
import { findRecording, type RecordingRow } from '../store';
import { recordingsService } from '../services/registry';
import { guarded } from '../../sessions/controllers/guard';

const emptyQuery = z.object({}).strict();
const emptyBody = z.object({}).strict();

/**
 * Admin-panel routes (/live/…, admin JWT) for a class's recording: only the panel calls them. The
 * route's policy checks the action; the session's RBAC condition (own classes for mentors) here.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const actor = (ctx: Ctx): AdminActor => ({ kind: 'admin', user: ctx.state.user as any, ability: ctx.state.userAbility });
  const recordings = () => recordingsService(strapi, 'recordings');
  const viewing = () => recordingsService(strapi, 'recordingViewing');

  /** The recording, once the caller may use `action` on its class. */
  async function load(ctx: Ctx, action: string): Promise<RecordingRow> {
    const row = await findRecording(strapi, { documentId: validate(recordingIdParam, ctx.params.id) });
    if (!row) throw notFound('There is no such recording');
    const session = await requireSession(strapi, row.sessionDocumentId);
    liveService(strapi, 'liveAccess').requireSession(actor(ctx), action as any, session);
    return row;
  }

  return {
    forSession: guarded(strapi, 'panel recording', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const session = await requireSession(strapi, validate(sessionIdParam, ctx.params.id));
      liveService(strapi, 'liveAccess').requireSession(actor(ctx), SESSION_ACTIONS.read, session);
      const row = await recordings().requireForSession(session);
      (ctx as any).set('Cache-Control', 'private, no-store');
      ctx.body = { data: await viewing().forPanel(row), meta: {} };
    }),

    publish: guarded(strapi, 'publish recording', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const body = validate(publishRecordingBody, ctx.request.body ?? {});
      const row = await load(ctx, SESSION_ACTIONS.update);
      const result = await recordingsService(strapi, 'recordingPublishing').publish(row, body, actor(ctx).user.id);
      (ctx as any).status = result.state === 'published' ? 200 : 202;
      ctx.body = { data: result, meta: {} };
    }),

    retry: guarded(strapi, 'retry recording', async (ctx) => {
      validate(emptyQuery, ctx.query);
      validate(emptyBody, ctx.request.body ?? {});
      const row = await load(ctx, SESSION_ACTIONS.update);
      ctx.body = { data: await viewing().forPanel(await recordings().retry(row)), meta: {} };
    }),

    remove: guarded(strapi, 'delete recording', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const row = await load(ctx, SESSION_ACTIONS.delete);
      await recordings().remove(row);
      (ctx as any).status = 204;
    }),
  };
};
