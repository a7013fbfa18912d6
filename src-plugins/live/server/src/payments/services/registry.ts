import { serviceAccessor } from '../../modules';
import type services from '.';

export type PaymentServices = { [K in keyof typeof services]: ReturnType<(typeof services)[K]> };

/** The payment services, typed (strapi.plugin().service() is `any`). Resolved at call time. */
export const paymentService = serviceAccessor<typeof services>();
