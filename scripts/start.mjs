// npm start: the production processes (after `npm run build`): Strapi and the site's Node server.
import path from 'node:path';
import concurrently from 'concurrently';
import { root, bin } from './lib.mjs';

process.env.NODE_ENV ??= 'production';
const { result } = concurrently(
  [
    { name: 'cms', command: `${bin('strapi')} start`, cwd: path.join(root, 'cms') },
    { name: 'site', command: 'node server.mjs', cwd: path.join(root, 'site') },
  ],
  { prefixColors: ['blue', 'magenta'], killOthers: ['failure', 'success'] }
);
result.then(
  () => process.exit(0),
  () => process.exit(1)
);
