import { loadEnv } from '@skillyug/config';

/** The URLs the site needs, from the shared config (validated and memoized by loadEnv). */
export function siteEnv() {
  const env = loadEnv('site');
  return {
    /** Where this server reaches Strapi. */
    apiUrl: env.API_URL,
    /** Strapi as browsers see it: media links point here. */
    publicUrl: env.PUBLIC_URL,
    /** This site as browsers see it: canonical and Open Graph URLs. */
    siteUrl: env.SITE_URL,
  };
}
