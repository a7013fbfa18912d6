import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';

/** What the live module runs on; the providers fill this in as they land. Never includes secrets. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async report() {
    const env = loadEnv('cms');
    await strapi.db.connection.raw('select 1');
    return {
      status: 'ok',
      plugin: 'live',
      database: strapi.db.dialect.client,
      liveProvider: env.LIVE_PROVIDER,
      liveVideo: strapi.plugin('live').service('liveProvider').status(),
      payments: strapi.plugin('live').service('gateway').setup().ready ? strapi.plugin('live').service('gateway').mode() : 'off',
      recordingStorage: await this.storage(),
    };
  },

  /** Where recordings are stored and whether it answers: a folder that isn't writable or a bucket S3 refuses is "down". */
  async storage(): Promise<string> {
    const storage = strapi.plugin('live').service('recordingStorage').get();
    try {
      await storage.check();
      return `ok: ${storage.kind}`;
    } catch (error) {
      // The reason names folders and buckets: for the log, not for a public health check.
      strapi.log.error(`[live] recording storage check failed: ${(error as Error).message}`);
      return `down: ${storage.kind} (see the server log)`;
    }
  },
});
