#!/usr/bin/env node
// Generates the demo seed's committed lesson videos: a handful of short, distinct clips that the
// seed attaches to every video lesson (reused across lessons), so a preview really plays.
// Each is H.264 (High profile, yuv420p: every browser plays it) + AAC in an MP4 with the index at
// the front (faststart), so a browser starts playing before the whole file has arrived.
//
//   node database/seed/make-videos.mjs      (needs ffmpeg with libx264 and drawtext, and DejaVu Sans)
//
// Writes database/seed/media/lesson-<n>.mp4. Bit-exact output flags make a rerun on the same
// ffmpeg build rewrite identical files. The seed reads each file's real duration with its own
// MP4 reader (./mp4-duration.js), so lessons never claim a length their video doesn't have.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'media');
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const FONT_BOLD = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
/** Keep the repository small: all clips together stay under this. */
const MAX_TOTAL_BYTES = 3 * 1024 * 1024;

// One clip per look; seconds chosen so the site shows 1–2 min and the clips are told apart.
export const CLIPS = [
  { file: 'lesson-1.mp4', seconds: 42, background: '0x1e3a8a', accent: '0xf59e0b', caption: 'Watch, then try it in your editor', tone: 220 },
  { file: 'lesson-2.mp4', seconds: 58, background: '0x064e3b', accent: '0x34d399', caption: 'Pause any time: your place is saved', tone: 262 },
  { file: 'lesson-3.mp4', seconds: 75, background: '0x4c1d95', accent: '0xf472b6', caption: 'Repeat each step before moving on', tone: 330 },
  { file: 'lesson-4.mp4', seconds: 96, background: '0x7c2d12', accent: '0xfde68a', caption: 'Finish the video to complete the lesson', tone: 392 },
];

/** drawtext's own escaping: backslash, colon and quote are special inside a filter argument. */
const text = (value) => value.replace(/\\/g, '\\\\').replace(/:/g, '\\:').replace(/'/g, "\\'");

function filterFor(clip, index) {
  const h = 360;
  return [
    `drawbox=x=0:y=${h - 8}:w='iw*t/${clip.seconds}':h=8:color=${clip.accent}:t=fill`,
    `drawtext=fontfile=${FONT_BOLD}:text='${text('Skillyug demo lesson')}':fontcolor=white:fontsize=40:x=(w-text_w)/2:y=110`,
    `drawtext=fontfile=${FONT}:text='${text(`Clip ${index + 1} of ${CLIPS.length}  ·  ${clip.caption}`)}':fontcolor=white@0.85:fontsize=20:x=(w-text_w)/2:y=172`,
    // The running clock (mm:ss of the clip) shows the video really plays and seeks.
    `drawtext=fontfile=${FONT}:text='%{eif\\:trunc(t/60)\\:d\\:2}\\:%{eif\\:mod(trunc(t)\\,60)\\:d\\:2} / ${String(Math.floor(clip.seconds / 60)).padStart(2, '0')}\\:${String(clip.seconds % 60).padStart(2, '0')}':fontcolor=${clip.accent}:fontsize=28:x=(w-text_w)/2:y=230`,
  ].join(',');
}

function encode(clip, index) {
  const output = path.join(OUT_DIR, clip.file);
  // prettier-ignore
  execFileSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `color=c=${clip.background}:s=640x360:r=15:d=${clip.seconds}`,
    // A quiet tone, faded in and out, so the audio track is real but not unpleasant.
    '-f', 'lavfi', '-i', `sine=frequency=${clip.tone}:sample_rate=44100:duration=${clip.seconds}`,
    '-filter_complex', `[0:v]${filterFor(clip, index)}[v];[1:a]volume=0.04,afade=t=in:d=1,afade=t=out:st=${clip.seconds - 1}:d=1[a]`,
    '-map', '[v]', '-map', '[a]',
    '-c:v', 'libx264', '-preset', 'slow', '-crf', '30', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-g', '60',
    '-c:a', 'aac', '-b:a', '32k', '-ac', '1',
    '-movflags', '+faststart', '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact',
    output,
  ], { stdio: 'inherit' });
  return fs.statSync(output).size;
}

fs.mkdirSync(OUT_DIR, { recursive: true });
let total = 0;
for (const [index, clip] of CLIPS.entries()) {
  const size = encode(clip, index);
  total += size;
  console.log(`${clip.file}: ${clip.seconds} s, ${(size / 1024).toFixed(0)} KB`);
}
if (total > MAX_TOTAL_BYTES) {
  console.error(`The clips total ${(total / 1024).toFixed(0)} KB, over the ${MAX_TOTAL_BYTES / 1024} KB budget: shorten them or raise -crf.`);
  process.exit(1);
}
console.log(`total ${(total / 1024).toFixed(0)} KB in ${path.relative(process.cwd(), OUT_DIR)}`);
