import type { APIRoute } from 'astro';

/**
 * Liveness under `astro dev`: the built server (server.mjs → server/health.mjs) answers /healthz,
 * /api/health and /api/ready itself before Astro runs. Doesn't call Strapi, so an API outage
 * doesn't restart the site.
 */
export const GET: APIRoute = () => Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
