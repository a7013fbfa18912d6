import type { Core } from '@strapi/strapi';
import type access from './access';
import type provider from './provider';
import type sessions from './sessions';
import type attendance from './attendance';
import type analytics from './analytics';
import type streamEvents from './stream-events';

export type LiveServices = {
  liveAccess: ReturnType<typeof access>;
  liveProvider: ReturnType<typeof provider>;
  liveSessions: ReturnType<typeof sessions>;
  attendance: ReturnType<typeof attendance>;
  liveAnalytics: ReturnType<typeof analytics>;
  streamEvents: ReturnType<typeof streamEvents>;
};

/** The live-session services, typed (strapi.plugin().service() is `any`). Resolved at call time. */
export const liveService = <K extends keyof LiveServices>(strapi: Core.Strapi, name: K): LiveServices[K] =>
  strapi.plugin('live').service(name) as LiveServices[K];
