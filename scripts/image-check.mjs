// The production image, checked without an image builder (CI can't pull the base image):
//   1. replays the Dockerfile's stages as written — every COPY (with .dockerignore), ENV, WORKDIR
//      and RUN — in temp directories, from a clean copy of the repository, in a bare environment
//      (no .env, none of this shell's variables);
//   2. starts the runtime stage's CMD without secrets and expects a refusal naming each missing one;
//   3. starts it with secrets (SQLite in a temp dir, free ports) and waits for the Dockerfile's
//      HEALTHCHECK to pass, then stops it.
// The base image's own content (Node, the system packages its `apt-get install` line adds) comes
// from the host: a RUN line starting with apt-get is checked (the packages must be installed), not run.
// Usage: node scripts/image-check.mjs [--keep]  (--keep leaves the temp directories for a look)
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { root, step } from './lib.mjs';

const keep = process.argv.includes('--keep');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'skillyug-image-'));
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const fail = (message) => {
  console.error(`\n✗ image check: ${message}`);
  process.exitCode = 1;
  throw new Error(message);
};

// ── The Dockerfile, as instructions ──────────────────────────────────────────────────────────

/** Instructions with continuation lines joined; comments and the parser directive dropped. */
function parseDockerfile(text) {
  const lines = text.split('\n');
  const instructions = [];
  let current = '';
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (!current && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    if (current && line.trimStart().startsWith('#')) continue; // a comment inside a continued instruction
    current += (current ? ' ' : '') + line.replace(/\\$/, '').trim();
    if (!line.endsWith('\\')) {
      const [, keyword, args] = current.match(/^(\w+)\s+([\s\S]*)$/);
      instructions.push({ keyword: keyword.toUpperCase(), args });
      current = '';
    }
  }
  return instructions;
}

/** ENV a=b c="d e" (or the legacy ENV a b). */
function parseEnvArgs(args) {
  if (!/^\S+=/.test(args)) {
    const [name, ...rest] = args.split(/\s+/);
    return { [name]: rest.join(' ') };
  }
  const values = {};
  for (const [, name, quoted, bare] of args.matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/g)) {
    values[name] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare;
  }
  return values;
}

/** COPY [--from=x] [--chown=y] src… dest */
function parseCopy(args) {
  const words = args.split(/\s+/);
  const flags = Object.fromEntries(words.filter((w) => w.startsWith('--')).map((w) => w.slice(2).split('=')));
  const paths = words.filter((w) => !w.startsWith('--'));
  return { from: flags.from, sources: paths.slice(0, -1), dest: paths.at(-1) };
}

// ── The build context: the repository's files minus .dockerignore ────────────────────────────

function globToRegExp(pattern) {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      out += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Docker's rule: the last matching pattern wins; a pattern matching a directory covers what is under it. */
function dockerIgnore(text) {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = path.posix.normalize((negate ? line.slice(1) : line).replace(/^\//, ''));
      return { negate, regexp: globToRegExp(pattern) };
    });
  return (file) => {
    const prefixes = file.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    let ignored = false;
    for (const rule of rules) if (prefixes.some((prefix) => rule.regexp.test(prefix))) ignored = !rule.negate;
    return ignored;
  };
}

/**
 * A clean copy of the repository: the files git knows (tracked, and new ones that aren't
 * git-ignored — on CI's clean checkout that is exactly HEAD), minus .dockerignore.
 */
function makeContext(dir) {
  const ignored = dockerIgnore(fs.readFileSync(path.join(root, '.dockerignore'), 'utf8'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file && !ignored(file) && fs.existsSync(path.join(root, file)));
  for (const file of new Set(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(dir, file));
  }
  return files.length;
}

// ── Replaying the stages ─────────────────────────────────────────────────────────────────────

/** What a bare container has: a PATH and a HOME (HOME is this user's, so npm reuses its download cache). */
const bareEnv = { PATH: process.env.PATH, HOME: os.homedir() };

/** Docker's COPY: a directory's contents merge into dest; a file lands in dest (or under it when dest is a directory). */
function copyInto(source, dest, destIsDir) {
  if (!fs.existsSync(source)) fail(`COPY: ${source} does not exist`);
  if (fs.statSync(source).isDirectory()) {
    fs.cpSync(source, dest, { recursive: true, verbatimSymlinks: true });
  } else {
    const target = destIsDir ? path.join(dest, path.basename(source)) : dest;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.cpSync(source, target);
  }
}

function runShell(command, { cwd, env }) {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`RUN ${command} → ${signal ?? code}`))));
  });
}

/** `apt-get install … pkg…` lines add system packages to the base image: here the host must have them. */
function checkSystemPackages(command) {
  const install = command.match(/apt-get install ([^&;|]*)/);
  const packages = (install?.[1] ?? '').split(/\s+/).filter((word) => word && !word.startsWith('-'));
  const installed = (name) => {
    try {
      return execFileSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes('install ok installed');
    } catch {
      return false; // dpkg knows no such package
    }
  };
  const missing = packages.filter((name) => !installed(name));
  if (missing.length > 0) fail(`system packages ${missing.join(', ')} are not installed on this host (the image's apt-get line installs them)`);
  console.log(`  (system packages ${packages.join(', ')}: present on the host, not installed here)`);
}

/**
 * The image's runtime stage makes directories owned by the image's `node` user. When the host has
 * no such user, `chown` is a no-op for the replay (ownership is the image's concern, not the build's).
 */
function chownShim() {
  try {
    execFileSync('id', ['node'], { stdio: 'ignore' });
    return null;
  } catch {
    const dir = path.join(work, 'shim');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'chown'), '#!/bin/sh\necho "  (chown $*: the host has no node user; skipped)"\n', { mode: 0o755 });
    return dir;
  }
}

async function replay(instructions, contextDir) {
  const stages = new Map(); // name → { dir, workdir, env }
  const laterReferences = (index, name) =>
    instructions.slice(index + 1).some(({ keyword, args }) => (keyword === 'FROM' && args.split(/\s+/)[0] === name) || (keyword === 'COPY' && parseCopy(args).from === name));
  let stage = null;
  const timings = [];
  const shim = chownShim();

  for (const [index, { keyword, args }] of instructions.entries()) {
    if (keyword === 'FROM') {
      const [image, , name = `stage${stages.size}`] = args.split(/\s+/);
      const parent = stages.get(image);
      const dir = path.join(work, 'stages', name);
      if (parent) {
        // FROM an earlier stage: its filesystem (moved when nothing else needs it; copying node_modules is slow).
        if (laterReferences(index, image)) fs.cpSync(parent.dir, dir, { recursive: true, verbatimSymlinks: true });
        else fs.renameSync(parent.dir, dir);
      } else fs.mkdirSync(dir, { recursive: true });
      stage = { name, dir, workdir: parent?.workdir ?? '/', env: { ...(parent?.env ?? {}) } };
      stages.set(name, stage);
      step(`stage ${name} (FROM ${image}) [${elapsed()}]`);
      continue;
    }
    const cwd = path.join(stage.dir, stage.workdir);
    if (keyword === 'WORKDIR') {
      stage.workdir = path.posix.resolve(stage.workdir, args);
      fs.mkdirSync(path.join(stage.dir, stage.workdir), { recursive: true });
    } else if (keyword === 'ENV') {
      Object.assign(stage.env, parseEnvArgs(args));
    } else if (keyword === 'COPY') {
      const { from, sources, dest } = parseCopy(args);
      const destPath = path.resolve(cwd, dest.startsWith('/') ? path.join(stage.dir, dest) : dest);
      const destIsDir = dest.endsWith('/') || dest === '.' || sources.length > 1;
      for (const source of sources) {
        const sourcePath = from ? path.join(stages.get(from).dir, source) : path.join(contextDir, source);
        copyInto(sourcePath, destPath, destIsDir);
      }
    } else if (keyword === 'RUN') {
      console.log(`  RUN ${args}`);
      if (/^apt-get\b/.test(args)) {
        checkSystemPackages(args);
        continue;
      }
      const t = Date.now();
      const env = { ...bareEnv, ...stage.env, ...(shim ? { PATH: `${shim}:${bareEnv.PATH}` } : {}) };
      await runShell(args, { cwd, env });
      timings.push(`${stage.name}: ${args.slice(0, 50)}… ${((Date.now() - t) / 1000).toFixed(0)} s`);
    } else if (!['USER', 'EXPOSE', 'HEALTHCHECK', 'CMD', 'LABEL'].includes(keyword)) {
      // Read at start time (CMD, HEALTHCHECK) or about the image only (USER, EXPOSE, LABEL); anything else would be skipped silently.
      fail(`the Dockerfile uses ${keyword}, which this replay doesn't know: teach scripts/image-check.mjs`);
    }
  }
  return { stage, timings };
}

// ── Starting the runtime stage ───────────────────────────────────────────────────────────────

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** The CMD in exec form, as argv. */
const commandOf = (instructions) => JSON.parse(instructions.findLast((i) => i.keyword === 'CMD').args);
/** The HEALTHCHECK's CMD (shell form). */
const healthcheckOf = (instructions) => instructions.findLast((i) => i.keyword === 'HEALTHCHECK').args.replace(/^(--\S+\s+)*CMD\s+/, '');

/** Starts the image's CMD; resolves with its output when it exits. */
function startImage(runtime, argv, env) {
  const cwd = path.join(runtime.dir, runtime.workdir);
  const child = spawn(argv[0], argv.slice(1), { cwd, env: { ...bareEnv, ...runtime.env, ...env }, detached: true });
  let output = '';
  const collect = (chunk) => {
    output += chunk;
    process.stdout.write(chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, output })));
  return { child, exited, output: () => output };
}

/** Stops the whole process group (Strapi, the site, and concurrently above them). */
async function stop(run) {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return run.exited;
  process.kill(-run.child.pid, 'SIGTERM');
  const killer = setTimeout(() => process.kill(-run.child.pid, 'SIGKILL'), 15_000);
  const result = await run.exited;
  clearTimeout(killer);
  return result;
}

async function refusesWithoutSecrets(runtime, argv, tmp) {
  step(`start without secrets: must refuse [${elapsed()}]`);
  const run = startImage(runtime, argv, { SQLITE_FILENAME: path.join(tmp, 'refused.db'), PORT: String(await freePort()), SITE_PORT: String(await freePort()) });
  const timeout = setTimeout(() => stop(run), 120_000);
  const { code } = await run.exited;
  clearTimeout(timeout);
  if (code === 0 || code === null) fail('started without secrets');
  const missing = ['APP_KEYS', 'API_TOKEN_SALT', 'ADMIN_JWT_SECRET', 'TRANSFER_TOKEN_SALT', 'JWT_SECRET', 'ENCRYPTION_KEY', 'DATA_ENCRYPTION_KEY', 'SMTP_HOST'];
  const unnamed = missing.filter((name) => !run.output().includes(`${name}: required in production`));
  if (unnamed.length > 0) fail(`the refusal does not name ${unnamed.join(', ')}`);
  console.log(`✓ refused to start (exit ${code}), naming ${missing.join(', ')}`);
}

async function servesWithSecrets(runtime, argv, healthcheck, tmp) {
  step(`start with secrets: must pass the HEALTHCHECK [${elapsed()}]`);
  const secret = () => crypto.randomBytes(32).toString('base64');
  const [port, sitePort, rtmpPort, mediaPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const env = {
    // Spelled out, not @skillyug/config's generateSecrets(): this check runs before anything is built.
    APP_KEYS: `${secret()},${secret()}`,
    API_TOKEN_SALT: secret(),
    ADMIN_JWT_SECRET: secret(),
    TRANSFER_TOKEN_SALT: secret(),
    JWT_SECRET: secret(),
    ENCRYPTION_KEY: secret(),
    DATA_ENCRYPTION_KEY: secret(),
    SMTP_HOST: '127.0.0.1', // nothing is mailed during this check
    SQLITE_FILENAME: path.join(tmp, 'data.db'),
    PORT: String(port),
    SITE_PORT: String(sitePort),
    LOCAL_RTMP_PORT: String(rtmpPort),
    LOCAL_MEDIA_HTTP_PORT: String(mediaPort),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    API_URL: `http://127.0.0.1:${port}`,
    SITE_URL: `http://127.0.0.1:${sitePort}`,
  };
  const run = startImage(runtime, argv, env);
  const probe = () =>
    new Promise((resolve) => {
      const check = spawn('/bin/sh', ['-c', healthcheck], { env: { ...bareEnv, ...runtime.env, ...env }, stdio: 'ignore' });
      check.on('exit', (code) => resolve(code === 0));
    });
  try {
    // Poll the HEALTHCHECK until it passes, the processes exit, or three minutes pass (a cold start on a busy machine).
    const deadline = Date.now() + 180_000;
    let healthy = false;
    while (!healthy && Date.now() < deadline && run.child.exitCode === null) {
      healthy = await probe();
      if (!healthy) await new Promise((resolve) => setTimeout(resolve, 1_000)); // the poll interval, not a wait for an outcome
    }
    if (!healthy) fail(run.child.exitCode !== null ? `the image exited (${run.child.exitCode}) before it was healthy` : 'not healthy within 3 minutes');
    const strapi = await fetch(`http://127.0.0.1:${port}/api/live/health`);
    const site = await fetch(`http://127.0.0.1:${sitePort}/healthz`);
    const admin = await fetch(`http://127.0.0.1:${port}/admin`);
    console.log(`✓ healthy after ${elapsed()}: /api/live/health ${strapi.status} ${await strapi.text()}`);
    console.log(`  site /healthz ${site.status} ${(await site.text()).slice(0, 200)}`);
    console.log(`  /admin ${admin.status} (${admin.headers.get('content-type')})`);
    if (!strapi.ok || !site.ok || !admin.ok) fail('a health endpoint or the admin panel is not OK');
    const docs = await fetch(`http://127.0.0.1:${port}/api/openapi.json`);
    if (docs.status !== 404) fail(`/api/openapi.json answered ${docs.status} in production (it is off unless API_DOCS=true)`);
    console.log('  /api/openapi.json 404 (off in production)');
  } finally {
    const { code, signal } = await stop(run);
    console.log(`  stopped (${signal ?? `exit ${code}`})`);
  }
}

// ── Main ─────────────────────────────────────────────────────────────────────────────────────

try {
  const instructions = parseDockerfile(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
  step(`build context: the repository's files minus .dockerignore → ${work}`);
  const contextDir = path.join(work, 'context');
  console.log(`  ${makeContext(contextDir)} files`);
  const { stage: runtime, timings } = await replay(instructions, contextDir);
  console.log(`\n${timings.map((t) => `  ${t}`).join('\n')}`);
  const tmp = path.join(work, 'data');
  fs.mkdirSync(tmp);
  const argv = commandOf(instructions);
  await refusesWithoutSecrets(runtime, argv, tmp);
  await servesWithSecrets(runtime, argv, healthcheckOf(instructions), tmp);
  console.log(`\n✓ image check passed in ${elapsed()}`);
} catch (error) {
  if (!process.exitCode) {
    console.error(error);
    process.exitCode = 1;
  }
} finally {
  if (keep) console.log(`kept ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
}
