import crypto from 'node:crypto';
import { hexEquals, isValidPaymentSignature, isValidWebhookSignature, paymentSignature } from '../signatures';

const secret = 'key_secret_for_tests';
const sign = (data: string, key = secret) => crypto.createHmac('sha256', key).update(data).digest('hex');

describe('payment signatures (Checkout)', () => {
  it('accepts HMAC-SHA256 of "order_id|payment_id" with the key secret', () => {
    const signature = sign('order_A|pay_B');
    expect(paymentSignature(secret, 'order_A', 'pay_B')).toBe(signature);
    expect(isValidPaymentSignature(secret, 'order_A', 'pay_B', signature)).toBe(true);
    expect(isValidPaymentSignature(secret, 'order_A', 'pay_B', signature.toUpperCase())).toBe(true);
  });

  it.each([
    ['another order', (s: string) => isValidPaymentSignature(secret, 'order_X', 'pay_B', s)],
    ['another payment', (s: string) => isValidPaymentSignature(secret, 'order_A', 'pay_X', s)],
    ['another secret', (s: string) => isValidPaymentSignature('other', 'order_A', 'pay_B', s)],
    ['swapped ids', (s: string) => isValidPaymentSignature(secret, 'pay_B', 'order_A', s)],
  ])('refuses a signature for %s', (_, check) => {
    expect(check(sign('order_A|pay_B'))).toBe(false);
  });

  it.each([undefined, null, 42, '', 'zz'.repeat(32), sign('order_A|pay_B').slice(0, 63), `${sign('order_A|pay_B')}00`, { length: 64 }])(
    'refuses a malformed signature %p without throwing',
    (given) => {
      expect(isValidPaymentSignature(secret, 'order_A', 'pay_B', given)).toBe(false);
    }
  );

  it('compares in constant time on equal-length buffers only', () => {
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    expect(hexEquals('ab'.repeat(32), 'ab'.repeat(32))).toBe(true);
    expect(hexEquals('ab'.repeat(32), 'ab'.repeat(31))).toBe(false);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});

describe('webhook signatures', () => {
  const body = '{\n  "entity": "event",\n  "event": "payment.captured"\n}';

  it('accepts HMAC-SHA256 of the raw body with the webhook secret', () => {
    expect(isValidWebhookSignature('whsec', body, sign(body, 'whsec'))).toBe(true);
    expect(isValidWebhookSignature('whsec', Buffer.from(body), sign(body, 'whsec'))).toBe(true);
  });

  it('refuses a re-serialized body, another secret, or no signature', () => {
    expect(isValidWebhookSignature('whsec', JSON.stringify(JSON.parse(body)), sign(body, 'whsec'))).toBe(false);
    expect(isValidWebhookSignature('other', body, sign(body, 'whsec'))).toBe(false);
    expect(isValidWebhookSignature('whsec', body, undefined)).toBe(false);
  });
});
