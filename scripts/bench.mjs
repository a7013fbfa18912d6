// npm run bench [NAME…]: runs bench/NAME.mjs (all of them without names). Each prints its
// figures and ends with one `BENCH <name> <json>` line.
import fs from 'node:fs';
import path from 'node:path';
import { root, run, buildLibraries, step } from './lib.mjs';

const dir = path.join(root, 'bench');
const available = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -4)) : [];
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${available.join(', ') || 'none yet'}`);
  process.exit(2);
}
await buildLibraries();
for (const name of wanted.length ? wanted : available) {
  step(`bench ${name}`);
  await run(process.execPath, [path.join(dir, `${name}.mjs`)]);
}
