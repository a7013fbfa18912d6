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
  ): Promise<{ payment: ProviderPayment; checkout?: { razorpay_order_id: string; razorpay_payment_id: string; razorpay_signature: string } }>;
};

/**
 * Where the sandbox keeps its orders, payments and refunds: this process's memory, or Redis when
 * REDIS_URL is set, so several Strapi processes (npm run ops:cluster, two nodes behind a balancer)
 * see one sandbox — pay through one process, verify through the other.
 */
export type SandboxLedger = {
  get<T>(kind: LedgerKind, id: string): Promise<T | null>;
  set(kind: LedgerKind, id: string, value: unknown): Promise<void>;
  /** Remembers a payment under its order (for fetchOrderPayments). */
  addPayment(orderId: string, paymentId: string): Promise<void>;
  paymentIdsOf(orderId: string): Promise<string[]>;
};
type LedgerKind = 'order' | 'payment' | 'refund';

export function memoryLedger(): SandboxLedger {
  const records = new Map<string, unknown>();
  const byOrder = new Map<string, string[]>();
  return {
    async get<T>(kind: LedgerKind, id: string) {
      return (records.get(`${kind}:${id}`) as T | undefined) ?? null;
    },
    async set(kind, id, value) {
      records.set(`${kind}:${id}`, value);
    },
    async addPayment(orderId, paymentId) {
      byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), paymentId]);
    },
    async paymentIdsOf(orderId) {
      return byOrder.get(orderId) ?? [];
    },
  };
}

/** What the Redis ledger needs of an ioredis client. */
type RedisCommands = {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
  rpush(key: string, value: string): Promise<unknown>;
  expire(key: string, seconds: number): Promise<unknown>;
  lrange(key: string, start: number, stop: number): Promise<string[]>;
};
/** A sandbox payment is a development artefact: a week is plenty to verify, refund or reconcile it. */
const LEDGER_TTL_SECONDS = 7 * 24 * 3600;

export function redisLedger(redis: RedisCommands, keyPrefix: string): SandboxLedger {
  const key = (kind: string, id: string) => `${keyPrefix}payments:sandbox:${kind}:${id}`;
  return {
    async get<T>(kind: LedgerKind, id: string) {
      const raw = await redis.get(key(kind, id));
      return raw === null ? null : (JSON.parse(raw) as T);
    },
    async set(kind, id, value) {
      await redis.set(key(kind, id), JSON.stringify(value), 'EX', LEDGER_TTL_SECONDS);
    },
    async addPayment(orderId, paymentId) {
      await redis.rpush(key('order-payments', orderId), paymentId);
      await redis.expire(key('order-payments', orderId), LEDGER_TTL_SECONDS);
    },
    async paymentIdsOf(orderId) {
      return redis.lrange(key('order-payments', orderId), 0, -1);
    },
  };
}

/**
 * A stand-in for Razorpay for `npm run dev` without keys: orders, payments and refunds live in
 * the ledger (this process's memory, or Redis shared by every process; in memory a restart between
 * paying and verifying loses the payment: just pay again). Refused in production by the factory.
 */
export function sandboxProvider(secrets: PaymentSecrets, ledger: SandboxLedger = memoryLedger()): SandboxProvider {
  const payment = (id: string) => ledger.get<ProviderPayment>('payment', id);

  return {
    mode: 'sandbox',
    keyId: SANDBOX_KEY_ID,

    async createOrder({ amount, currency, receipt, notes }) {
      const order = { id: providerId('order'), entity: 'order', amount, amount_paid: 0, amount_due: amount, currency, receipt, status: 'created', attempts: 0, notes, created_at: now() };
      await ledger.set('order', order.id, order);
      return order;
    },

    async fetchPayment(paymentId) {
      const found = await payment(paymentId);
      if (!found) throw notFound();
      return found;
    },

    async fetchOrderPayments(orderId) {
      if (!(await ledger.get('order', orderId))) throw notFound();
      const found = await Promise.all((await ledger.paymentIdsOf(orderId)).map(payment));
      return found.filter((p): p is ProviderPayment => p !== null);
    },

    async refund(paymentId, input, idempotencyKey) {
      const body = JSON.stringify(input);
      const previous = await ledger.get<{ body: string; refund: ProviderRefund }>('refund', idempotencyKey);
      if (previous) {
        if (previous.body !== body) throw new ProviderError('Different request with the same idempotency key has already been processed.', 400, 'BAD_REQUEST_ERROR');
        return previous.refund;
      }
      const found = await payment(paymentId);
      if (!found) throw notFound();
      if (found.status !== 'captured') throw new ProviderError('The payment has been fully refunded already or was never captured', 400, 'BAD_REQUEST_ERROR');
      const refund = { id: providerId('rfnd'), entity: 'refund', amount: input.amount, currency: found.currency, payment_id: paymentId, notes: input.notes ?? {}, status: 'processed' as const, created_at: now() };
      await ledger.set('payment', paymentId, { ...found, status: 'refunded', amount_refunded: input.amount, refund_status: 'full' });
      await ledger.set('refund', idempotencyKey, { body, refund });
      return refund;
    },

    async pay(orderId, outcome) {
      const order = await ledger.get<ProviderOrder>('order', orderId);
      if (!order) throw notFound();
      const made: ProviderPayment = {
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
      await ledger.set('payment', made.id, made);
      await ledger.addPayment(orderId, made.id);
      if (outcome !== 'success') return { payment: made };
      await ledger.set('order', orderId, { ...order, status: 'paid' });
      return {
        payment: made,
        checkout: {
          razorpay_order_id: orderId,
          razorpay_payment_id: made.id,
          razorpay_signature: paymentSignature(secrets.keySecret, orderId, made.id),
        },
      };
    },
  };
}
