import Razorpay from 'razorpay';
import type { z } from 'zod';
import { providerCollection, providerOrder, providerPayment, providerRefund } from '../contracts';
import { ProviderError, type PaymentProvider } from './types';

type Axios = {
  defaults: { baseURL?: string; timeout?: number };
  post(url: string, data: unknown, config: { headers: Record<string, string> }): Promise<{ data: unknown }>;
};

/**
 * The SDK throws `{ statusCode, error: { code, description } }` for an answer it didn't like; for
 * no answer at all (refused, timed out) its own handler fails on the missing response, so
 * anything else means "unreachable". Axios errors (the refund call below) carry `response`.
 */
export function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = error as any;
  if (e && typeof e.statusCode === 'number') {
    return new ProviderError(e.error?.description ?? `Razorpay answered ${e.statusCode}`, e.statusCode, e.error?.code);
  }
  if (e?.response?.status) {
    const body = e.response.data?.error;
    return new ProviderError(body?.description ?? `Razorpay answered ${e.response.status}`, e.response.status, body?.code);
  }
  return new ProviderError('Razorpay could not be reached');
}

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ProviderError(`Razorpay sent an unexpected ${what}: ${result.error.issues[0]?.message}`, 502);
  return result.data;
}

/**
 * Razorpay through its official Node SDK. `apiUrl` replaces https://api.razorpay.com (the SDK
 * hard-codes it) so tests can point the same code path at a local double.
 */
export function razorpayProvider(options: { keyId: string; keySecret: string; apiUrl?: string; timeoutMs?: number }): PaymentProvider {
  const rzp = new Razorpay({ key_id: options.keyId, key_secret: options.keySecret }) as any;
  const http = rzp.api.rq as Axios;
  if (options.apiUrl) http.defaults.baseURL = options.apiUrl.replace(/\/+$/, '');
  http.defaults.timeout = options.timeoutMs ?? 15_000;

  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw toProviderError(error);
    }
  };

  return {
    mode: 'razorpay',
    keyId: options.keyId,

    createOrder: (input) => call(async () => parse(providerOrder, await rzp.orders.create(input), 'order')),

    fetchPayment: (paymentId) => call(async () => parse(providerPayment, await rzp.payments.fetch(paymentId), 'payment')),

    fetchOrderPayments: (orderId) =>
      call(async () => {
        const collection = parse(providerCollection, await rzp.orders.fetchPayments(orderId), 'payment list');
        return collection.items.map((item) => parse(providerPayment, item, 'payment'));
      }),

    // The SDK's payments.refund can't send headers, and retries need X-Refund-Idempotency, so this
    // one call goes through the SDK's own HTTP client (same base URL, auth and user agent).
    refund: (paymentId, input, idempotencyKey) =>
      call(async () => {
        const response = await http.post(`/v1/payments/${encodeURIComponent(paymentId)}/refund`, input, {
          headers: { 'X-Refund-Idempotency': idempotencyKey },
        });
        return parse(providerRefund, response.data, 'refund');
      }),
  };
}
