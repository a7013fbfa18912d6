import type { APIRoute } from 'astro';
import { siteEnv } from '../lib/env';

/** GET /robots.txt — crawl the catalog; per-student and transactional pages stay out. */
export const GET: APIRoute = () => {
  const { siteUrl } = siteEnv();
  const body = [
    'User-agent: *',
    'Allow: /',
    'Disallow: /dashboard',
    'Disallow: /learn/',
    'Disallow: /checkout/',
    'Disallow: /api/',
    'Disallow: /preview',
    'Disallow: /login',
    'Disallow: /register',
    'Disallow: /verify',
    'Disallow: /forgot-password',
    'Disallow: /reset-password',
    '',
    `Sitemap: ${new URL('/sitemap.xml', siteUrl).href}`,
    '',
  ].join('\n');
  return new Response(body, { headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=3600' } });
};
