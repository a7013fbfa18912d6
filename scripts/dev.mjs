// npm run dev: everything on the embedded defaults — Strapi (admin + API) with the live
// plugin rebuilt on change, and the Astro site. First run: secrets go into .env and the
// demo data into the SQLite database.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
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

// The plugin's watcher rewrites every file of its build when it starts. Strapi must not load the
// plugin while that happens (a half-written module once made a first start fail with "Handler not
// found"), so Strapi starts only when the watcher's first compile is done.
step('watching the live plugin');
const pluginWatch = spawn(bin('tsc'), ['-p', 'src-plugins/live/server/tsconfig.json', '--watch', '--preserveWatchOutput'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const labelled = (text) => text.split('\n').filter((line) => line.trim()).map((line) => `[plugin] ${line}\n`).join('');
await new Promise((resolve, reject) => {
  pluginWatch.once('exit', (code) => reject(new Error(`the live plugin's tsc --watch exited (${code})`)));
  pluginWatch.stdout.on('data', (chunk) => {
    process.stdout.write(labelled(String(chunk)));
    if (String(chunk).includes('Watching for file changes')) resolve();
  });
});
// From now on, the watcher ending ends the whole dev session (as concurrently's killOthers does for the others).
pluginWatch.on('exit', () => process.exit(1));
process.on('exit', () => pluginWatch.kill());

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
    { name: 'cms', command: `${bin('strapi')} develop`, cwd: path.join(root, 'cms'), env: { HOST: devHosts.cms } },
    { name: 'site', command: `${bin('astro')} dev --port ${env.SITE_PORT} --host ${devHosts.site}`, cwd: path.join(root, 'site') },
  ],
  { prefixColors: ['blue', 'magenta'], killOthers: ['failure'], restartTries: 0 }
);
result.then(
  () => process.exit(0),
  () => process.exit(1)
);
