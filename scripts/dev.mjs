// npm run dev: everything on the embedded defaults — Strapi (admin + API) with the live
// plugin rebuilt on change, and the Astro site. First run: secrets go into .env and the
// demo data into the SQLite database.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import concurrently from 'concurrently';
import { root, bin, buildLibraries, step } from './lib.mjs';

// Dev servers show error pages with absolute file paths and stack traces: they listen on this
// machine only unless the shell asks otherwise (HOST for Strapi, SITE_HOST for the site). Read
// before .env is loaded, so the production-minded HOST=0.0.0.0 of a copied .env.example doesn't count.
const devHosts = { cms: process.env.HOST || '127.0.0.1', site: process.env.SITE_HOST || '127.0.0.1' };

step('building config and the live plugin');
await buildLibraries();

const require = createRequire(import.meta.url);
const { ensureDevelopmentSecrets, loadEnv } = require('../config/dist/index.js');
ensureDevelopmentSecrets(path.join(root, '.env'), process.env);
const env = loadEnv('site');

// Strapi's develop watcher only watches cms/, so a rebuilt plugin is signalled by touching
// an ignored file there (debounced: tsc writes many files per rebuild).
const stamp = path.join(root, 'cms', 'src', 'plugin-build-stamp.txt');
let timer;
fs.watch(path.join(root, 'src-plugins', 'live', 'dist'), { recursive: true }, () => {
  clearTimeout(timer);
  timer = setTimeout(() => fs.writeFileSync(stamp, `${new Date().toISOString()}\n`), 400);
});

step(`starting: admin ${env.PUBLIC_URL}/admin · API ${env.PUBLIC_URL}/api · site ${env.SITE_URL}`);
const { result } = concurrently(
  [
    { name: 'plugin', command: `${bin('tsc')} -p src-plugins/live/server/tsconfig.json --watch --preserveWatchOutput`, cwd: root },
    { name: 'cms', command: `${bin('strapi')} develop`, cwd: path.join(root, 'cms'), env: { HOST: devHosts.cms } },
    { name: 'site', command: `${bin('astro')} dev --port ${env.SITE_PORT} --host ${devHosts.site}`, cwd: path.join(root, 'site') },
  ],
  { prefixColors: ['gray', 'blue', 'magenta'], killOthers: ['failure'], restartTries: 0 }
);
result.then(
  () => process.exit(0),
  () => process.exit(1)
);
