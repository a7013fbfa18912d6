// npm start: the production processes (after `npm run build`): Strapi and the site's Node server.
// `node scripts/start.mjs cms` or `… site` starts one of them (one per container: the ECS services run
// the same image with either role, infra/lib/compute-stack.ts); no argument starts both (one machine, the image's CMD).
// Plain child processes, no dev tooling: the image prunes devDependencies. When one process exits
// the other is stopped and npm start exits with the first one's status (a supervisor restarts both).
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { root, bin } from './lib.mjs';

process.env.NODE_ENV ??= 'production';
// Only a build may skip the production secrets check (see scripts/build.mjs); a start never does.
delete process.env.SKILLYUG_BUILD;

const ROLES = {
  cms: { name: 'cms', command: bin('strapi'), args: ['start'], cwd: path.join(root, 'cms') },
  site: { name: 'site', command: process.execPath, args: ['server.mjs'], cwd: path.join(root, 'site') },
};
const role = process.argv[2];
if (role !== undefined && !Object.hasOwn(ROLES, role)) {
  console.error(`Usage: node scripts/start.mjs [cms|site] — got "${role}" (no argument starts both)`);
  process.exit(2);
}
const processes = role ? [ROLES[role]] : Object.values(ROLES);

let exitCode = null;
/** The first process to end decides npm start's status; the others are stopped. */
function ended(name, status, why) {
  if (exitCode !== null) return;
  exitCode = status;
  process.exitCode = status;
  console.log(`[${name}] ${why}; stopping the others`);
  stopAll('SIGTERM');
}

// One role: its output as is (a JSON log line stays one JSON object for CloudWatch); both: each line prefixed.
const prefixed = processes.length > 1;
const children = processes.map(({ name, command, args, cwd }) => {
  const child = spawn(command, args, { cwd, stdio: ['ignore', prefixed ? 'pipe' : 'inherit', prefixed ? 'pipe' : 'inherit'] });
  if (prefixed) {
    readline.createInterface({ input: child.stdout }).on('line', (line) => process.stdout.write(`[${name}] ${line}\n`));
    readline.createInterface({ input: child.stderr }).on('line', (line) => process.stderr.write(`[${name}] ${line}\n`));
  }
  child.on('error', (error) => ended(name, 1, `could not start: ${error.message}`));
  child.on('exit', (code, signal) => ended(name, code ?? 1, `exited with ${signal ?? code}`));
  return child;
});

function stopAll(signal) {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    // Asked to stop: a clean exit, whatever status the children stop with.
    exitCode ??= 0;
    process.exitCode = exitCode;
    stopAll(signal);
  });
}
