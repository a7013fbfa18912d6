import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 as lowercase hex: the only signature Razorpay uses. */
export const hmacHex = (secret: string, data: string | Buffer) => createHmac('sha256', secret).update(data).digest('hex');

export const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Constant-time comparison of an expected hex digest with one from outside. Anything that isn't
 * hex of the same length is simply unequal (timingSafeEqual needs equal-length buffers).
 */
export function hexEquals(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length || !/^[0-9a-fA-F]+$/.test(given)) return false;
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(given.toLowerCase(), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Checkout's `razorpay_signature`: HMAC of "<order_id>|<payment_id>" with the key secret. */
export const paymentSignature = (keySecret: string, orderId: string, paymentId: string) =>
  hmacHex(keySecret, `${orderId}|${paymentId}`);

export const isValidPaymentSignature = (keySecret: string, orderId: string, paymentId: string, signature: unknown) =>
  hexEquals(paymentSignature(keySecret, orderId, paymentId), signature);

/** `X-Razorpay-Signature`: HMAC of the raw request body with the webhook secret (not the key secret). */
export const isValidWebhookSignature = (webhookSecret: string, rawBody: string | Buffer, signature: unknown) =>
  hexEquals(hmacHex(webhookSecret, rawBody), signature);
