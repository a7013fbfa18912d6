import { serviceAccessor } from '../../modules';
import type services from '.';

/** The recordings services, typed (strapi.plugin().service() is `any`). Resolved at call time. */
export const recordingsService = serviceAccessor<typeof services>();
