import type { APIRoute } from 'astro';
import { ApiError } from '../../../lib/api';
import { json } from '../../../lib/http';
import { documentIdPattern, sameOrigin } from '../../../lib/live';
import { getRecording } from '../../../lib/recordings';

/**
 * GET /api/recordings/:id — the replay island asking again with the visitor's session cookie:
 * while a recording is being processed (its progress), and when a signed playback URL has lapsed
 * (a fresh one). Strapi's RecordingDto as the site reads it (its schema drops anything unknown),
 * so the browser never holds the Strapi token. Without a session the request goes out anonymous:
 * Strapi answers for a recording published as a preview lesson and refuses the others.
 * Same-origin only (it hands out a signed URL). Refusals keep Strapi's status and message.
 */
export const GET: APIRoute = async ({ params, request, url, locals }) => {
  if (!sameOrigin(request, url.origin)) return json(403, { error: 'Cross-site requests are not allowed.' });
  const id = params.id ?? '';
  if (!documentIdPattern.test(id)) return json(404, { error: 'No such recording.' });
  try {
    return json(200, await getRecording(id, locals.token));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.unavailable) {
      console.error('[site] recording refresh failed:', id, error.status, error.message);
      return json(503, { error: 'The recording is temporarily unavailable. Please try again in a moment.' }, { 'Retry-After': '10' });
    }
    return json(error.status, { error: error.message });
  }
};
