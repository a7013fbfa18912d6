import type { APIRoute } from 'astro';
import { ApiError, enrollFree } from '../../../lib/api';
import { findCourse } from '../../../lib/catalog';
import { setFlash } from '../../../lib/flash';

/** POST /courses/:slug/enroll — the "Enroll free" button (a plain form: works without JavaScript). */
export const POST: APIRoute = async ({ params, locals, cookies, redirect }) => {
  const slug = params.slug ?? '';
  const back = `/courses/${encodeURIComponent(slug)}`;
  if (!locals.token) return redirect(`/login?next=${encodeURIComponent(back)}`, 303);

  const course = await findCourse(slug).catch(() => null);
  if (!course) return new Response('Course not found', { status: 404 });
  if (!course.isFree && course.price > 0) return redirect(`/checkout/${encodeURIComponent(slug)}`, 303);

  try {
    await enrollFree(locals.token, course.documentId);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    setFlash(cookies, {
      kind: 'error',
      text: error.unavailable ? 'We couldn’t enroll you just now. Please try again in a minute.' : `We couldn’t enroll you: ${error.message}`,
    });
    return redirect(back, 303);
  }
  setFlash(cookies, { kind: 'success', text: `You’re enrolled in ${course.title}. Enjoy the course!` });
  return redirect(`/learn/${encodeURIComponent(slug)}`, 303);
};
