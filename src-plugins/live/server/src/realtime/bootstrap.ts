import type { Core } from '@strapi/strapi';
import { realtimeService } from './services/registry';
import { LIVE_SESSIONS_CHANGED, type SessionChange } from '../sessions/store';

/** Real constraints, (re)created on every start: Strapi's schema sync drops indexes it doesn't know. */
const INDEXES = [
  `CREATE UNIQUE INDEX IF NOT EXISTS live_chat_messages_session_seq_uidx ON live_chat_messages (session_id, seq)`,
  `CREATE INDEX IF NOT EXISTS live_chat_messages_session_user_idx ON live_chat_messages (session_id, user_id)`,
  `CREATE INDEX IF NOT EXISTS live_moderation_actions_target_idx ON live_moderation_actions (session_id, target_user_id, action)`,
  // CHAT_PROVIDER=ivs-chat: a message IVS delivered twice (two readers, a reader's overlap on renewal) is stored once.
  `CREATE UNIQUE INDEX IF NOT EXISTS live_chat_messages_session_ivs_uidx ON live_chat_messages (session_id, ivs_message_id)`,
  // A message re-sent after a reconnect (same clientId: the first copy's ack was lost when a
  // process drained or died) is stored once, whichever process each copy reached.
  `CREATE UNIQUE INDEX IF NOT EXISTS live_chat_messages_session_author_client_uidx ON live_chat_messages (session_id, author_kind, user_id, client_id)`,
  // One upvote per student and question, one (final) vote per student and poll.
  `CREATE UNIQUE INDEX IF NOT EXISTS live_question_votes_question_user_uidx ON live_question_votes (question_id, user_id)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS live_poll_votes_poll_user_uidx ON live_poll_votes (poll_id, user_id)`,
  `CREATE INDEX IF NOT EXISTS live_questions_session_state_idx ON live_questions (session_id, state)`,
  `CREATE INDEX IF NOT EXISTS live_polls_state_closes_idx ON live_polls (state, closes_at)`,
  `CREATE INDEX IF NOT EXISTS live_signals_session_at_idx ON live_signals (session_id, at)`,
];

const STATUS_EVENTS = { LIVE: 'class-started', ENDED: 'class-ended', CANCELLED: 'class-ended' } as const;

/** Starts the classroom's socket.io server and tells each class when it starts and ends. */
export async function bootstrapRealtime(strapi: Core.Strapi) {
  for (const sql of INDEXES) await strapi.db.connection.raw(sql);
  await realtimeService(strapi, 'realtimeGateway').start();
  const rooms = realtimeService(strapi, 'realtimeChatRooms');
  rooms.start();

  // Strapi's event hub calls its listeners one after another: this one returns at once and does
  // its work on its own, so the other listeners (the site's cache invalidation) aren't held up.
  strapi.eventHub.on(LIVE_SESSIONS_CHANGED, async (change: SessionChange) => {
    void announce(change);
  });

  async function announce({ action, session }: SessionChange) {
    // CHAT_PROVIDER=ivs-chat: a class's IVS Chat room exists from its scheduling to its end.
    if (session && action === 'create') {
      await rooms.scheduled(session).catch((error: Error) => strapi.log.warn(`[live] IVS Chat room for ${session.documentId} not created (the first join retries): ${error.message}`));
    }
    if (session && (action === 'ENDED' || action === 'CANCELLED')) {
      rooms.closed(session).catch((error: Error) => strapi.log.warn(`[live] IVS Chat room of ${session.documentId} not deleted: ${error.message}`));
    }
    if (!session || !(action in STATUS_EVENTS)) return;
    const status = action as keyof typeof STATUS_EVENTS;
    const gateway = realtimeService(strapi, 'realtimeGateway');
    try {
      await realtimeService(strapi, 'realtimeChat').system(session, STATUS_EVENTS[status]);
      gateway.toSession(session.documentId, 'session:status', { status, startedAt: session.startedAt ? new Date(session.startedAt).toISOString() : null });
      if (status !== 'LIVE') {
        gateway.closeClass(session.documentId, { reason: 'class-over', message: status === 'CANCELLED' ? 'This class was cancelled' : 'This class has ended', reconnect: false });
      }
    } catch (error) {
      strapi.log.error(`[live] announcing ${status} to session ${session.documentId} failed: ${(error as Error).message}`);
    }
  }
}

export async function destroyRealtime(strapi: Core.Strapi) {
  await realtimeService(strapi, 'realtimeGateway').stop();
  await realtimeService(strapi, 'realtimeChatRooms').stop();
}
