#!/usr/bin/env node
// `npm run seed` (root) → `npm run seed -w cms` → `node ../database/seed.mjs` (cwd: cms).
//
// Boots Strapi without the admin panel (as the API tests do), loads the demo data from
// database/seed into an empty database, and prints the demo credentials. A database that
// already has courses is left untouched. Refuses NODE_ENV=production unless
// --allow-production is given. The database is the one .env / the environment configure
// (SQLITE_FILENAME or DATABASE_URL).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CMS_DIR = path.join(ROOT, 'cms');
const requireFromCms = createRequire(path.join(CMS_DIR, 'package.json'));
const require = createRequire(import.meta.url);

const USAGE = `Usage: npm run seed [-- --allow-production]

Loads Skillyug's demo data (accounts, categories, 8 courses and a draft) into an empty
database. Does nothing if the database already has courses.

  --allow-production  seed even when NODE_ENV=production (demo passwords are public!)
  --help              show this help`;

const fail = (message) => {
  console.error(`\n[seed] ✖ ${message}`);
  process.exitCode = 1;
};

/** Builds the workspaces Strapi loads compiled: the shared config and the live plugin's server. */
function ensureLibrariesBuilt() {
  const builds = [
    ['@skillyug/config', path.join(ROOT, 'config', 'dist', 'index.js')],
    ['@skillyug/live', path.join(ROOT, 'src-plugins', 'live', 'dist', 'server', 'index.js')],
  ];
  const missing = builds.filter(([, output]) => !fs.existsSync(output));
  if (missing.length === 0) return;
  // The live plugin compiles against the config package, so build both, config first.
  for (const [workspace] of builds) {
    console.log(`[seed] building ${workspace}…`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(npm, ['run', 'build', '-w', workspace], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`npm run build -w ${workspace} failed`);
  }
}

/** Where the data goes, without credentials. */
function describeDatabase(app) {
  const connection = app.config.get('database.connection');
  if (app.db.dialect.client === 'sqlite') return `SQLite ${connection.connection?.filename}`;
  try {
    const url = new URL(connection.connection?.connectionString);
    return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    return app.db.dialect.client;
  }
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const unknown = args.filter((arg) => arg !== '--allow-production');
  if (unknown.length > 0) {
    fail(`Unknown option ${unknown.join(' ')}\n\n${USAGE}`);
    return;
  }

  // The bootstrap must not seed on its own: this script decides, and reports.
  process.env.SEED_ON_EMPTY = 'false';
  process.env.STRAPI_TELEMETRY_DISABLED ??= 'true';

  ensureLibrariesBuilt();

  // Same resolution as Strapi's config files: the root .env, then validation. NODE_ENV may
  // come from .env rather than the shell, so check it only after loading.
  const { loadEnv } = requireFromCms('@skillyug/config');
  const env = loadEnv('cms');
  if (env.NODE_ENV === 'production' && !args.includes('--allow-production')) {
    fail(
      'Refusing to seed with NODE_ENV=production: the demo accounts have published passwords.\n' +
        '  Pass --allow-production if you really mean it (then change or remove those accounts).'
    );
    return;
  }

  const started = Date.now();
  const { compileStrapi, createStrapi } = requireFromCms('@strapi/strapi');
  console.log('[seed] compiling and loading Strapi…');
  const dirs = await compileStrapi({ appDir: CMS_DIR, ignoreDiagnostics: true });
  const app = await createStrapi({ ...dirs, serveAdminPanel: false, autoReload: false }).load();
  try {
    console.log(`[seed] Strapi ready in ${((Date.now() - started) / 1000).toFixed(1)} s — ${describeDatabase(app)}`);
    const courses = await app.db.query('api::course.course').count();
    if (courses > 0) {
      console.log('Database already has data; nothing to seed');
      return;
    }
    const { seedDemoData } = require(path.join(ROOT, 'database', 'seed'));
    await seedDemoData(app, { log: (line) => console.log(line) });
  } finally {
    await app.destroy();
  }
}

try {
  await main();
} catch (error) {
  // A configuration error already names every bad variable; a stack adds nothing to it.
  fail(`Seeding failed: ${error?.name === 'ConfigError' ? error.message : (error?.stack ?? error)}`);
}
// Strapi's destroy closes the database; don't let a stray handle keep `npm run seed` hanging.
setTimeout(() => process.exit(), 5_000).unref();
