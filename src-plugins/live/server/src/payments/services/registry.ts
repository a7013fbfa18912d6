import type { Core } from '@strapi/strapi';
import type gateway from './gateway';
import type orders from './orders';
import type fulfilment from './fulfilment';
import type webhooks from './webhooks';
import type reconciliation from './reconciliation';
import type refunds from './refunds';
import type receipts from './receipts';

export type PaymentServices = {
  gateway: ReturnType<typeof gateway>;
  orders: ReturnType<typeof orders>;
  fulfilment: ReturnType<typeof fulfilment>;
  webhooks: ReturnType<typeof webhooks>;
  reconciliation: ReturnType<typeof reconciliation>;
  refunds: ReturnType<typeof refunds>;
  receipts: ReturnType<typeof receipts>;
};

/** The payment services, typed (strapi.plugin().service() is `any`). Resolved at call time. */
export const paymentService = <K extends keyof PaymentServices>(strapi: Core.Strapi, name: K): PaymentServices[K] =>
  strapi.plugin('live').service(name) as PaymentServices[K];
