import type { APIRoute } from 'astro';
import { findCategories, findCourseSlugs } from '../lib/catalog';
import { siteEnv } from '../lib/env';
import { escapeHtml } from '../lib/blocks';

/** GET /sitemap.xml — the home page, the catalog, each category, and every published course. */
export const GET: APIRoute = async () => {
  const base = siteEnv().siteUrl;
  const url = (path: string) => escapeHtml(new URL(path, base).href);
  let courses: { slug: string; updatedAt?: string | null }[];
  let categories: { slug: string }[];
  try {
    [courses, categories] = await Promise.all([findCourseSlugs(), findCategories()]);
  } catch (error) {
    console.error('[site] sitemap:', error);
    return new Response('Sitemap temporarily unavailable', { status: 503, headers: { 'Retry-After': '60' } });
  }
  const entries = [
    `<url><loc>${url('/')}</loc><changefreq>daily</changefreq></url>`,
    `<url><loc>${url('/courses')}</loc><changefreq>daily</changefreq></url>`,
    ...categories.map((c) => `<url><loc>${url(`/courses?category=${encodeURIComponent(c.slug)}`)}</loc><changefreq>weekly</changefreq></url>`),
    ...courses.map(
      (c) =>
        `<url><loc>${url(`/courses/${encodeURIComponent(c.slug)}`)}</loc>${c.updatedAt ? `<lastmod>${escapeHtml(new Date(c.updatedAt).toISOString())}</lastmod>` : ''}<changefreq>weekly</changefreq></url>`
    ),
  ];
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</urlset>\n`;
  return new Response(xml, { headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'public, max-age=300' } });
};
