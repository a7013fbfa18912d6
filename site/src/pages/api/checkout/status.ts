import type { APIRoute } from 'astro';
import { z } from 'zod';
import { ApiError, getOrder } from '../../../lib/api';
import { findCourseSlug } from '../../../lib/catalog';
import { setFlash } from '../../../lib/flash';
import { json } from '../../../lib/http';

const orderId = z.string().regex(/^order_[A-Za-z0-9]{6,40}$/);

/**
 * GET /api/checkout/status?order=order_… — while a payment is authorised but not yet captured
 * (verify answered 202), the Checkout island polls this until the order is paid.
 */
export const GET: APIRoute = async ({ url, locals, cookies }) => {
  if (!locals.token) return json(401, { error: 'Sign in again to see this order.' });
  const id = orderId.safeParse(url.searchParams.get('order'));
  if (!id.success) return json(400, { error: 'Invalid order.' });
  try {
    const order = await getOrder(locals.token, id.data);
    if (order.status !== 'paid') return json(200, { status: order.status, failureReason: order.failureReason ?? undefined });
    const slug = await findCourseSlug(order.course.documentId).catch(() => null);
    setFlash(cookies, { kind: 'success', text: `Payment received — you’re enrolled in ${order.course.title ?? 'your course'}. Happy learning!` });
    return json(200, { status: order.status, redirect: slug ? `/learn/${slug}` : '/dashboard' });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return json(error.unavailable ? 503 : error.status, { error: error.message });
  }
};
