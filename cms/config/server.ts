import { loadEnv } from '@skillyug/config';

export default () => {
  const env = loadEnv('cms');
  return {
    host: env.HOST,
    port: env.PORT,
    url: env.PUBLIC_URL,
    proxy: env.NODE_ENV === 'production',
    app: { keys: (env.APP_KEYS ?? '').split(',').filter(Boolean) },
    webhooks: { populateRelations: false },
    cron: { enabled: true },
    logger: { updates: { enabled: false }, startup: { enabled: env.NODE_ENV !== 'test' } },
  };
};
