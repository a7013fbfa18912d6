import { startStrapi, type TestApp } from './helpers/strapi';

/** GET /api/openapi.json: every route the server answers under /api, with who may call it. */
let app: TestApp;
let document: any;

beforeAll(async () => {
  app = await startStrapi();
  const res = await app.http.get('/api/openapi.json');
  expect(res.status).toBe(200);
  document = res.body;
});
afterAll(async () => {
  await app?.stop();
});

/** What Koa actually routes under /api: method + path of every layer of the server's router. */
function servedRoutes(): { method: string; path: string }[] {
  const layers = app.strapi.server.router.stack as { methods: string[]; path: string }[];
  return layers
    .filter((layer) => typeof layer.path === 'string' && layer.path.startsWith('/api/'))
    .flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((method) => ({ method: method.toLowerCase(), path: layer.path })));
}

const openApiPath = (path: string) => path.replace(/:([A-Za-z_]\w*)/g, '{$1}');

describe('the OpenAPI document', () => {
  it('is OpenAPI 3 and lists every content-API route the server answers, with its method and path', () => {
    expect(document.openapi).toMatch(/^3\./);
    const routes = servedRoutes();
    // The catalog, accounts, payments and live classes at least: a router walk that found nothing proves nothing.
    expect(routes.length).toBeGreaterThan(50);
    const missing = routes.filter(({ method, path }) => !document.paths[openApiPath(path)]?.[method]).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(missing).toEqual([]);
    // …and nothing the server doesn't answer.
    const served = new Set(routes.map(({ method, path }) => `${method} ${openApiPath(path)}`));
    const extra = Object.entries(document.paths).flatMap(([path, item]: [string, any]) =>
      Object.keys(item).map((method) => `${method} ${path}`).filter((key) => !served.has(key))
    );
    expect(extra).toEqual([]);
  });

  it('declares every path parameter', () => {
    for (const [path, item] of Object.entries(document.paths) as [string, any][]) {
      for (const operation of Object.values(item) as any[]) {
        const names = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
        const declared = (operation.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name);
        expect({ path, declared: declared.sort() }).toEqual({ path, declared: names.sort() });
      }
    }
  });

  it('describes the live and payment routes’ bodies and queries from the contracts their controllers validate with', () => {
    const body = (method: string, path: string) => document.paths[path][method].requestBody?.content?.['application/json']?.schema;
    const schedule = body('post', '/api/live/sessions');
    expect(Object.keys(schedule.properties)).toEqual(expect.arrayContaining(['courseId', 'title', 'scheduledAt', 'description', 'recording']));
    expect(schedule.required).toEqual(expect.arrayContaining(['courseId', 'title', 'scheduledAt']));
    expect(Object.keys(body('put', '/api/live/sessions/{id}').properties)).toEqual(expect.arrayContaining(['title', 'scheduledAt']));
    expect(Object.keys(body('post', '/api/payments/verify').properties).sort()).toEqual(['razorpay_order_id', 'razorpay_payment_id', 'razorpay_signature']);
    expect(Object.keys(body('post', '/api/payments/orders').properties)).toEqual(['courseId']);
    const query = (method: string, path: string) => (document.paths[path][method].parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name);
    expect(query('get', '/api/live/sessions')).toEqual(expect.arrayContaining(['status', 'when', 'course', 'page', 'pageSize']));
    expect(query('get', '/api/live/upcoming')).toEqual(expect.arrayContaining(['course', 'limit']));
  });

  it('says who may call each route: public, students, mentors, or a credential of its own', () => {
    const op = (method: string, path: string) => document.paths[path][method];
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(
      ['adminToken', 'ivsEventsSecret', 'playbackToken', 'previewToken', 'razorpaySignature', 'userJwt'].sort()
    );

    // The catalog: readable without a token.
    expect(op('get', '/api/courses').security).toContainEqual({});
    expect(op('get', '/api/courses')['x-roles']).toEqual(expect.arrayContaining(['public', 'student']));
    // A student's own data: a site token, and not the public role.
    expect(op('get', '/api/enrollments').security).toEqual([{ userJwt: [] }]);
    expect(op('get', '/api/enrollments')['x-roles']).not.toContain('public');
    expect(op('post', '/api/payments/orders').description).toMatch(/Only student accounts/);
    // Live classes: mentors with their admin token, students with theirs.
    expect(op('post', '/api/live/sessions').security).toEqual([{ adminToken: [] }, { userJwt: [] }]);
    expect(op('get', '/api/live/sessions/{id}/join')['x-roles']).toContain('student');
    // Routes that check their own credential.
    expect(op('post', '/api/payments/webhook').security).toEqual([{ razorpaySignature: [] }]);
    expect(op('post', '/api/live/events/ivs').security).toEqual([{ ivsEventsSecret: [] }]);
    expect(op('get', '/api/live/play/{stream}').security).toEqual([{ playbackToken: [] }]);
    expect(op('get', '/api/previews/course').security).toEqual([{ previewToken: [] }]);
    expect(op('get', '/api/live/health').security).toEqual([]);
  });

  it('follows the roles as they are stored: a permission granted to the public role shows at once', async () => {
    const publicRole = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
    const action = document.paths['/api/enrollments'].get['x-strapi-action'];
    const permission = await app.strapi.db.query('plugin::users-permissions.permission').create({ data: { action, role: publicRole.id } });
    try {
      const res = await app.http.get('/api/openapi.json');
      expect(res.body.paths['/api/enrollments'].get.security).toContainEqual({});
      expect(res.body.paths['/api/enrollments'].get['x-roles']).toContain('public');
    } finally {
      await app.strapi.db.query('plugin::users-permissions.permission').delete({ where: { id: permission.id } });
    }
  });
});
