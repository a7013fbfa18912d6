import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import { liveService } from '../sessions/services/registry';
import { recordingsService } from './services/registry';

const INDEXES = [
  `CREATE UNIQUE INDEX IF NOT EXISTS live_recordings_session_uidx ON live_recordings (session_id)`,
  `CREATE INDEX IF NOT EXISTS live_recordings_status_lease_idx ON live_recordings (status, lease_until)`,
];

/**
 * Wires recordings in: the local ingest's recording files, recordings a restart interrupted, the
 * worker, and the daily retention job. Runs after the sessions module (which starts the provider).
 */
export async function bootstrapRecordings(strapi: Core.Strapi) {
  for (const sql of INDEXES) await strapi.db.connection.raw(sql);
  liveService(strapi, 'liveProvider')
    .get()
    .onRecordingEvent(async (event) => {
      try {
        await recordingsService(strapi, 'recordings').applyFileEvent(event);
      } catch (error) {
        strapi.log.error(`[live] recording file event (${event.type}) not applied: ${(error as Error).message}`);
      }
    });
  const recovered = await recordingsService(strapi, 'recordings').recover();
  if (recovered > 0) strapi.log.info(`[live] ${recovered} recording(s) interrupted by a restart handed to processing`);
  recordingsService(strapi, 'recordingProcessor').start();

  if (loadEnv('cms').NODE_ENV !== 'test') {
    strapi.cron.add({
      recordingRetention: {
        task: async () => {
          await recordingsService(strapi, 'recordings').sweepRetention();
        },
        // Daily, at night UTC.
        options: { rule: '17 3 * * *' },
      },
    });
  }
}

export async function destroyRecordings(strapi: Core.Strapi) {
  await recordingsService(strapi, 'recordingProcessor').stop();
}
