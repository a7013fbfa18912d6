import type { Core } from '@strapi/strapi';
import { ATTENDEE_UID } from '../constants';

type FirstJoin = { sessionId: number; userId: number; at: Date; resolve: (inserted: boolean) => void; reject: (error: unknown) => void };

const MAX_BATCH = 500;

/**
 * Group commit for first joins. When a class starts, hundreds of students join within a second;
 * their attendee rows go in as one multi-row INSERT … ON CONFLICT (session_id, user_id) DO
 * NOTHING per round instead of one INSERT (and Strapi's read-back) each. Every join still waits
 * for its own row to be written before it is answered: nothing is acknowledged that isn't
 * stored. While one round is being written the next collects.
 */
export function createAttendanceWriter(strapi: Core.Strapi) {
  const queue: FirstJoin[] = [];
  let writing = false;

  const model = () => strapi.db.metadata.get(ATTENDEE_UID as any);
  const newDocumentId = (): string => (model().attributes as any).documentId.default();

  async function write(batch: FirstJoin[]) {
    const { tableName } = model();
    const rows = batch.map(({ sessionId, userId, at }) => ({
      document_id: newDocumentId(),
      session_id: sessionId,
      user_id: userId,
      joined_at: at,
      active_since: at,
      watch_duration: 0,
      intervals: JSON.stringify([[at.toISOString(), null]]),
      created_at: at,
      updated_at: at,
    }));
    const inserted: { session_id: number; user_id: number }[] = await strapi.db
      .connection(tableName)
      .insert(rows)
      .onConflict(['session_id', 'user_id'])
      .ignore()
      .returning(['session_id', 'user_id']);
    const written = new Set(inserted.map((row) => `${row.session_id}:${row.user_id}`));
    // The same student twice in one round: the first one wrote the row, the other finds it.
    const claimed = new Set<string>();
    for (const join of batch) {
      const key = `${join.sessionId}:${join.userId}`;
      join.resolve(written.has(key) && !claimed.has(key));
      claimed.add(key);
    }
  }

  async function drain() {
    if (writing) return;
    writing = true;
    try {
      while (queue.length) {
        const batch = queue.splice(0, MAX_BATCH);
        try {
          await write(batch);
        } catch (error) {
          for (const join of batch) join.reject(error);
        }
      }
    } finally {
      writing = false;
    }
  }

  return {
    /** Writes a first attendance; true if this call created the row, false if the student already had one. */
    insert(sessionId: number, userId: number, at: Date): Promise<boolean> {
      return new Promise((resolve, reject) => {
        queue.push({ sessionId, userId, at, resolve, reject });
        if (!writing) setImmediate(drain);
      });
    },
  };
}
