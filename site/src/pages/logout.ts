import type { APIRoute } from 'astro';
import { logout } from '../lib/api';
import { setFlash } from '../lib/flash';
import { clearSession } from '../lib/session';

/** POST /logout (the header's Sign out form): ends this session in Strapi, then drops the cookies. */
export const POST: APIRoute = async ({ locals, cookies, redirect }) => {
  if (locals.token) {
    // Best effort: the cookies go either way, and the access token dies on its own within minutes.
    await logout(locals.token, locals.refreshToken ?? undefined).catch((error) => console.error('[site] logout:', error?.message ?? error));
  }
  clearSession(cookies);
  setFlash(cookies, { kind: 'info', text: 'You’re signed out. See you soon!' });
  return redirect('/', 303);
};

/** Signing out changes state, so it is never a GET (a link or prefetch can't sign anyone out). */
export const GET: APIRoute = () => new Response('Use the Sign out button.', { status: 405, headers: { Allow: 'POST' } });
