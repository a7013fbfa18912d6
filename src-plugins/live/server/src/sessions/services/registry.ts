import { serviceAccessor } from '../../modules';
import type services from '.';

export type LiveServices = { [K in keyof typeof services]: ReturnType<(typeof services)[K]> };

/** The live-session services, typed (strapi.plugin().service() is `any`). Resolved at call time. */
export const liveService = serviceAccessor<typeof services>();
