import { spawnSync } from 'node:child_process';
import path from 'node:path';
import os from 'node:os';

const appDir = path.resolve(__dirname, '..');

/** This process's environment without Strapi's secrets or a database (a child given it has only what a test adds). */
const cleanEnv = () =>
  Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(APP_KEYS|.*_SALT|.*_SECRET|.*ENCRYPTION_KEY|DATABASE_URL|SMTP_.*|SKILLYUG_BUILD)$/.test(key)));

/** Boots the compiled app in a child process, as `strapi start` would, with the given environment. */
function bootWith(env: Record<string, string>) {
  const script = `
    const { createStrapi } = require('@strapi/strapi');
    createStrapi({ appDir: ${JSON.stringify(appDir)}, distDir: ${JSON.stringify(path.join(appDir, 'dist'))}, serveAdminPanel: false })
      .load()
      .then(() => { console.log('BOOTED'); process.exit(0); })
      .catch((error) => { console.error(error.message); process.exit(1); });`;
  return spawnSync(process.execPath, ['-e', script], {
    cwd: appDir,
    env: { ...cleanEnv(), SKILLYUG_ENV_FILE: path.join(os.tmpdir(), 'skillyug-no-env'), ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('building for production', () => {
  it('loads the configuration without the runtime secrets (as `strapi build` does) when the build says so', () => {
    // `strapi build` creates the app (reading every config file) but never loads or serves it.
    const script = `
      const { createStrapi } = require('@strapi/strapi');
      const app = createStrapi({ appDir: ${JSON.stringify(appDir)}, distDir: ${JSON.stringify(path.join(appDir, 'dist'))}, serveAdminPanel: false });
      console.log('CONFIG LOADED', app.config.get('admin.path'));`;
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['-e', script], { cwd: appDir, env: { ...cleanEnv(), SKILLYUG_ENV_FILE: path.join(os.tmpdir(), 'skillyug-no-env'), ...env }, encoding: 'utf8', timeout: 60_000 });

    const build = run({ NODE_ENV: 'production', SKILLYUG_BUILD: 'true' });
    expect(build.status).toBe(0);
    expect(build.stdout).toContain('CONFIG LOADED /admin');

    // The same load without the build's flag is a start: refused, naming each secret.
    const start = run({ NODE_ENV: 'production' });
    expect(start.status).not.toBe(0);
    expect(start.stderr).toContain('APP_KEYS: required in production');
    expect(start.stderr).toContain('SMTP_HOST: required in production');
  });
});

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
