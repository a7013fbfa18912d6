import type { Core } from '@strapi/strapi';
import { PRESENCE_GRACE_SECONDS, VIEWER_PUSH_INTERVAL_MS, type ViewerDto } from '../contracts';
import { PRESENCE_ENTRY_TTL_MS, PRESENCE_HEARTBEAT_MS } from '../constants';
import type { PresenceEntry } from '../state';
import type { Participant } from './grants';
import { realtimeService } from './registry';
import { liveService } from '../../sessions/services/registry';
import { requireSessionLean, type SessionRow } from '../../sessions/store';
import { createSharedReads } from '../../utils/shared-reads';

type LocalSession = {
  row: SessionRow;
  /** This process's live connections in the class. */
  connections: Map<string, { userId: number; kind: Participant['kind'] }>;
  /** Students counted at the last tick (to see who left). */
  students: Set<number>;
  viewers: number;
  /** When the last local connection went (the entry is dropped a while after). */
  emptySince: number | null;
};

const distinctStudents = (entries: PresenceEntry[]) => new Set(entries.filter((e) => e.kind === 'student').map((e) => e.userId));

/**
 * Who is in a class, counted per connection (a student with two tabs who closes one is still
 * watching) from the shared presence store, so every process sees every process's connections.
 * A dropped connection still counts for PRESENCE_GRACE_SECONDS; a crashed process's connections
 * stop being refreshed and expire. Presence drives attendance: a student's first connection
 * opens it, their last one leaving closes it (watch time), and the room gets the viewer count,
 * at most once a second.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const local = new Map<string, LocalSession>();
  /** Before the first tick of a class, the connections of a burst share one count. */
  const counts = createSharedReads<number>();
  const store = () => realtimeService(strapi, 'realtimeState').presence;
  const attendance = () => liveService(strapi, 'attendance');
  let ticker: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let ticking = false;

  const localOf = (row: SessionRow) => {
    let entry = local.get(row.documentId);
    if (!entry) local.set(row.documentId, (entry = { row, connections: new Map(), students: new Set(), viewers: -1, emptySince: null }));
    entry.row = row;
    return entry;
  };

  async function tickSession(documentId: string, session: LocalSession, now: number) {
    const entries = await store().list(documentId, now);
    const students = distinctStudents(entries);
    const at = new Date(now);
    for (const userId of session.students) {
      if (!students.has(userId)) await attendance().absent(session.row, userId, at);
    }
    session.students = students;
    if (students.size !== session.viewers) {
      session.viewers = students.size;
      // Each process pushes the shared count to its own sockets (the adapter would multiply it).
      realtimeService(strapi, 'realtimeGateway').toSessionLocal(documentId, 'presence:count', { viewers: students.size });
      // The figures lists read from the row, while the class is live (its end writes the final ones);
      // distinct viewers are the attendance rows (one per student).
      if (session.row.status === 'LIVE') await strapi.db.connection.raw(
        `UPDATE live_sessions SET current_viewers = ?, peak_viewers = CASE WHEN peak_viewers < ? THEN ? ELSE peak_viewers END,
           total_viewers = (SELECT COUNT(*) FROM live_attendees WHERE session_id = ?) WHERE id = ? AND status = 'LIVE'`,
        [students.size, students.size, students.size, session.row.id, session.row.id]
      );
    }
    if (session.connections.size === 0) {
      session.emptySince ??= now;
      // Keep ticking through the grace (to close attendance), then let the class go.
      if (students.size === 0 || now - session.emptySince > PRESENCE_ENTRY_TTL_MS + PRESENCE_GRACE_SECONDS * 1000) local.delete(documentId);
    } else session.emptySince = null;
  }

  async function tick() {
    if (ticking) return;
    ticking = true;
    try {
      const now = Date.now();
      for (const [documentId, session] of local) {
        try {
          session.row = await requireSessionLean(strapi, documentId);
          await tickSession(documentId, session, now);
        } catch (error) {
          strapi.log.warn(`[live] presence tick for session ${documentId} failed: ${(error as Error).message}`);
        }
      }
    } finally {
      ticking = false;
    }
  }

  async function beat() {
    const until = Date.now() + PRESENCE_ENTRY_TTL_MS;
    for (const [documentId, session] of local) {
      await store()
        .refresh(documentId, [...session.connections.keys()], until)
        .catch((error: Error) => strapi.log.warn(`[live] presence heartbeat failed: ${error.message}`));
    }
  }

  return {
    start() {
      ticker ??= setInterval(() => void tick(), VIEWER_PUSH_INTERVAL_MS);
      heartbeat ??= setInterval(() => void beat(), PRESENCE_HEARTBEAT_MS);
      ticker.unref();
      heartbeat.unref();
    },

    stop() {
      if (ticker) clearInterval(ticker);
      if (heartbeat) clearInterval(heartbeat);
      ticker = heartbeat = null;
    },

    async connected(row: SessionRow, who: Participant, connId: string) {
      const now = Date.now();
      await store().put(row.documentId, { connId, userId: who.userId, kind: who.kind, name: who.name, since: now, expiresAt: now + PRESENCE_ENTRY_TTL_MS });
      localOf(row).connections.set(connId, { userId: who.userId, kind: who.kind });
      if (who.kind === 'student' && row.status === 'LIVE') await attendance().present(row, who.userId);
    },

    /** A connection went: it still counts for the grace (a reconnect within it is seamless). */
    async disconnected(row: SessionRow, connId: string) {
      local.get(row.documentId)?.connections.delete(connId);
      await store().drop(row.documentId, connId, Date.now() + PRESENCE_GRACE_SECONDS * 1000);
    },

    /** The student said they left (the classroom's leave beacon): their dropped connections stop counting now. */
    async left(documentId: string, userId: number) {
      const now = Date.now();
      for (const entry of await store().list(documentId, now)) {
        if (entry.kind === 'student' && entry.userId === userId && entry.droppedAt) await store().drop(documentId, entry.connId, now);
      }
    },

    /** A banned student: their connections stop counting now and their attendance closes. */
    async forget(row: SessionRow, userId: number) {
      const now = Date.now();
      for (const entry of await store().list(row.documentId, now)) {
        if (entry.kind === 'student' && entry.userId === userId) await store().drop(row.documentId, entry.connId, now);
      }
      local.get(row.documentId)?.students.delete(userId);
      await attendance().absent(row, userId, new Date(now));
    },

    /**
     * The count as of this process's last tick (at most a second old), for `ready`: reading the
     * whole presence list on every connect would make a join storm quadratic.
     */
    async recentCount(documentId: string): Promise<number> {
      const known = local.get(documentId)?.viewers ?? -1;
      return known >= 0 ? known : counts.read(documentId, 0, () => this.count(documentId));
    },

    /** Distinct students connected now (across processes). */
    async count(documentId: string): Promise<number> {
      return distinctStudents(await store().list(documentId, Date.now())).size;
    },

    /** Has the student a connection open right now (not one in its grace after a drop)? */
    async isConnected(documentId: string, userId: number): Promise<boolean> {
      return (await store().list(documentId, Date.now())).some((e) => e.kind === 'student' && e.userId === userId && !e.droppedAt);
    },

    /** Students watching now, with how many connections each. */
    async viewers(documentId: string): Promise<ViewerDto[]> {
      const byUser = new Map<number, ViewerDto>();
      for (const entry of await store().list(documentId, Date.now())) {
        if (entry.kind !== 'student') continue;
        const viewer = byUser.get(entry.userId);
        if (viewer) {
          viewer.connections += 1;
          if (entry.since < Date.parse(viewer.since)) viewer.since = new Date(entry.since).toISOString();
        } else byUser.set(entry.userId, { userId: entry.userId, name: entry.name, connections: 1, since: new Date(entry.since).toISOString() });
      }
      return [...byUser.values()].sort((a, b) => a.since.localeCompare(b.since));
    },
  };
};
