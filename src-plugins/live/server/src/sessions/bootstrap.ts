import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import { OWN_SESSIONS_CONDITION, SESSION_ACTIONS } from './constants';
import { liveService } from './services/registry';
import { routeUpgrades } from '../utils/upgrades';
import { PLAY_PATH_PREFIX } from './providers/local/play-requests';

/** Real constraints, (re)created on every start: Strapi's schema sync drops indexes it doesn't know. */
const INDEXES = [
  `CREATE UNIQUE INDEX IF NOT EXISTS live_attendees_session_user_uidx ON live_attendees (session_id, user_id)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS live_stream_events_event_id_uidx ON live_stream_events (event_id)`,
  `CREATE INDEX IF NOT EXISTS live_sessions_channel_idx ON live_sessions (channel_id)`,
  `CREATE INDEX IF NOT EXISTS live_sessions_course_status_idx ON live_sessions (course_document_id, status, scheduled_at)`,
  `CREATE INDEX IF NOT EXISTS live_attendees_session_active_idx ON live_attendees (session_id, active_since)`,
  `CREATE INDEX IF NOT EXISTS live_attendees_user_attended_idx ON live_attendees (user_id, attended_at)`,
];

const ACTIONS = [
  { uid: 'sessions.read', displayName: 'Read live sessions (status, viewers, analytics)' },
  { uid: 'sessions.create', displayName: 'Schedule live sessions' },
  { uid: 'sessions.update', displayName: 'Edit live sessions' },
  { uid: 'sessions.delete', displayName: 'Cancel live sessions' },
  { uid: 'sessions.control', displayName: 'Go live / end live sessions' },
  { uid: 'sessions.stream-key', displayName: 'Read and regenerate stream keys' },
  { uid: 'chat.moderate', displayName: 'Moderate live chat (delete, mute, ban, slow mode)', subCategory: 'live chat' },
].map((action) => ({ section: 'plugins', pluginName: 'live', subCategory: 'live sessions', ...action }));

/** Runs in the plugin's bootstrap (before the app's, which assigns the Mentor role these actions). */
export async function bootstrapSessions(strapi: Core.Strapi) {
  for (const sql of INDEXES) await strapi.db.connection.raw(sql);

  const permissions = strapi.service('admin::permission') as any;
  await permissions.actionProvider.registerMany(ACTIONS);
  await permissions.conditionProvider.register({
    displayName: 'Own live sessions',
    name: OWN_SESSIONS_CONDITION.split('.').pop(),
    plugin: 'live',
    handler: (user: { id: number }) => ({ 'instructor.id': user.id }),
  });
  if (!Object.values(SESSION_ACTIONS).every((action) => permissions.actionProvider.has(action))) {
    throw new Error('[live] session actions were not registered');
  }

  const provider = liveService(strapi, 'liveProvider');
  const live = provider.get();
  live.onStreamEvent(async (event) => {
    try {
      await liveService(strapi, 'streamEvents').apply(event);
    } catch (error) {
      strapi.log.error(`[live] applying a ${event.type} stream event failed: ${(error as Error).message}`);
    }
  });
  await provider.start();
  const restored = await liveService(strapi, 'liveSessions').restoreChannels();
  const state = provider.status() === 'ok' ? 'ready' : 'NOT running (see the error above)';
  strapi.log.info(`[live] provider ${live.name} ${state} (${restored} open session${restored === 1 ? '' : 's'})`);

  const upgrade = (live as any).handlePlayUpgrade;
  if (typeof upgrade === 'function') {
    // WS-FLV players come in on Strapi's port, under the play path; the dispatcher owns the listener.
    routeUpgrades(strapi.server.httpServer, PLAY_PATH_PREFIX, (req, socket, head) => {
      if (!upgrade.call(live, req, socket, head)) socket.destroy();
    });
  }

  // The fallback for lost stream events (IVS), and for encoders that vanished while Strapi restarted (local).
  if (loadEnv('cms').NODE_ENV !== 'test') {
    strapi.cron.add({
      pollLiveStreams: {
        task: async () => {
          await liveService(strapi, 'streamEvents').reconcile();
        },
        options: { rule: '*/20 * * * * *' },
      },
    });
  }
}

export async function destroySessions(strapi: Core.Strapi) {
  await liveService(strapi, 'liveProvider').stop();
}
