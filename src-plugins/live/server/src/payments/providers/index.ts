import { paymentsMode, type Env } from '@skillyug/config';
import { razorpayProvider } from './razorpay';
import { sandboxProvider, sandboxSecrets, type SandboxLedger, type SandboxProvider } from './sandbox';
import type { PaymentProvider, PaymentSecrets, PaymentsMode } from './types';

export * from './types';
export { SANDBOX_KEY_ID, sandboxSecrets, memoryLedger, redisLedger, type SandboxLedger, type SandboxProvider } from './sandbox';

export type PaymentsSetup =
  | { mode: PaymentsMode; ready: true; provider: PaymentProvider; secrets: PaymentSecrets; sandbox?: SandboxProvider }
  | { mode: PaymentsMode; ready: false; reason: string };

/**
 * Picks the provider from the environment: Razorpay when its keys are set, otherwise the
 * sandbox checkout — except in production, where there is no sandbox and payments are off
 * until the keys are given. The sandbox keeps its records in `sandboxLedger` (memory by default).
 */
export function createPaymentsSetup(env: Env, options: { sandboxLedger?: SandboxLedger } = {}): PaymentsSetup {
  if (paymentsMode(env) === 'razorpay') {
    const secrets = { keySecret: env.RAZORPAY_KEY_SECRET!, webhookSecret: env.RAZORPAY_WEBHOOK_SECRET! };
    const provider = razorpayProvider({ keyId: env.RAZORPAY_KEY_ID!, keySecret: secrets.keySecret, apiUrl: env.RAZORPAY_API_URL });
    return { mode: 'razorpay', ready: true, provider, secrets };
  }
  if (env.NODE_ENV === 'production') {
    return {
      mode: 'sandbox',
      ready: false,
      reason:
        'Payments are not configured: set RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET and RAZORPAY_WEBHOOK_SECRET (the sandbox checkout is refused in production)',
    };
  }
  if (!env.DATA_ENCRYPTION_KEY) {
    return { mode: 'sandbox', ready: false, reason: 'The sandbox checkout needs DATA_ENCRYPTION_KEY (npm run dev generates it into .env)' };
  }
  const secrets = sandboxSecrets(env.DATA_ENCRYPTION_KEY);
  const sandbox = sandboxProvider(secrets, options.sandboxLedger);
  return { mode: 'sandbox', ready: true, provider: sandbox, secrets, sandbox };
}
