import type { APIRoute } from 'astro';
import { z } from 'zod';
import { ApiError, sandboxPay } from '../../../lib/api';
import { json, readJson } from '../../../lib/http';

const body = z.strictObject({
  razorpay_order_id: z.string().regex(/^order_[A-Za-z0-9]{6,40}$/),
  outcome: z.enum(['success', 'failure']),
});

/**
 * POST /api/checkout/sandbox {razorpay_order_id, outcome} — the sandbox dialog's buttons. Strapi
 * plays Razorpay (development only; it refuses in production) and answers what Checkout would:
 * the signed payment, or the failure.
 */
export const POST: APIRoute = async ({ request, locals }) => {
  if (!locals.token) return json(401, { error: 'Your session has ended. Sign in again to buy this course.' });
  const input = body.safeParse(await readJson(request));
  if (!input.success) return json(400, { error: 'Invalid sandbox payment.' });
  try {
    const result = await sandboxPay(locals.token, input.data.razorpay_order_id, input.data.outcome);
    if ('error' in result) return json(402, { failure: result.error.description ?? 'The payment was declined.' });
    return json(200, result);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return json(error.unavailable ? 503 : error.status, { error: error.message });
  }
};
