import { createHmac } from 'node:crypto';
import { loadEnv } from '@skillyug/config';

/**
 * Without SITE_REVALIDATE_SECRET, development and test derive the Strapi → site shared secret
 * from DATA_ENCRYPTION_KEY (both processes read the same .env), so cache invalidation works
 * on `npm run dev` without another variable. Production must set it. The cms side
 * (cms/src/site-revalidation.ts) derives the same value with the same label.
 */
export const REVALIDATE_SECRET_LABEL = 'skillyug site revalidation';

/** The settings the site needs, from the shared config (validated and memoized by loadEnv). */
export function siteEnv() {
  const env = loadEnv('site');
  const production = env.NODE_ENV === 'production';
  const derived =
    !production && env.DATA_ENCRYPTION_KEY
      ? createHmac('sha256', env.DATA_ENCRYPTION_KEY).update(REVALIDATE_SECRET_LABEL).digest('hex')
      : undefined;
  return {
    /** Where this server reaches Strapi. */
    apiUrl: env.API_URL,
    /** Strapi as browsers see it: media links point here. */
    publicUrl: env.PUBLIC_URL,
    /** This site as browsers see it: canonical and Open Graph URLs. */
    siteUrl: env.SITE_URL,
    production,
    /** Cookies get `Secure` in production (and the `__Host-` prefix that requires it). */
    secureCookies: production,
    /** Proxies in front of the site that append to X-Forwarded-For (0: the socket's peer is the visitor). */
    trustedProxyHops: env.SITE_TRUSTED_PROXY_HOPS,
    /** Shared with Strapi for POST /api/revalidate; undefined switches invalidation off. */
    revalidateSecret: env.SITE_REVALIDATE_SECRET ?? derived,
  };
}
