import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Razorpay's REST API (Orders, Payments, Refunds), answering the real
 * `razorpay` SDK the way https://razorpay.com/docs/api documents it: Basic auth with the key pair,
 * the same entity shapes, and errors as `{ error: { code, description, source, step, reason,
 * metadata, field? } }` with 400/401/404. It always replies (the SDK crashes on a dropped
 * connection). Tests also use it as "the customer and Razorpay's side": paying an order the way
 * Checkout would, refunding from the dashboard, and signing webhook deliveries.
 */

export type Payment = {
  id: string;
  entity: 'payment';
  amount: number;
  currency: string;
  status: 'created' | 'authorized' | 'captured' | 'refunded' | 'failed';
  order_id: string;
  invoice_id: null;
  international: boolean;
  method: string;
  amount_refunded: number;
  refund_status: null | 'partial' | 'full';
  captured: boolean;
  description: string | null;
  email: string;
  contact: string;
  notes: Record<string, string>;
  fee: number | null;
  tax: number | null;
  error_code: string | null;
  error_description: string | null;
  error_source: string | null;
  error_step: string | null;
  error_reason: string | null;
  created_at: number;
};

export type Order = {
  id: string;
  entity: 'order';
  amount: number;
  amount_paid: number;
  amount_due: number;
  currency: string;
  receipt: string | null;
  offer_id: null;
  status: 'created' | 'attempted' | 'paid';
  attempts: number;
  notes: Record<string, string>;
  created_at: number;
};

export type Refund = {
  id: string;
  entity: 'refund';
  amount: number;
  currency: string;
  payment_id: string;
  notes: Record<string, string>;
  receipt: string | null;
  acquirer_data: { arn: string | null };
  created_at: number;
  batch_id: null;
  status: 'pending' | 'processed' | 'failed';
  speed_processed: 'normal';
  speed_requested: 'normal';
};

type Recorded = { method: string; path: string; headers: http.IncomingHttpHeaders; body: unknown };

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const id = (prefix: string) => `${prefix}_${Array.from(crypto.randomBytes(14), (b) => ALPHABET[b % 62]).join('')}`;
const now = () => Math.floor(Date.now() / 1000);
const hmac = (secret: string, data: string) => crypto.createHmac('sha256', secret).update(data).digest('hex');

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly field?: string,
    readonly code = status === 401 ? 'BAD_REQUEST_ERROR' : 'BAD_REQUEST_ERROR'
  ) {
    super(description);
  }
  body() {
    return {
      error: {
        code: this.code,
        description: this.description,
        source: this.status === 401 ? 'NA' : 'business',
        step: this.status === 401 ? 'NA' : 'payment_initiation',
        reason: this.status === 401 ? 'NA' : 'input_validation_failed',
        metadata: {},
        ...(this.field ? { field: this.field } : {}),
      },
    };
  }
}
const doesNotExist = () => new ApiError(400, 'The id provided does not exist');

export type RazorpayDouble = Awaited<ReturnType<typeof startRazorpayDouble>>;

export async function startRazorpayDouble() {
  const keyId = `rzp_test_${crypto.randomBytes(7).toString('hex')}`;
  const keySecret = crypto.randomBytes(18).toString('base64url');
  const webhookSecret = crypto.randomBytes(18).toString('base64url');

  const orders = new Map<string, Order>();
  const payments = new Map<string, Payment>();
  const refunds = new Map<string, Refund>();
  const idempotency = new Map<string, { body: string; refund: Refund }>();
  const requests: Recorded[] = [];

  const authorized = (req: http.IncomingMessage) => {
    const [scheme, value] = (req.headers.authorization ?? '').split(' ');
    if (scheme !== 'Basic' || !value) return false;
    return Buffer.from(value, 'base64').toString() === `${keyId}:${keySecret}`;
  };

  function createOrder(body: any): Order {
    if (!Number.isInteger(body?.amount)) throw new ApiError(400, 'The amount must be an integer.', 'amount');
    if (body.amount < 100) throw new ApiError(400, 'The amount must be atleast INR 1.00', 'amount');
    if (body.currency !== 'INR') throw new ApiError(400, 'The currency is invalid.', 'currency');
    if (body.receipt !== undefined && (typeof body.receipt !== 'string' || body.receipt.length > 40)) {
      throw new ApiError(400, 'The receipt may not be greater than 40 characters.', 'receipt');
    }
    const notes = body.notes ?? {};
    if (typeof notes !== 'object' || Object.keys(notes).length > 15) throw new ApiError(400, 'Number of fields in notes should be less than or equal to 15', 'notes');
    for (const value of Object.values(notes)) {
      if (typeof value !== 'string' || value.length > 256) throw new ApiError(400, 'The notes value may not be greater than 256 characters.', 'notes');
    }
    const order: Order = {
      id: id('order'),
      entity: 'order',
      amount: body.amount,
      amount_paid: 0,
      amount_due: body.amount,
      currency: body.currency,
      receipt: body.receipt ?? null,
      offer_id: null,
      status: 'created',
      attempts: 0,
      notes,
      created_at: now(),
    };
    orders.set(order.id, order);
    return order;
  }

  function refund(paymentId: string, body: any, key: string | undefined): Refund {
    const bodyText = JSON.stringify(body ?? {});
    if (key !== undefined) {
      if (!/^[A-Za-z0-9_-]{10,}$/.test(key)) throw new ApiError(400, 'The idempotency key is invalid.');
      const previous = idempotency.get(key);
      if (previous) {
        if (previous.body !== bodyText) throw new ApiError(400, 'Different request with the same idempotency key has already been processed.');
        return previous.refund;
      }
    }
    const payment = payments.get(paymentId);
    if (!payment) throw doesNotExist();
    if (payment.status !== 'captured') {
      throw new ApiError(400, payment.status === 'refunded' ? 'The payment has been fully refunded already' : 'Only captured payments can be refunded');
    }
    const remaining = payment.amount - payment.amount_refunded;
    const amount = body?.amount ?? remaining;
    if (!Number.isInteger(amount) || amount < 100) throw new ApiError(400, 'The amount must be atleast INR 1.00', 'amount');
    if (amount > remaining) throw new ApiError(400, 'The refund amount provided is greater than amount captured', 'amount');
    const made: Refund = {
      id: id('rfnd'),
      entity: 'refund',
      amount,
      currency: payment.currency,
      payment_id: paymentId,
      notes: body?.notes ?? {},
      receipt: body?.receipt ?? null,
      acquirer_data: { arn: null },
      created_at: now(),
      batch_id: null,
      status: 'processed',
      speed_processed: 'normal',
      speed_requested: 'normal',
    };
    refunds.set(made.id, made);
    payment.amount_refunded += amount;
    payment.refund_status = payment.amount_refunded === payment.amount ? 'full' : 'partial';
    if (payment.amount_refunded === payment.amount) payment.status = 'refunded';
    if (key !== undefined) idempotency.set(key, { body: bodyText, refund: made });
    return made;
  }

  function route(method: string, path: string, body: any, req: http.IncomingMessage): unknown {
    let match: RegExpMatchArray | null;
    if (method === 'POST' && path === '/v1/orders') return createOrder(body);
    if (method === 'GET' && (match = path.match(/^\/v1\/orders\/([^/]+)$/))) {
      const order = orders.get(match[1]);
      if (!order) throw doesNotExist();
      return order;
    }
    if (method === 'GET' && (match = path.match(/^\/v1\/orders\/([^/]+)\/payments$/))) {
      if (!orders.has(match[1])) throw doesNotExist();
      const items = [...payments.values()].filter((p) => p.order_id === match![1]);
      return { entity: 'collection', count: items.length, items };
    }
    if (method === 'GET' && (match = path.match(/^\/v1\/payments\/([^/]+)$/))) {
      const payment = payments.get(match[1]);
      if (!payment) throw doesNotExist();
      return payment;
    }
    if (method === 'POST' && (match = path.match(/^\/v1\/payments\/([^/]+)\/refund$/))) {
      return refund(match[1], body, req.headers['x-refund-idempotency'] as string | undefined);
    }
    throw new ApiError(404, 'The requested URL was not found on the server.');
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://double');
      const text = Buffer.concat(chunks).toString('utf8');
      let status = 200;
      let payload: unknown;
      try {
        const body = text ? JSON.parse(text) : undefined;
        requests.push({ method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body });
        if (!authorized(req)) throw new ApiError(401, 'Authentication failed');
        payload = route(req.method ?? 'GET', url.pathname, body, req);
      } catch (error) {
        const apiError = error instanceof ApiError ? error : new ApiError(400, 'The request body is not valid JSON');
        status = apiError.status;
        payload = apiError.body();
      }
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const paymentOf = (paymentId: string) => {
    const payment = payments.get(paymentId);
    if (!payment) throw new Error(`the double has no payment ${paymentId}`);
    return payment;
  };

  const double = {
    /** The environment that points Strapi at this double. */
    env: { RAZORPAY_KEY_ID: keyId, RAZORPAY_KEY_SECRET: keySecret, RAZORPAY_WEBHOOK_SECRET: webhookSecret, RAZORPAY_API_URL: `http://127.0.0.1:${port}` },
    secrets: { keySecret, webhookSecret },
    orders,
    payments,
    refunds,
    requests,

    /** An order made directly at Razorpay (not through our API). */
    createOrder: (body: { amount: number; currency: string; receipt?: string }) => createOrder(body),

    /**
     * The customer pays the order in Checkout: a payment (captured unless told otherwise) for the
     * order's amount, or another amount to simulate tampering.
     */
    pay(orderId: string, options: { status?: Payment['status']; amount?: number; method?: string } = {}): Payment {
      const order = orders.get(orderId);
      if (!order) throw new Error(`the double has no order ${orderId}`);
      const status = options.status ?? 'captured';
      const payment: Payment = {
        id: id('pay'),
        entity: 'payment',
        amount: options.amount ?? order.amount,
        currency: order.currency,
        status,
        order_id: orderId,
        invoice_id: null,
        international: false,
        method: options.method ?? 'upi',
        amount_refunded: 0,
        refund_status: null,
        captured: status === 'captured',
        description: null,
        email: 'customer@example.com',
        contact: '+919900000000',
        notes: {},
        fee: status === 'captured' ? Math.round((options.amount ?? order.amount) * 0.02) : null,
        tax: null,
        error_code: status === 'failed' ? 'BAD_REQUEST_ERROR' : null,
        error_description: status === 'failed' ? 'Payment failed due to incorrect OTP' : null,
        error_source: status === 'failed' ? 'customer' : null,
        error_step: status === 'failed' ? 'payment_authentication' : null,
        error_reason: status === 'failed' ? 'incorrect_otp' : null,
        created_at: now(),
      };
      payments.set(payment.id, payment);
      order.attempts += 1;
      if (status === 'captured') {
        order.status = 'paid';
        order.amount_paid = payment.amount;
        order.amount_due = 0;
      } else order.status = 'attempted';
      return payment;
    },

    /** Late authorisation: a failed payment captured after all (Razorpay then sends payment.captured). */
    capture(paymentId: string) {
      const payment = paymentOf(paymentId);
      Object.assign(payment, { status: 'captured', captured: true, error_code: null, error_description: null, error_source: null, error_step: null, error_reason: null });
      const order = orders.get(payment.order_id)!;
      Object.assign(order, { status: 'paid', amount_paid: payment.amount, amount_due: 0 });
      return payment;
    },

    /** A refund made outside our admin (Razorpay's dashboard). */
    refundFromDashboard: (paymentId: string, amount?: number) => refund(paymentId, amount ? { amount } : {}, undefined),

    /** HMAC-SHA256 of "order_id|payment_id" with the key secret — what Checkout returns. */
    sign: (orderId: string, paymentId: string) => hmac(keySecret, `${orderId}|${paymentId}`),

    /** What Checkout hands the page's `handler` after a successful payment. */
    checkoutResponse: (payment: Payment) => ({
      razorpay_order_id: payment.order_id,
      razorpay_payment_id: payment.id,
      razorpay_signature: hmac(keySecret, `${payment.order_id}|${payment.id}`),
    }),

    /**
     * A signed webhook delivery for a payment (and its refund), as Razorpay would POST it. The body
     * is pretty-printed on purpose: only a check over the raw bytes accepts it.
     */
    webhook(event: 'payment.captured' | 'payment.failed' | 'order.paid' | 'refund.processed' | string, paymentId: string, options: { refundId?: string; eventId?: string } = {}) {
      const payment = { ...paymentOf(paymentId) };
      const payload: Record<string, unknown> = { payment: { entity: payment } };
      if (event === 'order.paid') payload.order = { entity: orders.get(payment.order_id) };
      if (event.startsWith('refund.')) {
        const made = options.refundId ? refunds.get(options.refundId) : [...refunds.values()].reverse().find((r) => r.payment_id === paymentId);
        if (!made) throw new Error(`the double has no refund for ${paymentId}`);
        payload.refund = { entity: made };
      }
      const body = JSON.stringify(
        { entity: 'event', account_id: 'acc_TestAccount01', event, contains: Object.keys(payload), payload, created_at: now() },
        null,
        2
      );
      return {
        body,
        headers: {
          'Content-Type': 'application/json',
          'X-Razorpay-Signature': hmac(webhookSecret, body),
          'X-Razorpay-Event-Id': options.eventId ?? `evt_${crypto.randomBytes(8).toString('hex')}`,
        },
      };
    },

    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return double;
}
