import type { ProviderOrder, ProviderPayment, ProviderRefund } from '../contracts';

export type { ProviderOrder, ProviderPayment, ProviderRefund };

export type PaymentsMode = 'razorpay' | 'sandbox';

/**
 * The one interface the payment services talk to. `razorpay` is the real SDK (pointed at a
 * local double in tests); `sandbox` answers in-process for development without keys.
 */
export interface PaymentProvider {
  readonly mode: PaymentsMode;
  /** Public: Checkout needs it in the browser. */
  readonly keyId: string;
  createOrder(input: { amount: number; currency: string; receipt: string; notes: Record<string, string> }): Promise<ProviderOrder>;
  fetchPayment(paymentId: string): Promise<ProviderPayment>;
  fetchOrderPayments(orderId: string): Promise<ProviderPayment[]>;
  /** A refund; the same idempotency key on a retry returns the same refund instead of a second one. */
  refund(paymentId: string, input: { amount: number; notes?: Record<string, string> }, idempotencyKey: string): Promise<ProviderRefund>;
}

/** Server-only: what signatures are checked with. Never serialized into a response. */
export interface PaymentSecrets {
  keySecret: string;
  webhookSecret: string;
}

/** A failed provider call, normalized from the SDK's `{ statusCode, error }` or a network failure. */
export class ProviderError extends Error {
  constructor(
    message: string,
    /** The HTTP status Razorpay answered with; undefined when it couldn't be reached. */
    readonly status?: number,
    /** Razorpay's error code, e.g. BAD_REQUEST_ERROR. */
    readonly code?: string
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  /** Razorpay answers an id it doesn't know with 400 "The id provided does not exist" (or 404). */
  get isNotFound() {
    return this.status === 404 || (this.status === 400 && /does not exist/i.test(this.message));
  }
}
