// npm run migrate: brings the database up to this build's schema, then exits — the pipeline's
// once-per-deploy step (infra/pipeline/run-migration.sh runs it as a one-off ECS task before the new
// tasks take traffic). It boots Strapi the way `strapi start` does (production, the compiled cms/dist):
// loading runs Strapi's database migrations and schema sync and the app's own bootstrap; then it
// shuts Strapi down without ever listening on a port. Exit 0: migrated; 1: it failed (the pipeline stops).
import { createRequire } from 'node:module';
import path from 'node:path';
import { root } from './lib.mjs';

process.env.NODE_ENV ??= 'production';
// Like a start, never a build: the production secrets check applies.
delete process.env.SKILLYUG_BUILD;
// A migration must not hang a deploy forever (an unreachable database fails sooner, after pg's own timeouts).
const DEADLINE_MS = 30 * 60_000;

const appDir = path.join(root, 'cms');
const distDir = path.join(appDir, 'dist');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (message) => console.log(`[migrate] ${message}`);

const deadline = setTimeout(() => {
  console.error(`[migrate] gave up after ${DEADLINE_MS / 60_000} minutes`);
  process.exit(1);
}, DEADLINE_MS);
deadline.unref();

let strapi;
try {
  process.chdir(appDir);
  // @strapi/strapi as the cms workspace resolves it.
  const { createStrapi } = createRequire(path.join(appDir, 'package.json'))('@strapi/strapi');
  say(`loading Strapi (${process.env.NODE_ENV}) from ${path.relative(root, distDir)}: database migrations and schema sync run now`);
  strapi = await createStrapi({ appDir, distDir, serveAdminPanel: false, autoReload: false }).load();
  const tables = await strapi.db.connection.raw(
    strapi.db.dialect.client === 'postgres' ? "select count(*)::int as count from information_schema.tables where table_schema = current_schema()" : "select count(*) as count from sqlite_master where type = 'table'"
  );
  const count = Array.isArray(tables) ? tables[0]?.count : tables.rows?.[0]?.count;
  say(`schema in sync (${strapi.db.dialect.client}, ${count ?? '?'} tables) after ${elapsed()}`);
  await strapi.destroy();
  say(`done in ${elapsed()}`);
  process.exit(0);
} catch (error) {
  console.error(`[migrate] failed after ${elapsed()}: ${error?.stack ?? error}`);
  try {
    await strapi?.destroy();
  } catch {
    /* already failing: the exit status says so */
  }
  process.exit(1);
}
