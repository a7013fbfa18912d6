import { loadEnv } from '@skillyug/config';

export default () => {
  const env = loadEnv('cms');
  return {
    host: env.HOST,
    port: env.PORT,
    url: env.PUBLIC_URL,
    // Trust exactly as many X-Forwarded-For hops as there are proxies (the site counts as one for
    // the sign-in calls it forwards): koa then takes the address the outermost trusted one added.
    // (Strapi 5 reads `proxy.koa`; a bare `proxy: true` is ignored.)
    proxy: { koa: env.TRUSTED_PROXY_HOPS > 0, maxIpsCount: env.TRUSTED_PROXY_HOPS },
    app: { keys: (env.APP_KEYS ?? '').split(',').filter(Boolean) },
    webhooks: { populateRelations: false },
    cron: { enabled: true },
    logger: { updates: { enabled: false }, startup: { enabled: env.NODE_ENV !== 'test' } },
  };
};
