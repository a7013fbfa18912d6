import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import { STREAM_EVENT_UID } from '../constants';
import type { StreamEvent } from '../providers/types';
import { isUniqueViolation } from '../../utils/db-errors';
import { liveService } from './registry';
import { channelOf, findSession, sessions, transition, type SessionRow } from '../store';

export type StreamEventOutcome = 'duplicate' | 'unknown-channel' | 'stale' | 'live' | 'already-live' | 'ended' | 'not-started' | 'final';

const POLL_BATCH = 25;

/**
 * What the encoder did, applied to the session: the local ingest's publish/unpublish and IVS's
 * EventBridge "Stream State Change" events go through `apply`. Events may come twice, late, or
 * out of order: a provider event id is applied once (unique index), an event older than the
 * last one applied to the session changes nothing, and ENDED/CANCELLED are final. GetStream
 * polling (`reconcile`) catches what EventBridge never delivers.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const events = () => strapi.db.query(STREAM_EVENT_UID as any);
  /** Sessions seen LIVE with no media, and since when (per process; the poller's memory). */
  const offlineSince = new Map<number, number>();

  async function remember(event: StreamEvent): Promise<number | null> {
    if (!event.eventId) return null;
    try {
      const row = await events().create({ data: { eventId: event.eventId, channelId: event.channelId, kind: event.type, occurredAt: event.at } });
      return row.id;
    } catch (error) {
      if (isUniqueViolation(error)) return -1;
      throw error;
    }
  }

  async function decide(row: SessionRow, event: StreamEvent): Promise<StreamEventOutcome> {
    const last = row.lastStreamEventAt ? new Date(row.lastStreamEventAt).getTime() : null;
    if (last !== null && event.at.getTime() < last) return 'stale';
    if (row.status === 'ENDED' || row.status === 'CANCELLED') return 'final';
    const stamp = { lastStreamEventAt: event.at };

    if (event.type === 'started') {
      if (row.status === 'LIVE') {
        await transition(strapi, row, ['LIVE'], stamp);
        return 'already-live';
      }
      const startedAt = new Date(Math.min(event.at.getTime(), Date.now()));
      const live = await transition(strapi, row, ['SCHEDULED'], { ...stamp, status: 'LIVE', startedAt });
      if (!live) return decide((await findSession(strapi, { id: row.id }))!, event);
      strapi.log.info(`[live] session ${row.documentId} is live (encoder connected)`);
      return 'live';
    }

    if (row.status === 'SCHEDULED') {
      // A test stream before the class, or the end of a stream whose start is still on its way.
      await transition(strapi, row, ['SCHEDULED'], stamp);
      return 'not-started';
    }
    if (row.startedAt && event.at.getTime() < new Date(row.startedAt).getTime()) return 'stale';
    await transition(strapi, row, ['LIVE'], stamp);
    await liveService(strapi, 'liveSessions').finish(row, event.at);
    return 'ended';
  }

  return {
    async apply(event: StreamEvent): Promise<StreamEventOutcome> {
      const eventRowId = await remember(event);
      if (eventRowId === -1) return 'duplicate';
      const row = await findSession(strapi, { channelId: event.channelId });
      const outcome = row ? await decide(row, event) : 'unknown-channel';
      if (eventRowId !== null) await events().update({ where: { id: eventRowId }, data: { outcome } });
      if (outcome === 'unknown-channel') strapi.log.warn(`[live] stream event for a channel no session uses (${event.type})`);
      return outcome;
    },

    /**
     * The fallback for lost events: asks the provider about sessions that are live, or due
     * (scheduled within the last few hours), and applies what it says. An encoder must be
     * gone for the reconnect grace, seen by two polls, before a class is ended this way.
     */
    async reconcile(now = new Date()) {
      const graceMs = loadEnv('cms').LIVE_RECONNECT_GRACE_SECONDS * 1000;
      const provider = liveService(strapi, 'liveProvider');
      const due = (await sessions(strapi).findMany({
        where: {
          channelId: { $notNull: true },
          $or: [
            { status: 'LIVE' },
            { status: 'SCHEDULED', scheduledAt: { $between: [new Date(now.getTime() - 6 * 3600_000), new Date(now.getTime() + 3600_000)] } },
          ],
        },
        orderBy: [{ scheduledAt: 'asc' }],
        limit: POLL_BATCH,
      })) as SessionRow[];
      const outcomes: StreamEventOutcome[] = [];
      for (const row of due) {
        const channel = channelOf(row)!;
        let health;
        try {
          health = await provider.call('poll stream', (p) => p.streamHealth(channel));
        } catch (error) {
          strapi.log.warn(`[live] polling session ${row.documentId}: ${(error as Error).message}`);
          continue;
        }
        if (health.live) {
          offlineSince.delete(row.id);
          // Also for a LIVE session whose stream start was never reported: from now on a lost encoder ends it.
          if (row.status === 'SCHEDULED' || !row.lastStreamEventAt) outcomes.push(await this.apply({ channelId: channel.channelId, type: 'started', at: health.startedAt ? new Date(health.startedAt) : now }));
          continue;
        }
        // "Go live" pressed but no media yet: the mentor may still be setting up OBS.
        if (row.status !== 'LIVE' || !row.lastStreamEventAt) continue;
        const since = offlineSince.get(row.id);
        if (since === undefined) offlineSince.set(row.id, now.getTime());
        else if (now.getTime() - since >= graceMs) {
          offlineSince.delete(row.id);
          outcomes.push(await this.apply({ channelId: channel.channelId, type: 'ended', at: new Date(since) }));
        }
      }
      return outcomes;
    },
  };
};
