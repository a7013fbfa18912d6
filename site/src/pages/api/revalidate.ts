import type { APIRoute } from 'astro';
import { timingSafeEqual, createHash } from 'node:crypto';
import { invalidateCatalog } from '../../lib/catalog';
import { siteEnv } from '../../lib/env';
import { json } from '../../lib/http';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * POST /api/revalidate (Authorization: Bearer <SITE_REVALIDATE_SECRET>) — Strapi calls this when
 * an editor publishes, unpublishes, changes or deletes catalog content
 * (cms/src/site-revalidation.ts); the site drops its cached catalog data and pages at once.
 */
export const POST: APIRoute = async ({ request }) => {
  const secret = siteEnv().revalidateSecret;
  if (!secret) return json(404, { error: 'Revalidation is not configured (set SITE_REVALIDATE_SECRET).' });
  const sent = (request.headers.get('authorization') ?? '').replace(/^Bearer\s+/i, '');
  // Compared as fixed-length digests: constant time, whatever the lengths.
  if (!sent || !timingSafeEqual(digest(sent), digest(secret))) return json(401, { error: 'Invalid revalidation secret.' });
  const body = (await request.json().catch(() => ({}))) as { model?: unknown; event?: unknown };
  invalidateCatalog();
  console.log(`[site] catalog cache invalidated (${typeof body.event === 'string' ? body.event.slice(0, 40) : 'change'} ${typeof body.model === 'string' ? body.model.slice(0, 80) : ''})`);
  return json(200, { ok: true, invalidatedAt: new Date().toISOString() });
};
