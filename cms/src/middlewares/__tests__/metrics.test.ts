import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import Koa from 'koa';
import request from 'supertest';
import { resetEnvCache } from '@skillyug/config';
import { countPaymentOutcome, registry } from '@skillyug/live/utils/metrics';
import metricsMiddleware, { bearerToken, tokenMatches } from '../metrics';

const TOKEN = 'metrics-token-for-the-unit-test';

/** The middleware as cms/config/middlewares.ts loads it, in front of routes standing in for Strapi's router. */
function appWith(env: Record<string, string>) {
  Object.assign(process.env, { SKILLYUG_ENV_FILE: path.join(os.tmpdir(), 'skillyug-no-env-file'), ...env });
  resetEnvCache();
  const middleware = metricsMiddleware();
  for (const name of Object.keys(env)) delete process.env[name];
  resetEnvCache();
  const app = new Koa();
  app.silent = true;
  app.use(middleware);
  app.use(async (ctx) => {
    if (ctx.path.startsWith('/api/lessons/')) {
      (ctx as any)._matchedRoute = '/api/lessons/:id';
      ctx.body = { ok: true };
    }
    if (ctx.path === '/api/fails') throw Object.assign(new Error('down'), { status: 503 });
  });
  return http.createServer(app.callback());
}

/** One series' value (a histogram's by its sample name, e.g. `…_count`), 0 when it doesn't exist yet. */
const sample = async (name: string, labels: Record<string, string>) => {
  const metric = registry.getSingleMetric(name.replace(/_(count|sum|bucket)$/, '')) ?? registry.getSingleMetric(name);
  const { values } = (await metric!.get()) as { values: { labels: Record<string, unknown>; value: number; metricName?: string }[] };
  return values.find((v) => (!v.metricName || v.metricName === name) && Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))?.value ?? 0;
};

describe('the HTTP metrics middleware', () => {
  it('counts and times requests under the route pattern, never the URL, and unmatched ones as "unmatched"', async () => {
    const server = appWith({});
    const before = await sample('http_requests_total', { method: 'GET', route: '/api/lessons/:id', status: '200' });
    await request(server).get('/api/lessons/17?x=1');
    await request(server).get('/api/lessons/18');
    await request(server).get('/no/such/page-123');
    await request(server).get('/api/fails');
    expect(await sample('http_requests_total', { method: 'GET', route: '/api/lessons/:id', status: '200' })).toBe(before + 2);
    expect(await sample('http_requests_total', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(await sample('http_requests_total', { route: 'unmatched', status: '503' })).toBeGreaterThanOrEqual(1);
    expect(await sample('http_request_duration_seconds_count', { route: '/api/lessons/:id', status: '200' })).toBeGreaterThanOrEqual(2);
    const text = await registry.metrics();
    expect(text).not.toContain('/api/lessons/17');
    expect(text).not.toContain('page-123');
  });

  it('serves GET /api/metrics only with METRICS_TOKEN, and only to a caller presenting it', async () => {
    const off = appWith({});
    expect((await request(off).get('/api/metrics').set('Authorization', `Bearer ${TOKEN}`)).status).toBe(404);

    const on = appWith({ METRICS_TOKEN: TOKEN });
    expect((await request(on).get('/api/metrics')).status).toBe(401);
    expect((await request(on).get('/api/metrics').set('Authorization', `Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await request(on).get('/api/metrics').set('Authorization', `Basic ${TOKEN}`)).status).toBe(401);
    expect((await request(on).post('/api/metrics').set('Authorization', `Bearer ${TOKEN}`)).status).toBe(405);
    const ok = await request(on).get('/api/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.text).toContain('# TYPE http_requests_total counter');
    expect(ok.text).toMatch(/http_requests_total\{method="GET",route="\/api\/metrics",status="401"\} [1-9]/);
  });

  it('reads bearer tokens and compares them whole', () => {
    expect(bearerToken(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerToken(`bearer  ${TOKEN} `)).toBe(TOKEN);
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken(`Bearer a b`)).toBeUndefined();
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(TOKEN.slice(0, -1), TOKEN)).toBe(false);
    expect(tokenMatches('', TOKEN)).toBe(false);
  });
});

describe('payment outcome counting', () => {
  it('labels what the payment services return with a short fixed set, a refund applied apart from a capture refused', async () => {
    const captured = await sample('live_payment_outcomes_total', { outcome: 'captured' });
    const ignored = await sample('live_payment_outcomes_total', { outcome: 'ignored' });
    const refunded = await sample('live_payment_outcomes_total', { outcome: 'refunded' });
    const result = { outcome: 'fulfilled', order: {} };
    expect(countPaymentOutcome('capture', result)).toBe(result);
    countPaymentOutcome('capture', { outcome: 'refunded' });
    countPaymentOutcome('refund', { outcome: 'refunded' });
    countPaymentOutcome('refund', { outcome: 'something-new' });
    expect(await sample('live_payment_outcomes_total', { outcome: 'captured' })).toBe(captured + 1);
    expect(await sample('live_payment_outcomes_total', { outcome: 'ignored' })).toBe(ignored + 1);
    expect(await sample('live_payment_outcomes_total', { outcome: 'refunded' })).toBe(refunded + 1);
    expect(await sample('live_payment_outcomes_total', { outcome: 'other' })).toBe(1);
  });
});
