// npm run build: the production build (config, the live plugin, Strapi's server + admin, the site).
// It loads the configuration but holds no runtime secret (APP_KEYS, SMTP_HOST, …): SKILLYUG_BUILD
// tells the config to leave their check to the start. The Dockerfile's build stage runs this.
import path from 'node:path';
import { root, run, bin, buildLibraries, step } from './lib.mjs';

const env = { SKILLYUG_BUILD: 'true' };

step('building config and the live plugin');
await buildLibraries();

step(`building Strapi: server and admin panel (NODE_ENV=${process.env.NODE_ENV ?? 'development'})`);
await run(bin('strapi'), ['build'], { cwd: path.join(root, 'cms'), env });

step('building the site');
await run(bin('astro'), ['build'], { cwd: path.join(root, 'site'), env });
