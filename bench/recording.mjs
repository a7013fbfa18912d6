// npm run bench:recording — processing a 10-minute local recording, from "End" to "ready".
//
// Input: a 10-minute FLV made like a live encoder's stream (ffmpeg's testsrc at 1280x720 30 fps,
// libx264 veryfast at a constant 2,500 kb/s with filler so the file has a real stream's size,
// a keyframe every 2 s, AAC 128 kb/s), then given node-media-server's metadata tag
// (`@setDataFrame`, duration 0: the extra data stream its recordings have). Generated once
// (a few minutes, with progress) and cached under $TMPDIR/skillyug-bench-cache/, keyed by its
// parameters. The file is read once before measuring: the ingest has just written it, so on the
// server it is in the page cache too.
//
// Each run (BENCH_RUNS, default 3; the median run's figures are reported) does what the local
// recording worker does after a class ends, with the plugin's compiled code:
//   remux       processRecordingMedia: FLV → MP4 (-c copy, +faststart);
//   thumbnails  processRecordingMedia: the poster and the strip (every 10 s) from the MP4;
//   store       the MP4, poster and strip into a disk storage (recordings/storage diskStorage.putFile,
//               the default LOCAL backend) under recordings/<id>/.
// The worker's database writes (a few row updates) are not included.
//
// CPU: this process's own (process.cpuUsage) plus its ffmpeg children's, read from the kernel as
// the cutime + cstime fields of /proc/self/stat: the CPU time of every child this process has
// waited for. Node reaps each ffmpeg before the run's promise settles, so the difference across a
// run is exactly the ffmpeg processes of that run (10 ms resolution).
//
// Ends with one line: BENCH recording {…} with ratio = the recording's length ÷ the wall time from
// "End" to "ready" (remux + thumbnails + store). Baseline: real time (ratio 1 = as long as the class).
// Target: ratio ≥ 20, i.e. 10 minutes processed in under 30 s.
// The same runs are made with the npm-shipped ffmpeg (@ffmpeg-installer/ffmpeg: what a machine
// without Debian's ffmpeg uses) and reported under `npm`. BENCH_NAIVE=1 also times the obvious
// thumbnail pass that decodes every frame (`-vf fps=1/10`), for comparison.
// BENCH_RECORDING_SECONDS (600), BENCH_RECORDING_SIZE (1280x720) change the input.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const requireFromRoot = createRequire(path.join(root, 'package.json'));
const dist = path.join(root, 'src-plugins', 'live', 'dist', 'server', 'recordings');
const { locateFfmpeg, runFfmpeg } = requireFromRoot(path.join(dist, 'media', 'ffmpeg.js'));
const { processRecordingMedia } = requireFromRoot(path.join(dist, 'media', 'pipeline.js'));
const { diskStorage } = requireFromRoot(path.join(dist, 'storage', 'index.js'));

const SECONDS = Number(process.env.BENCH_RECORDING_SECONDS ?? 600);
const SIZE = process.env.BENCH_RECORDING_SIZE ?? '1280x720';
const FPS = 30;
const KEYFRAME_SECONDS = 2;
const VIDEO_KBPS = 2500;
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const NAIVE = process.env.BENCH_NAIVE === '1';
const TARGET_RATIO = 20;

const progress = (line) => console.log(`[bench] ${line}`);
const round = (value, digits = 2) => Number(value.toFixed(digits));
const mb = (bytes) => round(bytes / (1024 * 1024), 1);

// ── The input ─────────────────────────────────────────────────────────────────────────────────
const cacheDir = path.join(os.tmpdir(), 'skillyug-bench-cache');
const inputKey = `recording-testsrc-${SIZE}-${FPS}fps-${SECONDS}s-gop${KEYFRAME_SECONDS}s-${VIDEO_KBPS}k-aac128k-nms-v1`;
const input = path.join(cacheDir, `${inputKey}.flv`);

/**
 * Rewrites the FLV's first script tag the way node-media-server records the publisher's metadata:
 * `"@setDataFrame", "onMetaData", {…}` with duration 0 (a live stream has none). The rest of the
 * file is copied as it is.
 */
async function asLiveIngestFlv(source, target) {
  const fd = fs.openSync(source, 'r');
  const head = Buffer.alloc(64 * 1024);
  const headLength = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  const tagOffset = 13; // FLV header (9) + PreviousTagSize0 (4)
  if (head.toString('latin1', 0, 3) !== 'FLV' || head[tagOffset] !== 18) throw new Error(`${source}: expected an FLV starting with its metadata tag`);
  const size = head.readUIntBE(tagOffset + 1, 3);
  const bodyStart = tagOffset + 11;
  if (bodyStart + size + 4 > headLength) throw new Error(`${source}: metadata tag too large`);
  const body = Buffer.from(head.subarray(bodyStart, bodyStart + size));
  const duration = body.indexOf('duration');
  if (duration >= 0) body.writeDoubleBE(0, duration + 'duration'.length + 1);
  const name = Buffer.from('@setDataFrame');
  const prefix = Buffer.from([2, 0, name.length]);
  const newBody = Buffer.concat([prefix, name, body]);
  const tagHeader = Buffer.from(head.subarray(tagOffset, bodyStart));
  tagHeader.writeUIntBE(newBody.length, 1, 3);
  const previousTagSize = Buffer.alloc(4);
  previousTagSize.writeUInt32BE(11 + newBody.length);
  const out = fs.createWriteStream(target);
  out.write(Buffer.concat([head.subarray(0, tagOffset), tagHeader, newBody, previousTagSize]));
  const rest = fs.createReadStream(source, { start: bodyStart + size + 4 });
  await new Promise((resolve, reject) => {
    rest.on('error', reject);
    out.on('error', reject);
    out.on('finish', resolve);
    rest.pipe(out);
  });
}

async function ensureInput(generator) {
  if (fs.existsSync(input)) {
    progress(`input: ${input} (cached, ${mb(fs.statSync(input).size)} MB)`);
    return;
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  const encoded = path.join(cacheDir, `.${inputKey}.${process.pid}.encoding.flv`);
  const rewritten = path.join(cacheDir, `.${inputKey}.${process.pid}.partial.flv`);
  progress(`generating the ${SECONDS / 60}-minute input with ${generator.path} (once; cached for later runs)…`);
  const started = performance.now();
  let lastShown = -1;
  try {
    await runFfmpeg(
      generator.path,
      [
        '-f', 'lavfi', '-i', `testsrc=size=${SIZE}:rate=${FPS}`,
        '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
        '-t', String(SECONDS),
        '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p',
        '-g', String(FPS * KEYFRAME_SECONDS), '-keyint_min', String(FPS * KEYFRAME_SECONDS), '-sc_threshold', '0',
        '-b:v', `${VIDEO_KBPS}k`, '-maxrate', `${VIDEO_KBPS}k`, '-bufsize', `${2 * VIDEO_KBPS}k`, '-x264-params', 'nal-hrd=cbr',
        '-c:a', 'aac', '-b:a', '128k', '-ar', '48000',
        '-f', 'flv', '-y', encoded,
      ],
      {
        onProgress: (ms) => {
          const percent = Math.floor((100 * ms) / 1000 / SECONDS);
          if (percent < lastShown + 5) return;
          lastShown = percent;
          const elapsed = (performance.now() - started) / 1000;
          const left = percent > 0 ? (elapsed * (100 - percent)) / percent : NaN;
          progress(`  generating: ${String(percent).padStart(3)}%  (${elapsed.toFixed(0)} s, about ${Number.isFinite(left) ? left.toFixed(0) : '?'} s left)`);
        },
      }
    );
    await asLiveIngestFlv(encoded, rewritten);
    fs.renameSync(rewritten, input);
  } finally {
    fs.rmSync(encoded, { force: true });
    fs.rmSync(rewritten, { force: true });
  }
  progress(`input generated in ${((performance.now() - started) / 1000).toFixed(0)} s: ${mb(fs.statSync(input).size)} MB`);
}

/** Reads the whole file once (into the page cache), as the ingest's writes would have left it. */
async function warm(file) {
  for await (const _chunk of fs.createReadStream(file, { highWaterMark: 4 * 1024 * 1024 }));
}

// ── Measuring ─────────────────────────────────────────────────────────────────────────────────
/** USER_HZ: /proc/<pid>/stat counts CPU in ticks of 1/100 s on Linux. */
const CLOCK_TICKS = 100;

/** CPU seconds of the children this process has waited for (cutime + cstime of /proc/self/stat). */
function childrenCpuSeconds() {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command name (which is in parentheses and may hold spaces): state is field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cutime = Number(fields[16 - 3]);
  const cstime = Number(fields[17 - 3]);
  return (cutime + cstime) / CLOCK_TICKS;
}

const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function processOnce(binary, workRoot, storage, run) {
  const id = `bench-${run}-${crypto.randomBytes(3).toString('hex')}`;
  const workDir = path.join(workRoot, 'work', id);
  const stageStarts = {};
  const cpuBefore = { own: ownCpuSeconds(), children: childrenCpuSeconds() };
  const started = performance.now();
  const media = await processRecordingMedia({
    binary,
    inputs: [input],
    workDir,
    expectedDurationMs: SECONDS * 1000,
    onProgress: (stage) => (stageStarts[stage] ??= performance.now()),
  });
  const processed = performance.now();
  const prefix = `recordings/${id}/`;
  await storage.putFile(`${prefix}video.mp4`, media.video.file, { contentType: 'video/mp4' });
  await storage.putFile(`${prefix}poster.jpg`, media.poster, { contentType: 'image/jpeg' });
  for (const thumb of media.strip) await storage.putFile(`${prefix}thumbs/${path.basename(thumb.file)}`, thumb.file, { contentType: 'image/jpeg' });
  const stored = performance.now();
  fs.rmSync(workDir, { recursive: true, force: true });
  const own = ownCpuSeconds() - cpuBefore.own;
  const children = childrenCpuSeconds() - cpuBefore.children;
  const storedObjects = await storage.list(prefix);
  const storedBytes = storedObjects.reduce((sum, object) => sum + object.size, 0);
  await storage.deletePrefix(prefix);
  const thumbsStart = stageStarts.thumbnails ?? processed;
  return {
    wallSeconds: (stored - started) / 1000,
    cpuSeconds: own + children,
    ffmpegCpuSeconds: children,
    nodeCpuSeconds: own,
    stages: {
      remux: (thumbsStart - started) / 1000,
      thumbnails: (processed - thumbsStart) / 1000,
      store: (stored - processed) / 1000,
    },
    durationMs: media.video.durationMs,
    sizeBytes: media.video.sizeBytes,
    thumbnails: media.strip.length,
    storedObjects: storedObjects.length,
    storedBytes,
  };
}

async function measure(label, binary, workRoot, storage) {
  const runs = [];
  for (let run = 1; run <= RUNS; run++) {
    const result = await processOnce(binary, workRoot, storage, run);
    runs.push(result);
    progress(
      `${label} run ${run}/${RUNS}: ${result.wallSeconds.toFixed(2)} s wall (remux ${result.stages.remux.toFixed(2)} s, thumbnails ${result.stages.thumbnails.toFixed(2)} s, store ${result.stages.store.toFixed(2)} s), ${result.cpuSeconds.toFixed(2)} s CPU`
    );
  }
  const chosen = runs.find((r) => r.wallSeconds === median(runs.map((x) => x.wallSeconds)));
  return { ...chosen, allWallSeconds: runs.map((r) => round(r.wallSeconds)) };
}

function ffmpegVersion(binary) {
  return execFileSync(binary, ['-version'], { encoding: 'utf8' }).split('\n')[0].replace(/ Copyright.*/, '');
}

// ── Main ──────────────────────────────────────────────────────────────────────────────────────
const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'skillyug-bench-recording-'));
try {
  const located = locateFfmpeg(process.env.FFMPEG_PATH);
  const npmPath = requireFromRoot('@ffmpeg-installer/ffmpeg').path;
  await ensureInput(located);
  const inputBytes = fs.statSync(input).size;
  progress(`reading the input once (the ingest just wrote it: it is in the page cache on the server)…`);
  await warm(input);

  const storage = diskStorage({ root: path.join(workRoot, 'storage'), publicUrl: 'http://127.0.0.1:1337', secret: crypto.randomBytes(24).toString('base64') });
  progress(`processing with ${located.source} ffmpeg (${ffmpegVersion(located.path)}), ${RUNS} run(s)…`);
  const main = await measure(located.source, located.path, workRoot, storage);
  let npm = null;
  if (located.path !== npmPath) {
    progress(`processing with the npm ffmpeg (${ffmpegVersion(npmPath)}), ${RUNS} run(s)…`);
    npm = await measure('npm', npmPath, workRoot, storage);
  }

  let naive = null;
  if (NAIVE) {
    progress('naive thumbnails (every frame decoded, -vf fps=1/10) for comparison…');
    const mp4 = path.join(workRoot, 'naive.mp4');
    await processRecordingMedia({ binary: located.path, inputs: [input], workDir: path.join(workRoot, 'naive') }).then((m) => fs.renameSync(m.video.file, mp4));
    const dir = path.join(workRoot, 'naive-thumbs');
    fs.mkdirSync(dir);
    const cpu = childrenCpuSeconds();
    const started = performance.now();
    await runFfmpeg(located.path, ['-i', mp4, '-map', '0:v:0', '-vf', 'fps=1/10,scale=320:-2', '-q:v', '4', path.join(dir, 'thumb-%04d.jpg')]);
    naive = { thumbnailsWallSeconds: round((performance.now() - started) / 1000), thumbnailsCpuSeconds: round(childrenCpuSeconds() - cpu), thumbnails: fs.readdirSync(dir).length };
  }

  const lengthSeconds = main.durationMs / 1000;
  const ratio = lengthSeconds / main.wallSeconds;
  const row = (name, r) =>
    `  ${name.padEnd(8)} ${r.stages.remux.toFixed(2).padStart(7)} ${r.stages.thumbnails.toFixed(2).padStart(10)} ${r.stages.store.toFixed(2).padStart(6)} ${r.wallSeconds.toFixed(2).padStart(7)} ${r.cpuSeconds.toFixed(2).padStart(7)} ${(lengthSeconds / r.wallSeconds).toFixed(1).padStart(7)}`;
  console.log('');
  console.log(`  input: ${(lengthSeconds / 60).toFixed(1)} min ${SIZE} ${FPS} fps FLV, ${mb(inputBytes)} MB → MP4 ${mb(main.sizeBytes)} MB, ${main.thumbnails} thumbnails + poster (${main.storedObjects} objects stored)`);
  console.log(`  ffmpeg   remux s  thumbs s  store s  wall s   CPU s   ratio   (median of ${RUNS}; ratio = length ÷ wall)`);
  console.log(row(located.source, main));
  if (npm) console.log(row('npm', npm));
  console.log(`  CPU (${located.source}): ffmpeg ${main.ffmpegCpuSeconds.toFixed(2)} s + node ${main.nodeCpuSeconds.toFixed(2)} s; wall of each run: ${main.allWallSeconds.join(', ')} s`);
  if (naive) console.log(`  naive thumbnails (every frame decoded): ${naive.thumbnailsWallSeconds} s wall, ${naive.thumbnailsCpuSeconds} s CPU, against ${main.stages.thumbnails.toFixed(2)} s`);

  const figures = (r) => ({
    ratio: round(lengthSeconds / r.wallSeconds, 1),
    wallSeconds: round(r.wallSeconds),
    cpuSeconds: round(r.cpuSeconds),
    stages: { remux: round(r.stages.remux), thumbnails: round(r.stages.thumbnails), store: round(r.stages.store) },
  });
  const line = {
    ...figures(main),
    lengthSeconds: round(lengthSeconds, 1),
    ffmpegCpuSeconds: round(main.ffmpegCpuSeconds),
    nodeCpuSeconds: round(main.nodeCpuSeconds),
    endToReadySeconds: round(main.wallSeconds),
    runsWallSeconds: main.allWallSeconds,
    ffmpeg: { source: located.source, version: ffmpegVersion(located.path) },
    input: { size: SIZE, fps: FPS, keyframeSeconds: KEYFRAME_SECONDS, videoKbps: VIDEO_KBPS, megabytes: mb(inputBytes) },
    outputMegabytes: mb(main.sizeBytes),
    thumbnails: main.thumbnails,
    storage: 'disk',
    ...(npm ? { npm: figures(npm) } : {}),
    ...(naive ? { naive } : {}),
    baseline: 'real time: ratio = recording length ÷ wall time of remux + thumbnails + store (End → ready without the DB writes); 1 = as long as the class',
    target: TARGET_RATIO,
  };
  const ok = ratio >= TARGET_RATIO && (!npm || lengthSeconds / npm.wallSeconds >= TARGET_RATIO);
  console.log(`\n[bench] target: ratio ≥ ${TARGET_RATIO} (10 minutes processed in under 30 s) — ${ok ? 'met' : 'NOT met'}`);
  console.log(`BENCH recording ${JSON.stringify(line)}`);
  if (!ok) process.exitCode = 1;
} finally {
  fs.rmSync(workRoot, { recursive: true, force: true });
}
