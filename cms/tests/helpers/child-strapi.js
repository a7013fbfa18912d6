// Boots a second Strapi process on the same database and environment as the test that
// spawned it (for multi-process behaviour), and prints "LISTENING <port>" when ready.
const path = require('node:path');
const { createStrapi } = require('@strapi/strapi');

const appDir = path.resolve(__dirname, '..', '..');
createStrapi({ appDir, distDir: path.join(appDir, 'dist'), serveAdminPanel: false, autoReload: false })
  .load()
  .then(async (strapi) => {
    await strapi.server.mount();
    strapi.server.httpServer.listen(0, '127.0.0.1', () => {
      console.log(`LISTENING ${strapi.server.httpServer.address().port}`);
    });
    // SIGTERM: the app's graceful shutdown (cms/src/ops/shutdown.ts: drain, destroy, exit 0).
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
