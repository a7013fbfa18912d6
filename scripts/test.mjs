// npm test: unit tests, then the API suite against a booted Strapi on SQLite and on PostgreSQL (the browser tests on
// SQLite, the operations tests on PostgreSQL).
// `npm run test:sqlite` / `npm run test:postgres` run one engine; extra args go to jest.
import fs from 'node:fs';
import path from 'node:path';
import { root, run, bin, buildLibraries, step } from './lib.mjs';

const engines = ['sqlite', 'postgres'];
const [first, ...rest] = process.argv.slice(2);
const only = engines.includes(first) ? [first] : engines;
const jestArgs = engines.includes(first) ? rest : process.argv.slice(2);
const timings = {};

step('building config and the live plugin');
await buildLibraries();

// The browser tests (cms/tests/site) run the built site: build it when it is missing or older than its sources.
const siteDir = path.join(root, 'site');
const newest = (entry) => {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(entry).map((name) => newest(path.join(entry, name))));
};
const built = path.join(siteDir, 'dist', 'server', 'entry.mjs');
const sources = ['src', 'public', 'astro.config.mjs', 'package.json'].map((name) => path.join(siteDir, name)).filter(fs.existsSync);
if (!fs.existsSync(built) || Math.max(...sources.map(newest)) > fs.statSync(built).mtimeMs) {
  step('building the site for the browser tests');
  await run(bin('astro'), ['build'], { cwd: siteDir });
}

step('linting the workspace (typescript-eslint, type-only imports, no import cycles)');
await run(bin('eslint'), ['--max-warnings=0', '.']);

step("type-checking the Strapi app, the live plugin's admin panel, the site, the tests and the CDK app");
await run(bin('tsc'), ['-p', 'cms/tsconfig.json', '--noEmit']);
await run(bin('tsc'), ['-p', 'src-plugins/live/admin/tsconfig.json', '--noEmit']);
await run(bin('tsc'), ['-p', 'site/tsconfig.json', '--noEmit']);
await run(bin('tsc'), ['-p', 'tsconfig.tests.json']);
await run(bin('tsc'), ['-p', 'infra/tsconfig.json']);

step('unit tests, and the infrastructure (CDK templates asserted offline, cdk-nag)');
await run(bin('jest'), ['--selectProjects', 'unit', 'infra', '--passWithNoTests', ...jestArgs]);

// The browser tests (cms/tests/site) drive the whole product through Chromium; what differs between
// the engines is the data layer, which the API suites cover on both. They run once, on SQLite (the
// embedded default a newcomer runs), which keeps CI well inside its hour. `npm run test:postgres`
// given a path (e.g. cms/tests/site/catalog.test.ts) still runs that file on PostgreSQL.
// The operations tests (cms/tests/ops: outages, SIGTERM, two nodes) are about the production topology,
// PostgreSQL and Redis: they run once, in the PostgreSQL pass.
const BROWSER_TESTS = '/cms/tests/site/';
const OPERATIONS_TESTS = '/cms/tests/ops/';
for (const engine of only) {
  const browserOnce = engine !== 'sqlite' && only.includes('sqlite') && jestArgs.length === 0;
  const operationsElsewhere = engine === 'sqlite' && jestArgs.length === 0;
  step(`API tests on ${engine}${browserOnce ? ' (the browser tests ran on sqlite)' : ''}${operationsElsewhere ? ' (the operations tests run on postgres)' : ''}`);
  const started = Date.now();
  const ignored = [...(browserOnce ? [BROWSER_TESTS] : []), ...(operationsElsewhere ? [OPERATIONS_TESTS] : [])];
  const skip = ignored.length > 0 ? ['--testPathIgnorePatterns', ...ignored] : [];
  await run(bin('jest'), ['--selectProjects', `api:${engine}`, '--maxWorkers=2', ...skip, ...jestArgs], {
    env: { TEST_DB: engine },
  });
  timings[engine] = `${((Date.now() - started) / 1000).toFixed(1)} s`;
}
console.log(`\nAPI test wall time: ${Object.entries(timings).map(([e, t]) => `${e} ${t}`).join(', ')}`);
