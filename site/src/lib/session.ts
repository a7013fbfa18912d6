/**
 * The student's session on the site: Strapi's access token and refresh token, each in its own
 * httpOnly, SameSite=Lax cookie (Secure, with the `__Host-` prefix, in production) set only by
 * the site's server. JavaScript in the page never sees either. The middleware calls
 * `loadSession` on every request: a live access token is checked with Strapi (GET /users/me, so a
 * sign-out or password reset elsewhere takes effect at once); an expired or revoked one is
 * refreshed with the refresh token (rotation), once per token even when several requests race.
 */
import type { AstroCookies, AstroCookieSetOptions } from 'astro';
import { ApiError, me, refreshSession, type User } from './api';
import { siteEnv } from './env';
import { Generation, TtlCache } from './cache';

const names = () => {
  const prefix = siteEnv().secureCookies ? '__Host-' : '';
  return { access: `${prefix}sy_at`, refresh: `${prefix}sy_rt`, flash: `${prefix}sy_flash`, pending: `${prefix}sy_pending` };
};
export const cookieNames = names;

/** Refresh tokens live up to 30 days in Strapi (config/plugins.ts `maxRefreshTokenLifespan`). */
const REFRESH_MAX_AGE_S = 30 * 24 * 60 * 60;
/** Refresh a little before the access token expires, so a request never carries a dead one. */
const EXPIRY_MARGIN_S = 30;

export const cookieOptions = (maxAge: number): AstroCookieSetOptions => ({
  httpOnly: true,
  sameSite: 'lax',
  secure: siteEnv().secureCookies,
  path: '/',
  maxAge,
});

/** The `exp` claim of a JWT (not verified: Strapi verifies; this only decides when to refresh). */
export function tokenExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof json.exp === 'number' ? json.exp : undefined;
  } catch {
    return undefined;
  }
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

export function setSession(cookies: AstroCookies, tokens: { jwt: string; refreshToken: string }) {
  const { access, refresh } = names();
  const accessExpiry = tokenExpiry(tokens.jwt);
  const refreshExpiry = tokenExpiry(tokens.refreshToken);
  cookies.set(access, tokens.jwt, cookieOptions(Math.max(60, (accessExpiry ?? nowSeconds() + 900) - nowSeconds())));
  cookies.set(refresh, tokens.refreshToken, cookieOptions(refreshExpiry ? Math.max(60, refreshExpiry - nowSeconds()) : REFRESH_MAX_AGE_S));
}

export function clearSession(cookies: AstroCookies) {
  const { access, refresh } = names();
  const { maxAge: _ignored, ...options } = cookieOptions(0);
  cookies.delete(access, options);
  cookies.delete(refresh, options);
}

/** Concurrent refreshes of one refresh token share one rotation; the result is kept briefly for stragglers. */
const refreshes = new TtlCache<{ jwt: string; refreshToken: string }>(new Generation(), { ttlMs: 20_000, maxEntries: 5_000 });

export type LoadedSession = { user: User; token: string; refreshToken: string | undefined } | null;

/**
 * The signed-in student for this request, refreshing and re-setting the cookies when needed.
 * A session is only dropped when Strapi says it is over (401); if Strapi is down, the request
 * proceeds signed out but the cookies are kept for the next one.
 */
export async function loadSession(cookies: AstroCookies, clientIp?: string): Promise<LoadedSession> {
  const { access, refresh } = names();
  const accessToken = cookies.get(access)?.value;
  const refreshToken = cookies.get(refresh)?.value;
  if (!accessToken && !refreshToken) return null;

  try {
    if (accessToken && (tokenExpiry(accessToken) ?? 0) - EXPIRY_MARGIN_S > nowSeconds()) {
      const user = await userFor(accessToken);
      if (user) return { user, token: accessToken, refreshToken };
    }
    if (refreshToken) {
      const pair = await refreshes.getOrLoad(refreshToken, () => refreshSession(refreshToken, { clientIp }));
      const user = await userFor(pair.jwt);
      if (user) {
        setSession(cookies, pair);
        return { user, token: pair.jwt, refreshToken: pair.refreshToken };
      }
    }
  } catch (error) {
    if (error instanceof ApiError && error.unavailable) {
      console.error('[site] session check failed, Strapi unavailable:', error.message);
      return null;
    }
    if (!(error instanceof ApiError && (error.status === 401 || error.status === 400 || error.status === 403))) throw error;
  }
  clearSession(cookies);
  return null;
}

/** The user for a token, or null when Strapi refuses it (401). */
async function userFor(token: string): Promise<User | null> {
  try {
    return await me(token);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
    throw error;
  }
}

const NEXT_BASE = new URL('http://site.invalid');

/**
 * The post-sign-in destination (`next=`): only a path on this site survives, anything else
 * becomes `fallback`. The RESULT is checked after the URL parser has normalised it — dot
 * segments, backslashes, tabs and newlines turn `/./..//evil.example` or `/\\evil.example` into
 * `//evil.example`, which a browser follows off-site — so it must resolve to this origin and
 * start with exactly one slash. Every page that reads `next` goes through here.
 */
export function safeNext(value: unknown, fallback = '/dashboard'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || /[\u0000-\u001f\u007f]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, NEXT_BASE);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (url.origin !== NEXT_BASE.origin || !path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return fallback;
  return path;
}
