import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import { checkEventsSecret, IVS_EVENTS_HEADER, parseIvsStreamEvent } from '../providers/ivs/events';
import { badRequest, HttpError, notFound } from '../../utils/http';
import { liveService } from '../services/registry';
import { guarded } from './guard';
import { parseIvsRecordingEvent, RECORDING_STATE_CHANGE } from '../../recordings/ivs-events';
import { recordingsService } from '../../recordings/services/registry';

/**
 * POST /api/live/events/ivs — Amazon EventBridge "IVS Stream State Change" and "IVS Recording
 * State Change" events (the latter go to the recordings module), delivered by
 * an API destination that sends IVS_EVENTS_SECRET in a header (compared in constant time).
 * Answers 2xx for anything it understood, applied or not, so EventBridge stops retrying.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  ivs: guarded(strapi, 'ivs event', async (ctx) => {
    const env = loadEnv('cms');
    if (env.LIVE_PROVIDER !== 'ivs' || !env.IVS_EVENTS_SECRET) throw notFound('IVS events are not enabled on this server');
    if (!checkEventsSecret(ctx.get(IVS_EVENTS_HEADER) || undefined, env.IVS_EVENTS_SECRET)) {
      throw new HttpError(401, 'UnauthorizedError', `Missing or wrong ${IVS_EVENTS_HEADER} header`);
    }
    const parsed = parseIvsStreamEvent(ctx.request.body);
    if (!parsed.ok) throw badRequest(parsed.message);
    let outcome: string;
    if (parsed.detailType === RECORDING_STATE_CHANGE) {
      const recording = parseIvsRecordingEvent(ctx.request.body);
      if (!recording.ok) throw badRequest(recording.message);
      outcome = await recordingsService(strapi, 'recordings').applyIvsEvent(recording.event);
    } else {
      outcome = parsed.event ? await liveService(strapi, 'streamEvents').apply(parsed.event) : 'ignored';
    }
    ctx.body = { data: { received: true, outcome }, meta: {} };
  }),
});
