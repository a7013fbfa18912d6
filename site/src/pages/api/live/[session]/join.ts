import type { APIRoute } from 'astro';
import { json } from '../../../../lib/http';
import { joinClassroom, sameOrigin } from '../../../../lib/live';

/**
 * GET /api/live/:session/join — the classroom islands joining (again) with the student's session
 * cookie: Strapi's JoinResponse as it is (its schema drops anything unknown), so the browser gets
 * a fresh playback URL without ever holding the Strapi token. Refusals keep Strapi's status and
 * message: 401 signed out, 403 not enrolled, 404 unknown, 409 ended or cancelled.
 */
export const GET: APIRoute = async ({ params, request, url, locals }) => {
  if (!sameOrigin(request, url.origin)) return json(403, { error: 'Cross-site requests are not allowed.' });
  if (!locals.token) return json(401, { error: 'Your session has ended. Sign in again to join the class.' });
  const outcome = await joinClassroom(locals.token, params.session ?? '');
  if (outcome.ok) return json(200, outcome.data);
  const status = outcome.status === 0 ? 503 : outcome.status;
  return json(status, { error: outcome.message, ...(outcome.reason ? { reason: outcome.reason } : {}) });
};
