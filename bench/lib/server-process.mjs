// Benchmark servers in child processes of their own (a Strapi, or the bare socket.io baseline):
// started on a free port, asked for their own figures (RSS, CPU time, open connections) over IPC,
// stopped with SIGTERM.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { freePort } from './strapi-env.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const cmsDir = path.resolve(here, '..', '..', 'cms');

/** Compiles cms/ to cms/dist (Strapi only loads compiled JS), as `npm test` does. */
export async function compileStrapi() {
  const requireFromCms = createRequire(path.join(cmsDir, 'package.json'));
  await requireFromCms('@strapi/strapi').compileStrapi({ appDir: cmsDir, ignoreDiagnostics: true });
}

/**
 * Spawns `node --expose-gc <script>` (which must answer stats with process-stats.mjs and send
 * `{ type: 'listening', port }` when ready). `profileDir`: a V8 CPU profile of the process is
 * written there when it stops. `onLog` gets the child's `[bench]` lines (its progress).
 */
export async function startServerProcess({ label, script, env, cwd, profileDir, onLog = () => {} }) {
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`, `--cpu-prof-name=${label}-${Date.now()}.cpuprofile`] : [];
  const child = spawn(process.execPath, ['--expose-gc', ...profile, script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', (chunk) => {
    keep(chunk);
    for (const line of String(chunk).split('\n')) if (line.includes('[bench]')) onLog(line.trim());
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const port = await new Promise((resolve, reject) => {
    child.on('message', (message) => message?.type === 'listening' && resolve(message.port));
    exited.then((code) => reject(new Error(`${label} exited with ${code}:\n${output.slice(-4000)}`)));
  });

  let nextId = 0;
  const pending = new Map();
  child.on('message', (message) => {
    if (message?.type !== 'stats') return;
    pending.get(message.id)?.resolve(message);
    pending.delete(message.id);
  });
  exited.then((code) => {
    for (const { reject } of pending.values()) reject(new Error(`${label} exited with ${code}:\n${output.slice(-4000)}`));
    pending.clear();
  });

  return {
    label,
    pid: child.pid,
    port,
    url: `http://127.0.0.1:${port}`,
    /** `{ rss, cpu: { user, system } (µs), connections, at }`; `gc` collects garbage first. */
    stats({ gc = false } = {}) {
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`${label} is not running:\n${output.slice(-4000)}`));
        pending.set(id, { resolve, reject });
        child.send({ type: 'stats', id, gc }, (error) => error && reject(error));
      });
    },
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timeout = new Promise((resolve) => setTimeout(resolve, 15_000, 'timeout'));
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/**
 * A Strapi (strapi-child.mjs) on 127.0.0.1 and a free port, whose public URL (what realtime grants
 * carry) is that address. `env`: productionStrapiEnv plus the database. With `students`, it
 * prepares a LIVE class (live-class.mjs) first; its fixture comes back as `fixture`.
 */
export async function startStrapiProcess({ label, env, students = 0, fixturePath, profileDir, onLog }) {
  const port = await freePort();
  const server = await startServerProcess({
    label: `strapi-${label}`,
    script: path.join(here, 'strapi-child.mjs'),
    cwd: cmsDir,
    profileDir,
    onLog,
    env: {
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOCAL_RTMP_PORT: String(await freePort()),
      LOCAL_MEDIA_HTTP_PORT: String(await freePort()),
      BENCH_STUDENTS: String(students),
      ...(fixturePath ? { BENCH_FIXTURE: fixturePath } : {}),
    },
  });
  return { ...server, fixture: students > 0 ? JSON.parse(fs.readFileSync(fixturePath, 'utf8')) : null };
}
