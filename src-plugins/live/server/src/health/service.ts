import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import { isDraining } from '../utils/lifecycle';
import { withTimeout, TIMEOUT_MS, type CheckResult, type DependencyMonitor } from '../utils/dependency-monitor';

export type Readiness =
  | { status: 'ready'; checks: Record<string, CheckResult> }
  | { status: 'unavailable'; down: string[]; checks: Record<string, CheckResult> };

/** What the live module runs on (/api/live/health) and whether this process can take traffic (/api/ready). Never includes secrets. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  /** The last storage answer, so a failing bucket is logged when it starts failing, not on every probe. */
  let storageWasDown = false;

  return {
    async report() {
      const env = loadEnv('cms');
      await strapi.db.connection.raw('select 1');
      return {
        status: 'ok',
        plugin: 'live',
        database: strapi.db.dialect.client,
        liveProvider: env.LIVE_PROVIDER,
        liveVideo: strapi.plugin('live').service('liveProvider').status(),
        payments: strapi.plugin('live').service('gateway').setup().ready ? strapi.plugin('live').service('gateway').mode() : 'off',
        recordingStorage: await this.storage(),
      };
    },

    /**
     * Readiness: the database answers `select 1`, Redis (when configured) is connected and answers
     * PING, the live provider started, the recording storage is writable / its bucket answers —
     * each within TIMEOUT_MS. While the process drains after SIGTERM it is unavailable whatever
     * the checks say (and doesn't run them: the database may be closing), so the load balancer
     * stops sending it new work.
     */
    async ready(): Promise<Readiness> {
      if (isDraining()) return { status: 'unavailable', down: ['shutting down'], checks: {} };
      const monitor: DependencyMonitor = strapi.plugin('live').service('dependencies');
      const [dependencies, storage] = await Promise.all([monitor.readiness(), this.storageCheck()]);
      const live: CheckResult = strapi.plugin('live').service('liveProvider').status() === 'ok' ? 'ok' : 'down';
      const checks: Record<string, CheckResult> = { database: dependencies.database, redis: dependencies.redis, live, storage };
      const down = Object.keys(checks).filter((name) => checks[name] === 'down');
      return down.length ? { status: 'unavailable', down, checks } : { status: 'ready', checks };
    },

    /** The recording storage for readiness: 'ok' or 'down', the reason logged when it starts failing. */
    async storageCheck(): Promise<CheckResult> {
      const storage = strapi.plugin('live').service('recordingStorage').get();
      try {
        await withTimeout(Promise.resolve().then(() => storage.check()), TIMEOUT_MS);
        if (storageWasDown) strapi.log.warn(`[live] recording storage (${storage.kind}) answers again`);
        storageWasDown = false;
        return 'ok';
      } catch (error) {
        if (!storageWasDown) strapi.log.error(`[live] recording storage check failed: ${(error as Error).message}`);
        storageWasDown = true;
        return 'down';
      }
    },

    /** Where recordings are stored and whether it answers: a folder that isn't writable or a bucket S3 refuses is "down". */
    async storage(): Promise<string> {
      const storage = strapi.plugin('live').service('recordingStorage').get();
      try {
        await storage.check();
        return `ok: ${storage.kind}`;
      } catch (error) {
        // The reason names folders and buckets: for the log, not for a public health check.
        strapi.log.error(`[live] recording storage check failed: ${(error as Error).message}`);
        return `down: ${storage.kind} (see the server log)`;
      }
    },
  };
};
