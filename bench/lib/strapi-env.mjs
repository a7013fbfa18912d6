// What the benchmarks' Strapi child processes share: a production-mode environment with fresh
// secrets on a throw-away database, and free loopback ports.
import crypto from 'node:crypto';
import net from 'node:net';
import { generateSecrets } from '@skillyug/config';
import path from 'node:path';

const secret = () => crypto.randomBytes(24).toString('base64');

/** Production mode, fresh secrets, demo data seeded on first start, no Redis, no configured database. */
export function productionStrapiEnv(workDir) {
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    STRAPI_TELEMETRY_DISABLED: 'true',
    SKILLYUG_ENV_FILE: path.join(workDir, 'no-env-file'),
    SEED_ON_EMPTY: 'true',
    LOG_LEVEL: 'warn',
    ...generateSecrets(),
    SITE_REVALIDATE_SECRET: secret(),
    // Production requires SMTP; nothing is sent during a benchmark.
    SMTP_HOST: '127.0.0.1',
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  return env;
}

export const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
