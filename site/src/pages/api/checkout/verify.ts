import type { APIRoute } from 'astro';
import { ApiError, paymentResponseSchema, verifyPayment } from '../../../lib/api';
import { findCourseSlug } from '../../../lib/catalog';
import { setFlash } from '../../../lib/flash';
import { json, readJson } from '../../../lib/http';

/**
 * POST /api/checkout/verify {razorpay_order_id, razorpay_payment_id, razorpay_signature} — what
 * Checkout's handler received. Strapi checks the signature and the payment and enrolls; the
 * student is then sent into the course with a confirmation.
 */
export const POST: APIRoute = async ({ request, locals, cookies }) => {
  if (!locals.token) {
    return json(401, { error: 'Your session ended during checkout. Sign in again: if the payment went through, the course is already yours.' });
  }
  const input = paymentResponseSchema.safeParse(await readJson(request));
  if (!input.success) return json(400, { error: 'Invalid payment confirmation.' });
  try {
    const result = await verifyPayment(locals.token, input.data);
    if (result.pending) return json(202, { pending: true, message: result.message });
    const slug = await findCourseSlug(result.order.course.documentId).catch(() => null);
    setFlash(cookies, { kind: 'success', text: `Payment received — you’re enrolled in ${result.order.course.title ?? 'your course'}. Happy learning!` });
    return json(200, { redirect: slug ? `/learn/${slug}` : '/dashboard' });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.unavailable) return json(503, { error: 'We couldn’t confirm the payment just now. If money was taken, you’ll get access automatically within minutes.' });
    return json(error.status, { error: error.message });
  }
};
