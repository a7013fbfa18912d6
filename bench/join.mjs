// npm run bench:join — a join storm at class start, next to a plain Strapi read, on SQLite and PostgreSQL.
//
// For each engine: boots Strapi (production mode, a fresh seeded database, no admin panel) in its
// own process, which prepares N enrolled students with open sessions and one LIVE class of their
// course. Then, from this process with autocannon at 50 concurrent connections, in the same run
// (each path warmed with 300 requests first):
//   join      each of 2000 students calls GET /api/live/sessions/:id/join once (a first join: auth,
//             enrolment check, attendance row, a signed playback URL);
//   courses   the same number of plain anonymous `GET /api/courses` — the baseline;
//   context   the same GET /api/courses signed in as those students, and GET /api/users/me (the
//             cheapest signed-in request: what users-permissions auth costs on its own).
// Ends with one line: BENCH join {"sqlite":{…},"postgres":{…},"ratio":…} where ratio is the lower
// of the two engines' join_rps ÷ courses_rps. Target: ratio ≥ 1 and join p99 < 100 ms.
// BENCH_STUDENTS, BENCH_ENGINES=sqlite|postgres, BENCH_CONNECTIONS change the run.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { productionStrapiEnv, freePort } from './lib/strapi-env.mjs';
import { prepareClass } from './lib/live-class.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cmsDir = path.join(root, 'cms');
const requireFromCms = createRequire(path.join(cmsDir, 'package.json'));
const requireFromRoot = createRequire(path.join(root, 'package.json'));

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WARMUP = 300;
const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 2300);
const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

// ── Child mode: a Strapi process with the class prepared ─────────────────────────────────────
if (process.argv[2] === '--strapi') {
  const { createStrapi } = requireFromCms('@strapi/strapi');
  const strapi = await createStrapi({ appDir: cmsDir, distDir: path.join(cmsDir, 'dist'), serveAdminPanel: false, autoReload: false }).load();
  await strapi.server.mount();
  const fixture = await prepareClass(strapi, Number(process.env.BENCH_STUDENTS));
  fs.writeFileSync(process.env.BENCH_FIXTURE, JSON.stringify(fixture));
  strapi.server.httpServer.listen(0, '127.0.0.1', () => console.log(`LISTENING ${strapi.server.httpServer.address().port}`));
  process.on('SIGTERM', () => strapi.destroy().then(() => process.exit(0), () => process.exit(1)));
  await new Promise(() => {});
}

// ── Main ─────────────────────────────────────────────────────────────────────────────────────
async function withPg(fn) {
  const { Client } = requireFromRoot('pg');
  const client = new Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function startStrapi(engine, workDir) {
  const env = {
    ...productionStrapiEnv(workDir),
    LOCAL_RTMP_PORT: String(await freePort()),
    LOCAL_MEDIA_HTTP_PORT: String(await freePort()),
    BENCH_STUDENTS: String(STUDENTS),
    BENCH_FIXTURE: path.join(workDir, `${engine}-fixture.json`),
  };
  let drop = async () => {};
  if (engine === 'postgres') {
    const name = `skillyug_bench_${crypto.randomBytes(4).toString('hex')}`;
    await withPg((c) => c.query(`CREATE DATABASE "${name}"`));
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    env.DATABASE_POOL_MAX = '20';
    drop = () => withPg((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  } else {
    env.SQLITE_FILENAME = path.join(workDir, 'bench.db');
  }

  // BENCH_PROFILE=<dir>: a V8 CPU profile of the Strapi process, for finding where a join spends its time.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, fileURLToPath(import.meta.url), '--strapi'], { cwd: cmsDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /LISTENING (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
      if (/\[bench\]/.test(String(chunk))) process.stdout.write(`  ${engine}: ${String(chunk).trim()}\n`);
    });
    child.on('exit', (code) => reject(new Error(`Strapi (${engine}) exited with ${code}:\n${output.slice(-4000)}`)));
  });
  const fixture = JSON.parse(fs.readFileSync(env.BENCH_FIXTURE, 'utf8'));
  return {
    url: `http://127.0.0.1:${port}`,
    fixture,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await drop();
    },
  };
}

/**
 * `amount` requests at CONNECTIONS concurrency; `headersFor(i)` gives request i its headers.
 * The rate is completed requests over the time from the first request to the last response
 * (autocannon's own start/finish are on a one-second tick, too coarse for runs of a few seconds).
 */
function storm(title, url, amount, headersFor = () => ({})) {
  let next = 0;
  let lastResponse = 0;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        amount,
        timeout: 60,
        title,
        requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, ...headersFor(next++) } }) }],
      },
      (error, result) => (error ? reject(error) : resolve({ ...result, wallSeconds: (lastResponse - started) / 1000 }))
    );
    instance.on('response', () => {
      lastResponse = performance.now();
    });
  });
}

const summary = (result) => ({
  rps: Math.round(result.requests.total / Math.max(result.wallSeconds, 0.001)),
  p50: result.latency.p50,
  p99: result.latency.p99,
  p90: result.latency.p90,
  max: result.latency.max,
  errors: result.errors + result.timeouts + result.non2xx,
  total: result.requests.total,
  seconds: Number(result.wallSeconds.toFixed(2)),
});

const uploadsDir = path.join(cmsDir, 'public', 'uploads');
const uploadsBefore = new Set(fs.existsSync(uploadsDir) ? fs.readdirSync(uploadsDir) : []);
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillyug-bench-join-'));
const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',');
const figures = {};

try {
  console.log('[bench] compiling Strapi…');
  const { compileStrapi } = requireFromCms('@strapi/strapi');
  await compileStrapi({ appDir: cmsDir, ignoreDiagnostics: true });

  for (const engine of engines) {
    console.log(`[bench] ${engine}: starting Strapi and preparing ${STUDENTS} enrolled students and a live class…`);
    const app = await startStrapi(engine, workDir);
    try {
      const { sessionId, tokens } = app.fixture;
      const joinUrl = `${app.url}/api/live/sessions/${sessionId}/join`;
      const coursesUrl = `${app.url}/api/courses`;
      const probe = await fetch(joinUrl, { headers: { authorization: `Bearer ${tokens[0]}` } });
      if (probe.status !== 200) throw new Error(`join answered ${probe.status}: ${await probe.text()}`);
      // Warm both paths the same way: a few hundred requests each, the join's by students kept out of the storm.
      const warmers = tokens.slice(1, WARMUP + 1);
      const stormers = tokens.slice(WARMUP + 1);
      const as = (list) => (i) => ({ authorization: `Bearer ${list[i % list.length]}` });
      await storm('warm courses', coursesUrl, WARMUP);
      await storm('warm join', joinUrl, WARMUP, as(warmers));

      const join = summary(await storm('join', joinUrl, stormers.length, as(stormers)));
      const courses = summary(await storm('courses', coursesUrl, stormers.length));
      // Context: the same students reading the catalog signed in, and the cheapest signed-in read (users-permissions auth + one row).
      const coursesSignedIn = summary(await storm('courses signed in', coursesUrl, stormers.length, as(stormers)));
      const me = summary(await storm('me', `${app.url}/api/users/me`, stormers.length, as(stormers)));
      figures[engine] = {
        join_rps: join.rps,
        join_p50_ms: join.p50,
        join_p99_ms: join.p99,
        join_errors: join.errors,
        courses_rps: courses.rps,
        courses_p50_ms: courses.p50,
        courses_p99_ms: courses.p99,
        courses_signed_in_rps: coursesSignedIn.rps,
        courses_signed_in_p99_ms: coursesSignedIn.p99,
        me_rps: me.rps,
        me_p99_ms: me.p99,
        ratio: Number((join.rps / Math.max(courses.rps, 1)).toFixed(2)),
        ratio_signed_in: Number((join.rps / Math.max(coursesSignedIn.rps, 1)).toFixed(2)),
      };
      console.log(`[bench] ${engine}: join    ${String(join.rps).padStart(5)} req/s  p50 ${join.p50} ms  p90 ${join.p90} ms  p99 ${join.p99} ms  max ${join.max} ms  errors ${join.errors}  (${join.total} first joins in ${join.seconds} s, ${join.errors} errors)`);
      console.log(`[bench] ${engine}: courses ${String(courses.rps).padStart(5)} req/s  p50 ${courses.p50} ms  p99 ${courses.p99} ms  errors ${courses.errors}`);
      console.log(`[bench] ${engine}: courses signed in ${String(coursesSignedIn.rps).padStart(5)} req/s  p50 ${coursesSignedIn.p50} ms  p99 ${coursesSignedIn.p99} ms  (context: the same students, authenticated)`);
      console.log(`[bench] ${engine}: users/me ${String(me.rps).padStart(5)} req/s  p50 ${me.p50} ms  p99 ${me.p99} ms  (context: the cheapest signed-in read)`);
    } finally {
      await app.stop();
    }
  }

  const ratio = Math.min(...Object.values(figures).map((f) => f.ratio));
  const p99 = Math.max(...Object.values(figures).map((f) => f.join_p99_ms));
  const errors = Object.values(figures).reduce((sum, f) => sum + f.join_errors, 0);
  const ok = ratio >= 1 && p99 < 100 && errors === 0;
  console.log(`\n[bench] target: join ≥ the plain GET /api/courses rate and join p99 < 100 ms at ${CONNECTIONS} callers — ${ok ? 'met' : 'NOT met'}`);
  console.log(`BENCH join ${JSON.stringify({ ...figures, ratio, students: STUDENTS - WARMUP - 1, connections: CONNECTIONS })}`);
  if (!ok) process.exitCode = 1;
} finally {
  if (fs.existsSync(uploadsDir)) for (const name of fs.readdirSync(uploadsDir)) if (!uploadsBefore.has(name)) fs.rmSync(path.join(uploadsDir, name), { force: true });
  fs.rmSync(workDir, { recursive: true, force: true });
}
