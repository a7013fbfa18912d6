import { spawnSync } from 'node:child_process';
import path from 'node:path';
import os from 'node:os';

const appDir = path.resolve(__dirname, '..');

/** Boots the compiled app in a child process, as `strapi start` would, with the given environment. */
function bootWith(env: Record<string, string>) {
  const script = `
    const { createStrapi } = require('@strapi/strapi');
    createStrapi({ appDir: ${JSON.stringify(appDir)}, distDir: ${JSON.stringify(path.join(appDir, 'dist'))}, serveAdminPanel: false })
      .load()
      .then(() => { console.log('BOOTED'); process.exit(0); })
      .catch((error) => { console.error(error.message); process.exit(1); });`;
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(APP_KEYS|.*_SALT|.*_SECRET|.*ENCRYPTION_KEY|DATABASE_URL)$/.test(key))
  );
  return spawnSync(process.execPath, ['-e', script], {
    cwd: appDir,
    env: { ...clean, SKILLYUG_ENV_FILE: path.join(os.tmpdir(), 'skillyug-no-env'), ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('starting in production', () => {
  it('refuses to start without the secrets and names each missing one', () => {
    const result = bootWith({ NODE_ENV: 'production', SQLITE_FILENAME: path.join(os.tmpdir(), `sk-prod-${process.pid}.db`) });
    expect(result.status).not.toBe(0);
    expect(result.stdout).not.toContain('BOOTED');
    for (const name of ['APP_KEYS', 'API_TOKEN_SALT', 'ADMIN_JWT_SECRET', 'TRANSFER_TOKEN_SALT', 'JWT_SECRET', 'ENCRYPTION_KEY']) {
      expect(result.stderr).toContain(`${name}: required in production`);
    }
  });

  it('refuses an incomplete provider configuration before touching the database', () => {
    const result = bootWith({ NODE_ENV: 'test', LIVE_PROVIDER: 'ivs', JWT_SECRET: 'x'.repeat(32) });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('AWS_REGION: required when LIVE_PROVIDER=ivs');
  });
});
