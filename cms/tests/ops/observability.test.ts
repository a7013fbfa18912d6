/**
 * Logs and metrics of the running product, as production runs it: Strapi as its own process with
 * LOG_FORMAT=json, METRICS_PORT and METRICS_TOKEN, and the built site (`node site/server.mjs`)
 * pointed at it, both writing JSON lines to stdout, which the test reads. Shows: the request id
 * (kept when acceptable, replaced when not, echoed on errors), request lines with user, route
 * pattern, status and duration and without tokens, the token-guarded /api/metrics and the internal
 * metrics port with HTTP, live-class and process metrics, and one id from a page request on the
 * site to Strapi's log line for the call the page made. The in-process Strapi creates and seeds
 * the database and signs people in; the child process is the one under test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startStrapi, signInNewStudent, freePort, demoCourse, type TestApp } from '../helpers/strapi';
import { liveActors, scheduleSession, SESSION_UID, type LiveActors } from '../helpers/live';
import { connectClient, type ClassClient } from '../helpers/realtime';
import { waitFor, eventually } from '../helpers/wait';

const cmsDir = path.resolve(__dirname, '..', '..');
const siteDir = path.resolve(cmsDir, '..', 'site');
const METRICS_TOKEN = crypto.randomBytes(24).toString('base64url');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Line = Record<string, any>;

/** A child process's stdout as lines: the JSON ones parsed, everything kept for failure messages. */
function collectLines(child: ChildProcess) {
  const raw: string[] = [];
  const json: Line[] = [];
  let partial = '';
  child.stdout!.on('data', (chunk) => {
    const text = partial + String(chunk);
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      raw.push(line);
      if (line.startsWith('{')) json.push(JSON.parse(line));
    }
  });
  return { raw, json };
}

let app: TestApp;
let who: LiveActors;
let sessionId: string;
let strapiProcess: ChildProcess | null = null;
let strapiOutput: ReturnType<typeof collectLines>;
let strapiUrl: string;
let metricsUrl: string;
let site: ChildProcess | null = null;
let siteOutput: ReturnType<typeof collectLines>;
let siteUrl: string;
const clients: ClassClient[] = [];

/** Waits for Strapi's request line (level http) of the request with this id. */
const strapiRequestLine = (requestId: string) =>
  waitFor(() => strapiOutput.json.find((line) => line.level === 'http' && line.requestId === requestId), 10_000, `Strapi's log line for ${requestId}:\n${strapiOutput.raw.slice(-20).join('\n')}`);

const scrape = async () => {
  const res = await fetch(metricsUrl);
  expect(res.status).toBe(200);
  return res.text();
};

/** One sample's value from the exposition text, or undefined when the series is absent. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function stopChild(child: ChildProcess | null) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(killer);
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(siteDir, 'dist', 'server', 'entry.mjs'))) throw new Error('The site is not built: run `npx astro build` in site/');
  app = await startStrapi();
  who = await liveActors(app);
  sessionId = (await scheduleSession(app, who.owner.auth, { courseId: who.course, title: 'Metrics, live' })).id;

  const metricsPort = await freePort();
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  strapiProcess = spawn(process.execPath, [path.join(cmsDir, 'tests', 'helpers', 'child-strapi.js')], {
    cwd: cmsDir,
    env: {
      ...process.env,
      SEED_ON_EMPTY: 'false',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'http',
      METRICS_PORT: String(metricsPort),
      METRICS_TOKEN,
      LOCAL_RTMP_PORT: String(await freePort()),
      LOCAL_MEDIA_HTTP_PORT: String(await freePort()),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  strapiOutput = collectLines(strapiProcess);
  const port = await waitFor(
    () => {
      if (strapiProcess!.exitCode !== null) throw new Error(`the Strapi process exited with ${strapiProcess!.exitCode}:\n${strapiOutput.raw.join('\n')}`);
      return strapiOutput.raw.map((line) => /^LISTENING (\d+)/.exec(line)?.[1]).find(Boolean);
    },
    120_000,
    'the Strapi process to listen'
  );
  strapiUrl = `http://127.0.0.1:${port}`;

  const sitePort = await freePort();
  siteUrl = `http://127.0.0.1:${sitePort}`;
  site = spawn(process.execPath, ['server.mjs'], {
    cwd: siteDir,
    env: { ...process.env, NODE_ENV: 'test', LOG_FORMAT: 'json', API_URL: strapiUrl, PUBLIC_URL: strapiUrl, SITE_URL: siteUrl, SITE_HOST: '127.0.0.1', SITE_PORT: String(sitePort) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  siteOutput = collectLines(site);
  await waitFor(
    () => {
      if (site!.exitCode !== null) throw new Error(`the site exited with ${site!.exitCode}:\n${siteOutput.raw.join('\n')}`);
      return siteOutput.raw.some((line) => line.includes('Server listening on'));
    },
    30_000,
    'the site to listen'
  );
});

afterAll(async () => {
  for (const client of clients) client.close();
  await stopChild(site);
  await stopChild(strapiProcess);
  await app?.stop();
});

describe('request ids', () => {
  it("keeps an acceptable X-Request-Id, replaces any other, and echoes it on every answer, errors included", async () => {
    const kept = await fetch(`${strapiUrl}/api/courses`, { headers: { 'X-Request-Id': 'obs-kept-0001' } });
    expect(kept.status).toBe(200);
    expect(kept.headers.get('x-request-id')).toBe('obs-kept-0001');

    for (const bad of ['short', 'has spaces in it', 'x'.repeat(129), '{"json":1}']) {
      const replaced = await fetch(`${strapiUrl}/api/courses`, { headers: { 'X-Request-Id': bad } });
      expect(replaced.headers.get('x-request-id')).toMatch(UUID);
    }
    const none = await fetch(`${strapiUrl}/api/courses`);
    expect(none.headers.get('x-request-id')).toMatch(UUID);

    const notFound = await fetch(`${strapiUrl}/api/no-such-thing`, { headers: { 'X-Request-Id': 'obs-404-0001' } });
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('x-request-id')).toBe('obs-404-0001');
    const refused = await fetch(`${strapiUrl}/api/enrollments`, { headers: { 'X-Request-Id': 'obs-401-0001', Authorization: 'Bearer not-a-token' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-request-id')).toBe('obs-401-0001');
    const invalid = await fetch(`${strapiUrl}/api/courses?filters[nope][$eq]=1`, { headers: { 'X-Request-Id': 'obs-400-0001' } });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('x-request-id')).toBe('obs-400-0001');
    expect(await strapiRequestLine('obs-400-0001')).toMatchObject({ status: 400 });
  });
});

describe('JSON logs', () => {
  it('write one line per request with time, level, message, request id, user, route pattern, method, status and duration', async () => {
    const student = await signInNewStudent(app, 'obs-student');
    const res = await fetch(`${strapiUrl}/api/enrollments`, { headers: { ...student.auth, 'X-Request-Id': 'obs-user-0001' } });
    expect(res.status).toBe(200);
    const line = await strapiRequestLine('obs-user-0001');
    expect(line).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'http',
      message: expect.stringMatching(/^GET \/api\/enrollments \(\d+ ms\) 200$/),
      requestId: 'obs-user-0001',
      userId: String(student.id),
      route: '/api/enrollments',
      method: 'GET',
      status: 200,
      durationMs: expect.any(Number),
    });
    expect(Math.abs(Date.parse(line.time) - Date.now())).toBeLessThan(60_000);
  });

  it('never contain playback tokens, codes or signatures from URLs, nor the bearer token', async () => {
    const student = await signInNewStudent(app, 'obs-secrets');
    await fetch(`${strapiUrl}/api/live/play/stream-1.flv?token=PLAYBACK-SECRET-123&x=1`, { headers: { 'X-Request-Id': 'obs-secret-0001', ...student.auth } });
    await fetch(`${strapiUrl}/api/live/files/recordings/a.mp4?exp=1&sig=SIGNATURE-SECRET-456`, { headers: { 'X-Request-Id': 'obs-secret-0002' } });
    await fetch(`${strapiUrl}/api/courses?code=CODE-SECRET-789`, { headers: { 'X-Request-Id': 'obs-secret-0003' } });
    expect((await strapiRequestLine('obs-secret-0001')).message).toMatch(/^GET \/api\/live\/play\/stream-1\.flv\?token=\*\*\*&x=1 /);
    expect((await strapiRequestLine('obs-secret-0002')).message).toContain('sig=***');
    expect((await strapiRequestLine('obs-secret-0003')).message).toContain('code=***');
    const everything = strapiOutput.raw.join('\n');
    for (const secret of ['PLAYBACK-SECRET-123', 'SIGNATURE-SECRET-456', 'CODE-SECRET-789', student.auth.Authorization.slice('Bearer '.length), METRICS_TOKEN]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('metrics', () => {
  it('are readable on /api/metrics only with the token', async () => {
    expect((await fetch(`${strapiUrl}/api/metrics`)).status).toBe(401);
    expect((await fetch(`${strapiUrl}/api/metrics`, { headers: { Authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    const res = await fetch(`${strapiUrl}/api/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(UUID);
    const text = await res.text();
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(valueOf(text, 'http_requests_total{method="GET",route="/api/metrics",status="401"}')).toBeGreaterThanOrEqual(2);
  });

  it('on the metrics port: HTTP counts and latency by route pattern, live sessions by state, backlog and the process', async () => {
    await fetch(`${strapiUrl}/api/courses/${who.course}`, { headers: { 'X-Request-Id': 'obs-metrics-0001' } });
    expect((await fetch(`${strapiUrl}/api/no-such-thing/42`)).status).toBe(404);
    const text = await scrape();
    expect(valueOf(text, 'http_requests_total{method="GET",route="/api/courses/:id",status="200"}')).toBeGreaterThanOrEqual(1);
    expect(valueOf(text, 'http_request_duration_seconds_count{method="GET",route="/api/courses/:id",status="200"}')).toBeGreaterThanOrEqual(1);
    // A 404 is counted under the pattern that caught it (Strapi's static catch-all), or "unmatched".
    const notFound = text.split('\n').filter((l) => l.startsWith('http_requests_total{method="GET",') && l.includes('status="404"'));
    expect(notFound.length).toBeGreaterThanOrEqual(1);
    // Route patterns only: no id or query string becomes a label.
    expect(text).not.toContain(who.course);
    expect(text).not.toContain('no-such-thing');

    const scheduled = await app.strapi.db.query(SESSION_UID).count({ where: { status: 'SCHEDULED' } });
    expect(scheduled).toBeGreaterThanOrEqual(1);
    expect(valueOf(text, 'live_sessions{state="SCHEDULED"}')).toBe(scheduled);
    expect(valueOf(text, 'live_sessions{state="LIVE"}')).toBe(await app.strapi.db.query(SESSION_UID).count({ where: { status: 'LIVE' } }));
    expect(valueOf(text, 'live_recording_jobs{state="waiting"}')).toBe(0);
    expect(valueOf(text, 'live_recording_jobs{state="running"}')).toBe(0);
    // Node's own (the lag histogram restarts at every scrape, so only its presence is certain here).
    expect(valueOf(text, 'nodejs_eventloop_lag_seconds')).toEqual(expect.any(Number));
    expect(valueOf(text, 'nodejs_eventloop_lag_p99_seconds')).toEqual(expect.any(Number));
    expect(valueOf(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');

    expect((await fetch(metricsUrl.replace('/metrics', '/other'))).status).toBe(404);
    expect((await fetch(metricsUrl, { method: 'POST' })).status).toBe(405);
  });

  it('count joins, chat messages and the sockets open on this process', async () => {
    const before = await scrape();
    const joins = valueOf(before, 'live_joins_total{stage="waiting"}') ?? 0;
    const chats = valueOf(before, 'live_chat_messages_total{type="CHAT"}') ?? 0;
    expect(valueOf(before, 'live_connected_sockets')).toBe(0);

    const join = await fetch(`${strapiUrl}/api/live/sessions/${sessionId}/join`, { headers: who.enrolled.auth });
    expect(join.status).toBe(200);
    const { realtime } = (await join.json()).data;
    const client = connectClient(strapiUrl, { token: realtime.token });
    clients.push(client);
    await client.waitForEvent('ready', undefined, 10_000);
    expect(await client.call('chat:send', { text: 'counted once' })).toMatchObject({ ok: true });

    const during = await scrape();
    expect(valueOf(during, 'live_joins_total{stage="waiting"}')).toBe(joins + 1);
    expect(valueOf(during, 'live_chat_messages_total{type="CHAT"}')).toBe(chats + 1);
    expect(valueOf(during, 'live_connected_sockets')).toBe(1);

    client.close();
    await eventually(async () => expect(valueOf(await scrape(), 'live_connected_sockets')).toBe(0), 10_000);
  });

  it('count payment outcomes once each: a declined payment, then the capture that pays the order', async () => {
    const before = await scrape();
    const count = (text: string, outcome: string) => valueOf(text, `live_payment_outcomes_total{outcome="${outcome}"}`) ?? 0;
    const student = await signInNewStudent(app, 'obs-buyer');
    const { course } = await demoCourse(app, 'paid');
    const post = (route: string, body: object) =>
      fetch(`${strapiUrl}/api/payments/${route}`, { method: 'POST', headers: { ...student.auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const created = await post('orders', { courseId: course.documentId });
    expect(created.status).toBe(201);
    const orderId = (await created.json()).data.checkout.order_id;
    expect((await post('sandbox/pay', { razorpay_order_id: orderId, outcome: 'failure' })).status).toBe(200);
    const paid = await post('sandbox/pay', { razorpay_order_id: orderId });
    expect(paid.status).toBe(200);
    const triple = (await paid.json()).data;
    expect((await post('verify', triple)).status).toBe(200);
    // A repeat of the same verify changes nothing and is not a second capture.
    expect((await post('verify', triple)).status).toBe(200);

    const after = await scrape();
    expect(count(after, 'failed')).toBe(count(before, 'failed') + 1);
    expect(count(after, 'captured')).toBe(count(before, 'captured') + 1);
  });
});

describe('the site', () => {
  it("echoes its request id, logs the page as JSON, and Strapi's line for the page's API call carries the same id", async () => {
    const page = await fetch(`${siteUrl}/courses?token=PREVIEW-SECRET-1`, { headers: { 'X-Request-Id': 'obs-page-0001' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('x-request-id')).toBe('obs-page-0001');
    const siteLine = await waitFor(() => siteOutput.json.find((line) => line.requestId === 'obs-page-0001'), 10_000, `the site's log line:\n${siteOutput.raw.join('\n')}`);
    expect(siteLine).toEqual({
      time: expect.stringMatching(/Z$/),
      level: 'http',
      message: expect.stringMatching(/^GET \/courses\?token=\*\*\* \(\d+ ms\) 200$/),
      requestId: 'obs-page-0001',
      route: '/courses',
      method: 'GET',
      status: 200,
      durationMs: expect.any(Number),
    });
    // The catalog page read the courses from Strapi under the page's id.
    const apiLine = await strapiRequestLine('obs-page-0001');
    expect(apiLine).toMatchObject({ requestId: 'obs-page-0001', method: 'GET', status: 200, route: expect.stringMatching(/^\/api\//) });
    expect(siteOutput.raw.join('\n')).not.toContain('PREVIEW-SECRET-1');

    const fresh = await fetch(`${siteUrl}/courses`, { headers: { 'X-Request-Id': 'bad id' } });
    expect(fresh.headers.get('x-request-id')).toMatch(UUID);
  });
});
