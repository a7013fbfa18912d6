import type { APIRoute } from 'astro';
import { readForm } from '../../lib/forms';
import { clearPreviewCookie } from '../../lib/preview';
import { safeNext } from '../../lib/session';

/**
 * POST /preview/exit (the banner's Exit preview): drops the preview cookie, then shows the
 * published page. Inside the admin's preview pane (`Sec-Fetch-Dest: iframe`) the published page
 * refuses to be framed, so the pane shows /preview/exited, which links to it instead.
 */
export const POST: APIRoute = async ({ request, cookies, redirect }) => {
  const form = await readForm(request);
  const next = safeNext(form.next, '/courses');
  clearPreviewCookie(cookies);
  const framed = request.headers.get('sec-fetch-dest') === 'iframe';
  return redirect(framed ? `/preview/exited?next=${encodeURIComponent(next)}` : next, 303);
};

/** Leaving the preview changes state, so it is never a GET (a prefetch can't end it). */
export const GET: APIRoute = () => new Response('Use the Exit preview button.', { status: 405, headers: { Allow: 'POST' } });
