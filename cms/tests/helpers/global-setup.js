const path = require('node:path');

/** Compiles the Strapi app once per run (each test file then boots from cms/dist). */
module.exports = async () => {
  const { compileStrapi } = require('@strapi/strapi');
  const appDir = path.resolve(__dirname, '..', '..');
  await compileStrapi({ appDir, ignoreDiagnostics: true });
};
