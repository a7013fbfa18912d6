import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A locally installed tool (no npx: it adds a slow resolution step and noise). */
export const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** Runs a command from the repo root, streaming its output; rejects on a non-zero exit. */
export function run(command, args, { env = {}, cwd = root } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${signal ?? code}`))
    );
  });
}

/** The packages other workspaces import compiled: the shared config, then the live plugin's server. */
export async function buildLibraries() {
  await run(bin('tsc'), ['-p', 'config/tsconfig.json']);
  await run(bin('tsc'), ['-p', 'src-plugins/live/server/tsconfig.json']);
}

export const step = (message) => console.log(`\n\x1b[1m▶ ${message}\x1b[0m`);
