import type { Core } from '@strapi/strapi';
import { loadEnv, seedOnEmpty, emailMode, repoRoot } from '@skillyug/config';
import path from 'node:path';
import { lessonAccessSanitizer } from './access/lesson-access';
import { ensureUniqueKeys } from './bootstrap/unique-keys';
import { ensureSiteRoles } from './bootstrap/site-roles';
import { ensureAdminRoles } from './bootstrap/admin-roles';
import { createLogEmailProvider } from './mail/log-provider';
import { connectRedis, closeRedis } from '@skillyug/live/utils/redis';
import { reportStoreErrorsTo } from './security/rate-limit';
import { registerSiteRevalidation } from './site-revalidation';
import { registerCatalogRules, backfillCatalogLabels } from './catalog';
import { catalogVisibilitySanitizer, registerCatalogVisibility } from './access/catalog-visibility';
import { ensureContentManagerLayouts } from './bootstrap/content-manager-layouts';
import { startMetrics, stopMetrics } from './metrics-endpoint';
import { installGracefulShutdown } from './ops/shutdown';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    // Strapi types sanitizers as lodash-curried; a plain one-argument function is called the same way.
    strapi.sanitizers.add('content-api.output', catalogVisibilitySanitizer(strapi) as any);
    strapi.sanitizers.add('content-api.output', lessonAccessSanitizer(strapi) as any);
    registerCatalogRules(strapi);
    registerCatalogVisibility(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await ensureUniqueKeys(strapi);
    await ensureSiteRoles(strapi);
    await ensureAdminRoles(strapi);
    await ensureContentManagerLayouts(strapi);

    const env = loadEnv('cms');
    // Replaces Strapi's own SIGTERM/SIGINT handler: drain first, then destroy (ops/shutdown.ts).
    installGracefulShutdown(strapi, { graceSeconds: env.SHUTDOWN_GRACE_SECONDS });
    await connectRedis(strapi.log);
    reportStoreErrorsTo((error) => strapi.log.error(`[rate-limit] store failed, request let through: ${(error as Error)?.message ?? error}`));
    if (emailMode(env) === 'log') strapi.plugin('email').provider = createLogEmailProvider(strapi, env.EMAIL_FROM);
    strapi.cron.add({
      cleanupOneTimeCodes: {
        task: async () => strapi.service('api::otp.otp').cleanup(),
        options: { rule: '*/15 * * * *' },
      },
    });

    if (seedOnEmpty(env)) {
      // The demo seed lives in /database so `npm run seed` and this first-start path share it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JS outside the compiled app, resolved at run time
      const { seedIfEmpty } = require(path.join(repoRoot, 'database', 'seed', 'index.js'));
      await seedIfEmpty(strapi);
    }
    await backfillCatalogLabels(strapi);
    // After the seed: its hundreds of writes needn't each ping the site.
    registerSiteRevalidation(strapi);
    await startMetrics(strapi);
  },

  async destroy() {
    await stopMetrics();
    await closeRedis();
  },
};
