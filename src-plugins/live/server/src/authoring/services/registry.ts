import { serviceAccessor } from '../../modules';
import type services from '.';

/** The authoring services, typed (strapi.plugin().service() is `any`). Resolved at call time. */
export const authoringService = serviceAccessor<typeof services>();
