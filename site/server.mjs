// Production entry: starts the built standalone server on SITE_HOST/SITE_PORT.
// The Node adapter listens on HOST/PORT when they are set, but in Skillyug's
// shared environment those belong to Strapi, so they are overridden here.
import { loadEnv } from '@skillyug/config';

const env = loadEnv('site');
process.env.HOST = env.SITE_HOST;
process.env.PORT = String(env.SITE_PORT);

await import('./dist/server/entry.mjs');
