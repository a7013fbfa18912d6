import { z } from 'zod';
import { documentId } from '../utils/schemas';

/* ── What clients send ─────────────────────────────────────────────────────────────────────── */

export const courseDocumentId = documentId('a course documentId');
export const orderDocumentId = documentId('an order id');
export const razorpayOrderId = z.string().regex(/^order_[A-Za-z0-9]{6,40}$/, 'must be a Razorpay order id (order_…)');
export const razorpayPaymentId = z.string().regex(/^pay_[A-Za-z0-9]{6,40}$/, 'must be a Razorpay payment id (pay_…)');
export const signatureHex = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be a 64-character hex HMAC-SHA256 signature');

export const createOrderBody = z.strictObject({ courseId: courseDocumentId });

/** Exactly what Razorpay Checkout hands the page's `handler`. */
export const verifyBody = z.strictObject({
  razorpay_order_id: razorpayOrderId,
  razorpay_payment_id: razorpayPaymentId,
  razorpay_signature: signatureHex,
});

export const sandboxPayBody = z.strictObject({
  razorpay_order_id: razorpayOrderId,
  outcome: z.enum(['success', 'failure']).default('success'),
});

const page = z.coerce.number().int().min(1).max(10_000).default(1);
const pageSize = z.coerce.number().int().min(1).max(100).default(25);

export const listMineQuery = z.strictObject({ page, pageSize });
export const emptyQuery = z.strictObject({});

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2025-01-31');
export const adminListQuery = z.strictObject({
  status: z.enum(['created', 'paid', 'failed', 'refunded']).optional(),
  course: courseDocumentId.optional(),
  from: day.optional(),
  to: day.optional(),
  page,
  pageSize: z.coerce.number().int().min(1).max(100).default(10),
});

/* ── What Razorpay sends back (parsed defensively; unknown fields pass through) ─────────────── */

export const providerOrder = z.looseObject({
  id: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  receipt: z.string().nullish(),
  status: z.string(),
});

export const providerPayment = z.looseObject({
  id: z.string(),
  order_id: z.string().nullish(),
  amount: z.number().int(),
  currency: z.string(),
  status: z.enum(['created', 'authorized', 'captured', 'refunded', 'failed']),
  method: z.string().nullish(),
  email: z.string().nullish(),
  amount_refunded: z.number().int().nullish(),
  refund_status: z.string().nullish(),
  error_code: z.string().nullish(),
  error_description: z.string().nullish(),
  created_at: z.number().nullish(),
});

export const providerRefund = z.looseObject({
  id: z.string(),
  payment_id: z.string(),
  amount: z.number().int(),
  currency: z.string().nullish(),
  status: z.enum(['pending', 'processed', 'failed']),
});

export const providerCollection = z.looseObject({ items: z.array(z.unknown()) });

export type ProviderOrder = z.infer<typeof providerOrder>;
export type ProviderPayment = z.infer<typeof providerPayment>;
export type ProviderRefund = z.infer<typeof providerRefund>;

/* ── Webhooks ──────────────────────────────────────────────────────────────────────────────── */

export const webhookEnvelope = z.looseObject({
  entity: z.literal('event'),
  event: z.string().max(60),
  payload: z.looseObject({}),
  created_at: z.number().optional(),
});

export const paymentEventPayload = z.looseObject({
  payment: z.looseObject({ entity: providerPayment }),
});

export const refundEventPayload = z.looseObject({
  refund: z.looseObject({ entity: providerRefund }),
  payment: z.looseObject({ entity: providerPayment }).optional(),
});
