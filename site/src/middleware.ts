/**
 * Runs for every on-demand request, after Astro's own origin check (security.checkOrigin):
 *  1. refuses cross-site writes to the site's JSON endpoints too (checkOrigin covers forms);
 *  2. serves public catalog pages to visitors without a session straight from the page cache;
 *  3. works out the visitor's address (lib/client-address.ts), loads the student's session
 *     (refreshing it when the access token has expired) and any flash message into `locals` (the
 *     message's cookie is cleared by the page that shows it);
 *  4. stamps caching and security headers (appending the configured origins to the build's
 *     Content-Security-Policy, lib/csp.ts), and stores cacheable pages;
 *  5. keeps draft previews (/preview…) private: never from or into the page cache, `private,
 *     no-store`, noindex, referrers to this site only, and framable by the Strapi admin only (its preview pane).
 */
import { defineMiddleware } from 'astro:middleware';
import type { MiddlewareHandler } from 'astro';
import { requestIdFrom } from '@skillyug/config';
import { currentSiteRequest, requestContextStorage } from './lib/request-context';
import { catalogGeneration, isAnonymous, lookupPage, storePage } from './lib/catalog';
import { expiredFlashCookie, readFlash } from './lib/flash';
import { loadSession } from './lib/session';
import { clientAddress } from './lib/client-address';
import { siteEnv } from './lib/env';
import { framableByAdmin, withRuntimeSources } from './lib/csp';
import { isPreviewPath } from './lib/preview';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Server-to-server endpoints authenticated by a shared secret, not by a browser session. */
const MACHINE_ENDPOINTS = new Set(['/api/revalidate']);

const SECURITY_HEADERS: [string, string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'strict-origin-when-cross-origin'],
  ['X-Frame-Options', 'DENY'],
];

function crossSite(request: Request, origin: string): boolean {
  const sent = request.headers.get('origin');
  if (sent && sent !== origin) return true;
  return request.headers.get('sec-fetch-site') === 'cross-site';
}

/** server.mjs starts each request's context (its id, echoed and forwarded to Strapi; the log line); other servers (`astro dev`) start it here. */
export const onRequest = defineMiddleware((context, next) => {
  if (currentSiteRequest()) return handle(context, next);
  const siteRequest = { requestId: requestIdFrom(context.request.headers.get('x-request-id')), userId: undefined, route: undefined };
  return requestContextStorage().run(siteRequest, () => handle(context, next));
});

const handle: MiddlewareHandler = async (context, next) => {
  const { request, url, cookies, locals } = context;
  const method = request.method.toUpperCase();
  // For the request log line: the page's route pattern (`/courses/[slug]`), never the URL's values.
  const siteRequest = currentSiteRequest();
  if (siteRequest) siteRequest.route = context.routePattern;

  if (UNSAFE.has(method) && !MACHINE_ENDPOINTS.has(url.pathname) && crossSite(request, url.origin)) {
    return new Response('Cross-site requests are not allowed', { status: 403 });
  }

  const anonymous = isAnonymous(request.headers.get('cookie'));
  const cacheKey = `${url.pathname}${url.search}`;
  const preview = isPreviewPath(url.pathname);
  // (The production server answers these before Astro; this covers any other server. `astro dev`
  // never caches pages, so edits to components show at once.)
  const hit = import.meta.env.DEV || preview ? undefined : lookupPage(method, cacheKey, request.headers.get('cookie'));
  if (hit) {
    const headers = new Headers(hit.headers);
    headers.set('X-Cache', 'HIT');
    return new Response(method === 'HEAD' ? null : hit.body, { status: hit.status, headers });
  }

  // server.mjs passes the socket's peer; `astro dev` gives it as clientAddress (the built
  // adapter's clientAddress is the client's own X-Forwarded-For, never trusted).
  let peer = locals.socketAddress;
  if (!peer && import.meta.env.DEV) {
    try {
      peer = context.clientAddress;
    } catch {
      peer = undefined;
    }
  }
  const clientIp = clientAddress(peer, request.headers.get('x-forwarded-for'), siteEnv().trustedProxyHops);
  const session = anonymous ? null : await loadSession(cookies, clientIp);
  locals.user = session?.user ?? null;
  if (siteRequest && locals.user) siteRequest.userId = String(locals.user.id);
  locals.token = session?.token ?? null;
  locals.refreshToken = session?.refreshToken ?? null;
  locals.flash = anonymous ? null : readFlash(cookies);
  locals.cacheable = false;
  locals.clientIp = clientIp;

  const generation = catalogGeneration.current;
  let response = await next();
  // The admin frames previews: its Content-Security-Policy frame-ancestors says who may, not X-Frame-Options.
  const securityHeaders = preview ? SECURITY_HEADERS.filter(([name]) => name !== 'X-Frame-Options') : SECURITY_HEADERS;
  try {
    for (const [name, value] of securityHeaders) if (!response.headers.has(name)) response.headers.set(name, value);
  } catch {
    // Response.redirect() and fetch() responses have immutable headers: copy once, then stamp.
    response = new Response(response.body, response);
    for (const [name, value] of securityHeaders) if (!response.headers.has(name)) response.headers.set(name, value);
  }
  const policy = response.headers.get('content-security-policy');
  if (policy) response.headers.set('Content-Security-Policy', preview ? framableByAdmin(withRuntimeSources(policy)) : withRuntimeSources(policy));
  const isHtml = (response.headers.get('content-type') ?? '').includes('text/html');
  // A flash message is used up by the page that shows it, not by a redirect on the way there
  // (or a JSON call from an island).
  if (locals.flash && isHtml && (response.status < 300 || response.status >= 400)) {
    response.headers.append('Set-Cookie', expiredFlashCookie());
  }

  if (preview) {
    // A draft, for the one editor holding its token: no shared or browser cache keeps it, no search engine lists it.
    response.headers.set('Cache-Control', 'private, no-store');
    response.headers.set('X-Robots-Tag', 'noindex');
    // Nothing of a preview address leaves the site ('no-referrer' would also blank the Origin of its own form posts, which the origin check then refuses).
    response.headers.set('Referrer-Policy', 'same-origin');
    return response;
  }
  if (locals.cacheable && anonymous && !locals.user && method === 'GET' && response.status === 200 && !import.meta.env.DEV) {
    response.headers.set('Cache-Control', 'public, max-age=0, must-revalidate');
    response.headers.set('X-Cache', 'MISS');
    const body = new Uint8Array(await response.arrayBuffer());
    const headers = [...response.headers].filter(([name]) => !['set-cookie', 'x-cache', 'content-length'].includes(name.toLowerCase()));
    if (!response.headers.has('set-cookie')) storePage(cacheKey, { status: 200, headers, body }, generation);
    return new Response(body, { status: response.status, headers: response.headers });
  }
  if (isHtml && !response.headers.has('Cache-Control')) {
    response.headers.set('Cache-Control', locals.user ? 'private, no-store' : 'no-cache');
  }
  return response;
};
