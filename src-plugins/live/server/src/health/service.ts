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
    };
  },
});
