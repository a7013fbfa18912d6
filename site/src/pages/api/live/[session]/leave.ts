import type { APIRoute } from 'astro';
import { ApiError, leaveLiveSession } from '../../../../lib/api';
import { json } from '../../../../lib/http';
import { documentIdPattern } from '../../../../lib/live';

/**
 * POST /api/live/:session/leave — sent with navigator.sendBeacon when the student leaves the
 * page or the player stops, so their watch time is recorded. (The middleware refuses cross-site
 * POSTs.) Answers Strapi's `{ leftAt, watchDuration }`.
 */
export const POST: APIRoute = async ({ params, locals }) => {
  if (!locals.token) return json(401, { error: 'Your session has ended.' });
  const id = params.session ?? '';
  if (!documentIdPattern.test(id)) return json(404, { error: 'No such live class.' });
  try {
    return json(200, await leaveLiveSession(locals.token, id));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return json(error.unavailable ? 503 : error.status, { error: error.message });
  }
};
