import { serviceAccessor } from '../../modules';
import type services from '.';

/** The realtime services, typed (strapi.plugin().service() is `any`). Resolved at call time. */
export const realtimeService = serviceAccessor<typeof services>();
