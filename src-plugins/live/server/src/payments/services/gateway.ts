import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import { createPaymentsSetup, memoryLedger, redisLedger, type PaymentsSetup } from '../providers';
import { redis } from '../../utils/redis';
import { forbidden, unavailable } from '../../utils/http';

/**
 * Which payment provider this process talks to, chosen once from the environment. The secrets
 * it holds are for checking signatures on the server and are never put into a response.
 */
export default (_: { strapi: Core.Strapi }) => {
  let setup: PaymentsSetup | undefined;

  return {
    setup(): PaymentsSetup {
      if (setup) return setup;
      const env = loadEnv('cms');
      // With Redis the sandbox's records are shared, so any process can verify what another sold.
      const connection = redis();
      return (setup = createPaymentsSetup(env, { sandboxLedger: connection ? redisLedger(connection, env.REDIS_KEY_PREFIX) : memoryLedger() }));
    },

    mode() {
      return this.setup().mode;
    },

    /** The provider and secrets, or a 503 naming what is missing. */
    ready() {
      const current = this.setup();
      if (!current.ready) throw unavailable(current.reason, { reason: 'payments not configured' });
      return current;
    },

    /** The sandbox checkout, only in sandbox mode and never in production. */
    sandbox() {
      const current = this.setup();
      if (current.mode !== 'sandbox') throw forbidden('The sandbox checkout is off: this server takes real payments through Razorpay');
      if (!current.ready) throw forbidden(current.reason, { reason: 'sandbox refused' });
      return current.sandbox!;
    },

    /** For tests and the health report: what mode, without any secret. */
    describe() {
      const current = this.setup();
      return { mode: current.mode, ready: current.ready, keyId: current.ready ? current.provider.keyId : null };
    },
  };
};
