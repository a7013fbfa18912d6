import { randomBytes } from 'node:crypto';
import { hmacHex, paymentSignature } from '../signatures';
import { ProviderError, type PaymentProvider, type PaymentSecrets, type ProviderOrder, type ProviderPayment, type ProviderRefund } from './types';

export const SANDBOX_KEY_ID = 'rzp_test_sandbox';

/**
 * The sandbox's secrets, derived from DATA_ENCRYPTION_KEY so they survive restarts and agree
 * across processes, without being another thing to configure. Never leave the server.
 */
export function sandboxSecrets(dataEncryptionKey: string): PaymentSecrets {
  return {
    keySecret: hmacHex(dataEncryptionKey, 'skillyug sandbox checkout: key secret'),
    webhookSecret: hmacHex(dataEncryptionKey, 'skillyug sandbox checkout: webhook secret'),
  };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Razorpay-shaped ids: a prefix and 14 base62 characters. */
export function providerId(prefix: 'order' | 'pay' | 'rfnd') {
  const bytes = randomBytes(14);
  return `${prefix}_${Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}

const now = () => Math.floor(Date.now() / 1000);
const notFound = () => new ProviderError('The id provided does not exist', 400, 'BAD_REQUEST_ERROR');

export type SandboxProvider = PaymentProvider & {
  /** What Checkout would do: a captured (or failed) payment for the order, and the signed triple. */
  pay(
    orderId: string,
    outcome: 'success' | 'failure'
  ): { payment: ProviderPayment; checkout?: { razorpay_order_id: string; razorpay_payment_id: string; razorpay_signature: string } };
};

/**
 * An in-process stand-in for Razorpay for `npm run dev` without keys: orders, payments and
 * refunds live in this process's memory (a restart between paying and verifying loses the
 * payment; just pay again). Refused in production by the factory.
 */
export function sandboxProvider(secrets: PaymentSecrets): SandboxProvider {
  const orders = new Map<string, ProviderOrder>();
  const payments = new Map<string, ProviderPayment>();
  const refunds = new Map<string, { body: string; refund: ProviderRefund }>();

  return {
    mode: 'sandbox',
    keyId: SANDBOX_KEY_ID,

    async createOrder({ amount, currency, receipt, notes }) {
      const order = { id: providerId('order'), entity: 'order', amount, amount_paid: 0, amount_due: amount, currency, receipt, status: 'created', attempts: 0, notes, created_at: now() };
      orders.set(order.id, order);
      return order;
    },

    async fetchPayment(paymentId) {
      const payment = payments.get(paymentId);
      if (!payment) throw notFound();
      return payment;
    },

    async fetchOrderPayments(orderId) {
      if (!orders.has(orderId)) throw notFound();
      return [...payments.values()].filter((p) => p.order_id === orderId);
    },

    async refund(paymentId, input, idempotencyKey) {
      const body = JSON.stringify(input);
      const previous = refunds.get(idempotencyKey);
      if (previous) {
        if (previous.body !== body) throw new ProviderError('Different request with the same idempotency key has already been processed.', 400, 'BAD_REQUEST_ERROR');
        return previous.refund;
      }
      const payment = payments.get(paymentId);
      if (!payment) throw notFound();
      if (payment.status !== 'captured') throw new ProviderError('The payment has been fully refunded already or was never captured', 400, 'BAD_REQUEST_ERROR');
      const refund = { id: providerId('rfnd'), entity: 'refund', amount: input.amount, currency: payment.currency, payment_id: paymentId, notes: input.notes ?? {}, status: 'processed' as const, created_at: now() };
      payments.set(paymentId, { ...payment, status: 'refunded', amount_refunded: input.amount, refund_status: 'full' });
      refunds.set(idempotencyKey, { body, refund });
      return refund;
    },

    pay(orderId, outcome) {
      const order = orders.get(orderId);
      if (!order) throw notFound();
      const payment: ProviderPayment = {
        id: providerId('pay'),
        entity: 'payment',
        order_id: orderId,
        amount: order.amount,
        currency: order.currency,
        status: outcome === 'success' ? 'captured' : 'failed',
        method: 'sandbox',
        captured: outcome === 'success',
        amount_refunded: 0,
        error_code: outcome === 'success' ? null : 'BAD_REQUEST_ERROR',
        error_description: outcome === 'success' ? null : 'Sandbox: the payment was declined',
        created_at: now(),
      };
      payments.set(payment.id, payment);
      if (outcome !== 'success') return { payment };
      orders.set(orderId, { ...order, status: 'paid' });
      return {
        payment,
        checkout: {
          razorpay_order_id: orderId,
          razorpay_payment_id: payment.id,
          razorpay_signature: paymentSignature(secrets.keySecret, orderId, payment.id),
        },
      };
    },
  };
}
