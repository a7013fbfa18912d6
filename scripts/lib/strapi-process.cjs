// One Strapi process of `npm run ops:cluster` (scripts/lib/cluster.mjs): the compiled app in
// cms/dist on HOST/PORT from the environment, as `strapi start` runs it, serving the admin panel
// when it is built (cms/dist/build). SIGTERM is handled by the app (cms/src/ops/shutdown.ts).
const fs = require('node:fs');
const path = require('node:path');

const appDir = path.resolve(__dirname, '..', '..', 'cms');
const distDir = path.join(appDir, 'dist');
const { createStrapi } = require(require.resolve('@strapi/strapi', { paths: [appDir] }));

createStrapi({ appDir, distDir, serveAdminPanel: fs.existsSync(path.join(distDir, 'build', 'index.html')), autoReload: false })
  .start()
  .then((strapi) => console.log(`LISTENING ${strapi.server.httpServer.address().port}`))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
