import type { Core } from '@strapi/strapi';
import { SIGNAL_ALERT_SHARE, SIGNAL_COOLDOWN_SECONDS, SIGNAL_WINDOW_SECONDS, type SignalKind, type SignalMeter } from '../contracts';
import { SIGNAL_UID } from '../constants';
import { RealtimeError } from '../errors';
import { streamOffsetMs } from '../store';
import type { Participant } from './grants';
import { realtimeService } from './registry';
import type { SessionRow } from '../../sessions/store';
import { signalsSent } from '../../utils/metrics';

const COOLDOWN = { name: 'signal', points: 1, seconds: SIGNAL_COOLDOWN_SECONDS };

/**
 * "I'm lost" / "slow down": each signal is stored with its stream offset (so the recording can
 * show where the class got lost), one per student per SIGNAL_COOLDOWN_SECONDS. Moderators get a
 * meter — distinct students who signalled in the last minute against the students watching —
 * pushed at most once a second while it changes, with an alert from SIGNAL_ALERT_SHARE.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const signals = () => strapi.db.query(SIGNAL_UID as any);
  /** Classes whose meter may still change (a signal in the last window): documentId → row, last pushed meter. */
  const watched = new Map<string, { row: SessionRow; until: number; last: string }>();
  let ticker: NodeJS.Timeout | null = null;

  async function meter(row: SessionRow): Promise<SignalMeter> {
    const since = new Date(Date.now() - SIGNAL_WINDOW_SECONDS * 1000);
    const rows: any[] = await strapi.db
      .connection('live_signals')
      .select('kind')
      .countDistinct({ n: 'user_id' })
      .where({ session_id: row.id })
      .andWhere('at', '>=', since)
      .groupBy('kind');
    const count = (kind: SignalKind) => Number(rows.find((r) => r.kind === kind)?.n ?? 0);
    const [students]: any[] = await strapi.db.connection('live_signals').countDistinct({ n: 'user_id' }).where({ session_id: row.id }).andWhere('at', '>=', since);
    const viewers = await realtimeService(strapi, 'realtimePresence').recentCount(row.documentId);
    const share = viewers > 0 ? Math.min(1, Number(students?.n ?? 0) / viewers) : 0;
    return { lost: count('lost'), slowDown: count('slow-down'), viewers, share, alert: viewers > 0 && share >= SIGNAL_ALERT_SHARE };
  }

  async function tick() {
    const now = Date.now();
    for (const [documentId, entry] of watched) {
      const current = await meter(entry.row);
      const key = JSON.stringify(current);
      if (key !== entry.last) {
        entry.last = key;
        realtimeService(strapi, 'realtimeGateway').toModerators(documentId, 'signals:meter', current);
      }
      if (now > entry.until) watched.delete(documentId);
    }
  }

  return {
    start() {
      ticker ??= setInterval(() => void tick().catch((e: Error) => strapi.log.warn(`[live] signal meter failed: ${e.message}`)), 1_000);
      ticker.unref();
    },
    stop() {
      if (ticker) clearInterval(ticker);
      ticker = null;
    },

    meter,

    async send(who: Participant, row: SessionRow, kind: SignalKind): Promise<{ retryAfterSeconds: number }> {
      if (who.kind !== 'student') throw new RealtimeError('forbidden', '"I\'m lost" is for students');
      if (row.status !== 'LIVE') throw new RealtimeError('not-live', 'The class is not live');
      const wait = await realtimeService(strapi, 'realtimeState').spend(COOLDOWN, `${row.id}:${who.userId}`);
      if (wait) throw new RealtimeError('rate-limited', `You signalled a moment ago. You can again in ${wait} s.`, { retryAfterSeconds: wait });
      const now = new Date();
      await signals().create({ data: { sessionId: row.id, userId: who.userId, kind, at: now, offsetMs: streamOffsetMs(row, now) } });
      signalsSent.inc({ kind });
      // Watch the meter until this signal leaves the window (the share falls again by itself).
      watched.set(row.documentId, { row, until: now.getTime() + (SIGNAL_WINDOW_SECONDS + 2) * 1000, last: watched.get(row.documentId)?.last ?? '' });
      return { retryAfterSeconds: SIGNAL_COOLDOWN_SECONDS };
    },
  };
};
