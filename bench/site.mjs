// npm run bench:site — the student site's SSR pages next to the raw Strapi request they depend on.
//
// Boots Strapi (production mode, a fresh seeded SQLite database, no admin panel) and the BUILT
// site, each in its own process, then drives them from this one with autocannon at 50 concurrent
// connections, in the same run: the catalog page `/`, a course page, and the raw
// `GET /api/courses?populate…` the catalog page is built from, three ways:
//   api_uncached — every request a new URL (a filter that matches everything), so Strapi queries
//                  the database each time: the cost of the work itself (the old "raw API" figure);
//   api          — the same URL, no validators: what a visitor or the site gets (Strapi's
//                  in-memory catalog cache answers once the first request has been built);
//   api_304      — the same URL with If-None-Match: the ETag matches, 304 without a body.
// Ends with one line:
//   BENCH site {"catalog_rps":…,"catalog_p99_ms":…,"course_rps":…,"api_rps":…,"api_p99_ms":…,"ratio":…,
//               "api_uncached_rps":…,"api_304_rps":…,"api_vs_uncached":…,"api_304_vs_uncached":…}
// Target: catalog_rps ≥ 5 × api_uncached_rps, catalog p99 < 50 ms.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { productionStrapiEnv, freePort } from './lib/strapi-env.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cmsDir = path.join(root, 'cms');
const siteDir = path.join(root, 'site');
const requireFromCms = createRequire(path.join(cmsDir, 'package.json'));

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = 2;
const COURSE_SLUG = 'react-for-beginners';

// ── Child mode: a Strapi process ─────────────────────────────────────────────────────────────
if (process.argv[2] === '--strapi') {
  const { createStrapi } = requireFromCms('@strapi/strapi');
  const strapi = await createStrapi({ appDir: cmsDir, distDir: path.join(cmsDir, 'dist'), serveAdminPanel: false, autoReload: false }).load();
  await strapi.server.mount();
  strapi.server.httpServer.listen(0, '127.0.0.1', () => console.log(`LISTENING ${strapi.server.httpServer.address().port}`));
  process.on('SIGTERM', () => strapi.destroy().then(() => process.exit(0), () => process.exit(1)));
  await new Promise(() => {});
}

// ── Main ─────────────────────────────────────────────────────────────────────────────────────
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillyug-bench-site-'));
const uploadsDir = path.join(cmsDir, 'public', 'uploads');
const uploadsBefore = new Set(fs.existsSync(uploadsDir) ? fs.readdirSync(uploadsDir) : []);
const children = [];

const env = {
  ...productionStrapiEnv(workDir),
  SQLITE_FILENAME: path.join(workDir, 'bench.db'),
  LOCAL_RTMP_PORT: String(await freePort()),
  LOCAL_MEDIA_HTTP_PORT: String(await freePort()),
};

function start(args, options, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      const match = ready(output);
      if (match) resolve({ child, match });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${output.slice(-4000)}`)));
  });
}

async function stopAll() {
  for (const child of children.reverse()) {
    if (child.exitCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  // The seed uploaded covers into cms/public/uploads: remove this run's.
  if (fs.existsSync(uploadsDir)) for (const name of fs.readdirSync(uploadsDir)) if (!uploadsBefore.has(name)) fs.rmSync(path.join(uploadsDir, name), { force: true });
  fs.rmSync(workDir, { recursive: true, force: true });
}

function bench(title, url, { headers, uniqueUrls = false } = {}) {
  // Each request a URL of its own: `filters[price][$gte]=-N` matches every course, and defeats any cache.
  let counter = 0;
  const requests = uniqueUrls
    ? [{ setupRequest: (request) => ({ ...request, path: `${request.path}&filters[price][$gte]=-${++counter}` }) }]
    : undefined;
  return new Promise((resolve, reject) => {
    // A long timeout: the raw API queues requests for seconds at this concurrency, and a timed-out
    // request would drop out of its latency figures instead of counting.
    autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, timeout: 60, title, headers, requests }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

const warm = (url) => new Promise((resolve, reject) => autocannon({ url, connections: 10, duration: WARMUP_S, timeout: 60 }, (e, r) => (e ? reject(e) : resolve(r))));

/** `expected` is the status every answer should have (304 for the conditional requests). */
function summary(result, expected = 200) {
  const unexpected = expected === 200 ? result.non2xx : result.requests.total - (result.statusCodeStats?.[expected]?.count ?? 0);
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + Math.max(unexpected, 0),
  };
}

try {
  // The site's build, and Strapi compiled (as npm test does).
  if (!fs.existsSync(path.join(siteDir, 'dist', 'server', 'entry.mjs'))) {
    console.log('[bench] building the site…');
    await new Promise((resolve, reject) => {
      const build = spawn(path.join(root, 'node_modules', '.bin', 'astro'), ['build'], { cwd: siteDir, stdio: 'inherit' });
      build.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`astro build exited with ${code}`))));
    });
  }
  console.log('[bench] compiling Strapi…');
  const { compileStrapi } = requireFromCms('@strapi/strapi');
  await compileStrapi({ appDir: cmsDir, ignoreDiagnostics: true });

  console.log('[bench] starting Strapi (seeding a fresh SQLite database)…');
  // BENCH_CPU_PROFILE=<dir>: Strapi's CPU profile of the run, written there when it stops (open in Chrome DevTools).
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROFILE)}`] : [];
  const strapi = await start([...profile, fileURLToPath(import.meta.url), '--strapi'], { cwd: cmsDir, env }, (out) => /LISTENING (\d+)/.exec(out)?.[1]);
  const apiUrl = `http://127.0.0.1:${strapi.match}`;

  const sitePort = await freePort();
  const siteUrl = `http://127.0.0.1:${sitePort}`;
  console.log('[bench] starting the site…');
  await start(
    ['server.mjs'],
    { cwd: siteDir, env: { ...env, API_URL: apiUrl, PUBLIC_URL: apiUrl, SITE_URL: siteUrl, SITE_HOST: '127.0.0.1', SITE_PORT: String(sitePort) } },
    (out) => /listening/i.test(out)
  );

  // Exactly what the catalog page asks Strapi for (site/src/lib/api.ts listCourses + catalog-query.ts defaults).
  const apiQuery = new URLSearchParams([
    ['populate[cover][fields][0]', 'url'],
    ['populate[cover][fields][1]', 'alternativeText'],
    ['populate[cover][fields][2]', 'width'],
    ['populate[cover][fields][3]', 'height'],
    ['populate[category][fields][0]', 'name'],
    ['populate[category][fields][1]', 'slug'],
    ['populate[instructors][fields][0]', 'name'],
    ['sort[0]', 'publishedAt:desc'],
    ['sort[1]', 'title:asc'],
    ['pagination[page]', '1'],
    ['pagination[pageSize]', '6'],
  ]);
  const targets = {
    catalog: `${siteUrl}/`,
    course: `${siteUrl}/courses/${COURSE_SLUG}`,
    api: `${apiUrl}/api/courses?${apiQuery}`,
  };
  for (const [name, url] of Object.entries(targets)) {
    const response = await fetch(url);
    if (response.status !== 200) throw new Error(`${name}: GET ${url} answered ${response.status}`);
  }

  const etag = (await fetch(targets.api)).headers.get('etag');
  if (!etag) throw new Error(`api: GET ${targets.api} sent no ETag`);
  const runs = {
    catalog: { url: targets.catalog },
    course: { url: targets.course },
    api_uncached: { url: targets.api, options: { uniqueUrls: true } },
    api: { url: targets.api },
    api_304: { url: targets.api, options: { headers: { 'if-none-match': etag } }, expected: 304 },
  };
  const results = {};
  for (const [name, { url, options, expected }] of Object.entries(runs)) {
    await warm(url);
    results[name] = summary(await bench(name, url, options), expected);
    console.log(`[bench] ${name.padEnd(12)} ${String(results[name].rps).padStart(6)} req/s  p50 ${results[name].p50} ms  p99 ${results[name].p99} ms  errors ${results[name].errors}   ${url}`);
  }
  const times = (a, b) => Number((a / Math.max(b, 1)).toFixed(1));

  const line = {
    catalog_rps: results.catalog.rps,
    catalog_p99_ms: results.catalog.p99,
    course_rps: results.course.rps,
    course_p99_ms: results.course.p99,
    api_rps: results.api.rps,
    api_p99_ms: results.api.p99,
    ratio: times(results.catalog.rps, results.api_uncached.rps),
    api_uncached_rps: results.api_uncached.rps,
    api_uncached_p99_ms: results.api_uncached.p99,
    api_304_rps: results.api_304.rps,
    api_304_p99_ms: results.api_304.p99,
    api_vs_uncached: times(results.api.rps, results.api_uncached.rps),
    api_304_vs_uncached: times(results.api_304.rps, results.api_uncached.rps),
    connections: CONNECTIONS,
    duration_s: DURATION_S,
    site_errors: results.catalog.errors + results.course.errors,
    api_errors: results.api.errors + results.api_uncached.errors + results.api_304.errors,
  };
  const ok = line.ratio >= 5 && line.catalog_p99_ms < 50 && line.site_errors === 0;
  console.log(`\n[bench] target: catalog ≥ 5× the uncached API rate and p99 < 50 ms — ${ok ? 'met' : 'NOT met'}`);
  console.log(`BENCH site ${JSON.stringify(line)}`);
  if (!ok) process.exitCode = 1;
} finally {
  await stopAll();
}
