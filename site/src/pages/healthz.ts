import type { APIRoute } from 'astro';

/** Liveness only: answers without calling Strapi, so an API outage doesn't restart the site. */
export const GET: APIRoute = () => Response.json({ ok: true }, { headers: { 'Cache-Control': 'no-store' } });
