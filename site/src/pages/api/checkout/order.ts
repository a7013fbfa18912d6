import type { APIRoute } from 'astro';
import { z } from 'zod';
import { ApiError, createOrder } from '../../../lib/api';
import { findCourseSlug } from '../../../lib/catalog';
import { json, readJson } from '../../../lib/http';

const body = z.strictObject({ courseId: z.string().regex(/^[a-z0-9]{10,40}$/) });

/** POST /api/checkout/order {courseId} → { checkout } — what the Checkout island opens Razorpay (or the sandbox) with. */
export const POST: APIRoute = async ({ request, locals }) => {
  if (!locals.token) return json(401, { error: 'Your session has ended. Sign in again to buy this course.', redirect: '/login' });
  const input = body.safeParse(await readJson(request));
  if (!input.success) return json(400, { error: 'Invalid checkout request.' });
  try {
    const { checkout } = await createOrder(locals.token, input.data.courseId);
    return json(200, { checkout });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 409 && /already own/i.test(error.message)) {
      const slug = await findCourseSlug(input.data.courseId).catch(() => null);
      return json(409, { error: error.message, redirect: slug ? `/learn/${slug}` : '/dashboard' });
    }
    if (error.unavailable) return json(503, { error: 'Payments are unavailable right now. Nothing was charged; please try again in a few minutes.' });
    return json(error.status, { error: error.message });
  }
};
