import { envSchema } from '@skillyug/config';
import { createPaymentsSetup, ProviderError, SANDBOX_KEY_ID, sandboxSecrets } from '../providers';
import { toProviderError } from '../providers/razorpay';
import { redisLedger, sandboxProvider } from '../providers/sandbox';
import { paymentSignature } from '../signatures';

const env = (vars: Record<string, string>) => envSchema.parse({ DATA_ENCRYPTION_KEY: 'd'.repeat(32), ...vars });

describe('choosing the provider', () => {
  it('uses Razorpay when its keys are set, pointed at RAZORPAY_API_URL', () => {
    const setup = createPaymentsSetup(
      env({ RAZORPAY_KEY_ID: 'rzp_test_1', RAZORPAY_KEY_SECRET: 'ks', RAZORPAY_WEBHOOK_SECRET: 'ws', RAZORPAY_API_URL: 'http://127.0.0.1:9/' })
    );
    expect(setup).toMatchObject({ mode: 'razorpay', ready: true, secrets: { keySecret: 'ks', webhookSecret: 'ws' } });
    if (!setup.ready) throw new Error('not ready');
    expect(setup.provider.keyId).toBe('rzp_test_1');
    expect(setup.sandbox).toBeUndefined();
  });

  it('uses the sandbox without keys, outside production', () => {
    for (const NODE_ENV of ['development', 'test']) {
      const setup = createPaymentsSetup(env({ NODE_ENV }));
      expect(setup).toMatchObject({ mode: 'sandbox', ready: true });
      if (setup.ready) expect(setup.provider.keyId).toBe(SANDBOX_KEY_ID);
    }
  });

  it('refuses the sandbox in production', () => {
    const setup = createPaymentsSetup(env({ NODE_ENV: 'production' }));
    expect(setup).toMatchObject({ mode: 'sandbox', ready: false, reason: expect.stringMatching(/refused in production/) });
  });

  it('derives stable sandbox secrets from DATA_ENCRYPTION_KEY', () => {
    expect(sandboxSecrets('a'.repeat(32))).toEqual(sandboxSecrets('a'.repeat(32)));
    expect(sandboxSecrets('a'.repeat(32)).keySecret).not.toBe(sandboxSecrets('b'.repeat(32)).keySecret);
    const { keySecret, webhookSecret } = sandboxSecrets('a'.repeat(32));
    expect(keySecret).not.toBe(webhookSecret);
    expect(keySecret).not.toContain('a'.repeat(8));
  });
});

describe('the sandbox provider', () => {
  const setup = createPaymentsSetup(env({ NODE_ENV: 'development' }));
  if (!setup.ready || !setup.sandbox) throw new Error('sandbox not ready');
  const { sandbox, secrets } = setup;

  it('creates orders and captured payments signed like Checkout', async () => {
    const order = await sandbox.createOrder({ amount: 49900, currency: 'INR', receipt: 'r1', notes: {} });
    expect(order).toMatchObject({ id: expect.stringMatching(/^order_[A-Za-z0-9]{14}$/), amount: 49900, status: 'created' });
    const { payment, checkout } = await sandbox.pay(order.id, 'success');
    expect(payment).toMatchObject({ order_id: order.id, amount: 49900, status: 'captured' });
    expect(checkout!.razorpay_signature).toBe(paymentSignature(secrets.keySecret, order.id, payment.id));
    expect(await sandbox.fetchPayment(payment.id)).toEqual(payment);
    expect(await sandbox.fetchOrderPayments(order.id)).toEqual([payment]);
  });

  it('refunds once per idempotency key and answers unknown ids like Razorpay', async () => {
    const order = await sandbox.createOrder({ amount: 10000, currency: 'INR', receipt: 'r2', notes: {} });
    const { payment } = await sandbox.pay(order.id, 'success');
    const first = await sandbox.refund(payment.id, { amount: 10000 }, 'refund_key_1');
    expect(await sandbox.refund(payment.id, { amount: 10000 }, 'refund_key_1')).toEqual(first);
    await expect(sandbox.refund(payment.id, { amount: 5000 }, 'refund_key_1')).rejects.toThrow(/idempotency key/);
    await expect(sandbox.refund(payment.id, { amount: 10000 }, 'refund_key_2')).rejects.toThrow(/refunded/);
    const missing = await sandbox.fetchPayment('pay_unknown').catch((e) => e);
    expect(missing).toBeInstanceOf(ProviderError);
    expect(missing.isNotFound).toBe(true);
  });
});

describe('Razorpay SDK errors', () => {
  it('normalizes the SDK error, axios errors and network failures', () => {
    const sdk = toProviderError({ statusCode: 400, error: { code: 'BAD_REQUEST_ERROR', description: 'The id provided does not exist' } });
    expect(sdk).toMatchObject({ status: 400, code: 'BAD_REQUEST_ERROR', message: 'The id provided does not exist', isNotFound: true });
    const axios = toProviderError({ response: { status: 409, data: { error: { code: 'BAD_REQUEST_ERROR', description: 'in progress' } } } });
    expect(axios).toMatchObject({ status: 409, message: 'in progress', isNotFound: false });
    const network = toProviderError(new TypeError("Cannot read properties of undefined (reading 'status')"));
    expect(network).toMatchObject({ status: undefined, message: 'Razorpay could not be reached' });
  });
});

describe('the sandbox on a shared ledger', () => {
  it('lets a second process verify and refund what the first sold (two providers, one Redis)', async () => {
    const Redis = (await import('ioredis')).default;
    const connection = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
    const prefix = `test:sandbox:${process.pid}:${Date.now()}:`;
    try {
      const secrets = sandboxSecrets('k'.repeat(64));
      const first = sandboxProvider(secrets, redisLedger(connection, prefix));
      const second = sandboxProvider(secrets, redisLedger(connection, prefix));
      const order = await first.createOrder({ amount: 49900, currency: 'INR', receipt: 'r3', notes: {} });
      const { payment } = await second.pay(order.id, 'success');
      expect(await first.fetchOrderPayments(order.id)).toEqual([payment]);
      await first.refund(payment.id, { amount: 49900 }, 'refund_key_shared');
      expect(await second.fetchPayment(payment.id)).toMatchObject({ status: 'refunded' });
      expect(await second.refund(payment.id, { amount: 49900 }, 'refund_key_shared')).toMatchObject({ payment_id: payment.id });
      expect(await connection.ttl(`${prefix}payments:sandbox:payment:${payment.id}`)).toBeGreaterThan(0);
    } finally {
      const keys = await connection.keys(`test:sandbox:${process.pid}:*`);
      if (keys.length) await connection.del(...keys);
      await connection.quit();
    }
  });
});
