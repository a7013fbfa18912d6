// npm test: unit tests, then the API suite against a booted Strapi on SQLite and on PostgreSQL.
// `npm run test:sqlite` / `npm run test:postgres` run one engine; extra args go to jest.
import { run, bin, buildLibraries, step } from './lib.mjs';

const engines = ['sqlite', 'postgres'];
const [first, ...rest] = process.argv.slice(2);
const only = engines.includes(first) ? [first] : engines;
const jestArgs = engines.includes(first) ? rest : process.argv.slice(2);
const timings = {};

step('building config and the live plugin');
await buildLibraries();

step('type-checking the Strapi app');
await run(bin('tsc'), ['-p', 'cms/tsconfig.json', '--noEmit']);

step('unit tests');
await run(bin('jest'), ['--selectProjects', 'unit', '--passWithNoTests', ...jestArgs]);

for (const engine of only) {
  step(`API tests on ${engine}`);
  const started = Date.now();
  await run(bin('jest'), ['--selectProjects', `api:${engine}`, '--maxWorkers=2', ...jestArgs], {
    env: { TEST_DB: engine },
  });
  timings[engine] = `${((Date.now() - started) / 1000).toFixed(1)} s`;
}
console.log(`\nAPI test wall time: ${Object.entries(timings).map(([e, t]) => `${e} ${t}`).join(', ')}`);
