import { loadEnv, apiDocsEnabled } from '@skillyug/config';

/**
 * GET /api/openapi.json — the content API's OpenAPI document. Served by default in development and
 * tests; production registers no route unless API_DOCS=true (the document lists every endpoint).
 */
export default {
  routes: apiDocsEnabled(loadEnv('cms'))
    ? [{ method: 'GET', path: '/openapi.json', handler: 'openapi.document', config: { auth: false, policies: [] } }]
    : [],
};
