#!/usr/bin/env node
// Generates the demo seed's committed images: 8 course covers (640×360) and 2 mentor
// avatars (256×256) as small PNGs, with nothing but node:zlib (no ImageMagick, no sharp).
// Deterministic: running it again rewrites byte-identical files.
//
//   node database/seed/make-covers.mjs
//
// Writes database/seed/covers/<course-slug>.png and database/seed/covers/avatar-<mentor-slug>.png.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const OUT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'covers');
const MAX_BYTES = 30 * 1024;

// ---------------------------------------------------------------------------
// PNG encoding (8-bit RGB, adaptive per-row filtering, zlib level 9)

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const paeth = (a, b, c) => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/** Encodes an RGB byte buffer (width*height*3) as a PNG. */
function encodePng(width, height, rgb) {
  const bpp = 3;
  const stride = width * bpp;
  const raw = Buffer.alloc((stride + 1) * height);
  const candidate = Buffer.alloc(stride);
  const best = Buffer.alloc(stride);
  const zero = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const row = rgb.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? rgb.subarray((y - 1) * stride, y * stride) : zero;
    let bestFilter = 0;
    let bestScore = Infinity;
    for (let filter = 0; filter < 5; filter++) {
      let score = 0;
      for (let i = 0; i < stride; i++) {
        const a = i >= bpp ? row[i - bpp] : 0;
        const b = up[i];
        const c = i >= bpp ? up[i - bpp] : 0;
        const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
        const value = (row[i] - predictor) & 0xff;
        candidate[i] = value;
        score += value < 128 ? value : 256 - value;
      }
      if (score < bestScore) {
        bestScore = score;
        bestFilter = filter;
        candidate.copy(best);
      }
    }
    raw[y * (stride + 1)] = bestFilter;
    best.copy(raw, y * (stride + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9, memLevel: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------
// A tiny canvas: float RGB, alpha-blended shapes with anti-aliased edges.

const hex = (value) => [1, 3, 5].map((i) => parseInt(value.slice(i, i + 2), 16));
const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const clamp01 = (v) => Math.min(1, Math.max(0, v));

class Canvas {
  constructor(width, height) {
    this.width = width;
    this.height = height;
    this.pixels = new Float32Array(width * height * 3);
  }

  blend(x, y, color, alpha) {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || alpha <= 0) return;
    const i = (y * this.width + x) * 3;
    for (let k = 0; k < 3; k++) this.pixels[i + k] += (color[k] - this.pixels[i + k]) * Math.min(1, alpha);
  }

  /**
   * Diagonal gradient between two colours. The colour depends only on x + slope·y (integer
   * slope), so each row is an exact shifted copy of the one above and deflate packs it well.
   */
  gradient(from, to, slope = 2) {
    const [a, b] = [hex(from), hex(to)];
    const span = this.width - 1 + slope * (this.height - 1);
    const ramp = Array.from({ length: span + 1 }, (_, k) => mix(a, b, k / span).map(Math.round));
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) this.blend(x, y, ramp[x + slope * y], 1);
    }
  }

  /** Fills every pixel whose signed distance (negative inside) `sdf` gives, over a bounding box. */
  shape(x0, y0, x1, y1, sdf, color, alpha = 1) {
    const c = hex(color);
    for (let y = Math.max(0, Math.floor(y0) - 1); y <= Math.min(this.height - 1, Math.ceil(y1) + 1); y++) {
      for (let x = Math.max(0, Math.floor(x0) - 1); x <= Math.min(this.width - 1, Math.ceil(x1) + 1); x++) {
        const coverage = clamp01(0.5 - sdf(x + 0.5, y + 0.5));
        if (coverage > 0) this.blend(x, y, c, coverage * alpha);
      }
    }
  }

  circle(cx, cy, r, color, alpha) {
    this.shape(cx - r, cy - r, cx + r, cy + r, (x, y) => Math.hypot(x - cx, y - cy) - r, color, alpha);
  }

  ring(cx, cy, r, width, color, alpha) {
    const R = r + width / 2;
    this.shape(cx - R, cy - R, cx + R, cy + R, (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) - width / 2, color, alpha);
  }

  roundRect(x, y, w, h, r, color, alpha) {
    const cx = x + w / 2;
    const cy = y + h / 2;
    this.shape(x, y, x + w, y + h, (px, py) => {
      const qx = Math.abs(px - cx) - w / 2 + r;
      const qy = Math.abs(py - cy) - h / 2 + r;
      return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
    }, color, alpha);
  }

  line(x0, y0, x1, y1, width, color, alpha) {
    const [dx, dy] = [x1 - x0, y1 - y0];
    const lengthSq = dx * dx + dy * dy;
    const h = width / 2;
    this.shape(Math.min(x0, x1) - h, Math.min(y0, y1) - h, Math.max(x0, x1) + h, Math.max(y0, y1) + h, (x, y) => {
      const t = clamp01(((x - x0) * dx + (y - y0) * dy) / lengthSq);
      return Math.hypot(x - x0 - t * dx, y - y0 - t * dy) - h;
    }, color, alpha);
  }

  /** An ellipse outline rotated by `degrees` (distance approximated by f/|∇f|). */
  ellipseRing(cx, cy, rx, ry, degrees, width, color, alpha) {
    const cos = Math.cos((degrees * Math.PI) / 180);
    const sin = Math.sin((degrees * Math.PI) / 180);
    const R = Math.max(rx, ry) + width;
    this.shape(cx - R, cy - R, cx + R, cy + R, (x, y) => {
      const u = (x - cx) * cos + (y - cy) * sin;
      const v = -(x - cx) * sin + (y - cy) * cos;
      const f = (u * u) / (rx * rx) + (v * v) / (ry * ry) - 1;
      const g = 2 * Math.hypot(u / (rx * rx), v / (ry * ry)) || 1;
      return Math.abs(f / g) - width / 2;
    }, color, alpha);
  }

  /** Blocky text in the 5×7 font below; returns the width drawn. */
  text(string, x, y, scale, color, alpha = 1) {
    const c = hex(color);
    let cursor = x;
    for (const ch of string) {
      const glyph = FONT[ch] ?? FONT['?'];
      glyph.forEach((bits, row) => {
        for (let col = 0; col < 5; col++) {
          if (bits[col] !== '#') continue;
          for (let py = 0; py < scale; py++) {
            for (let px = 0; px < scale; px++) this.blend(cursor + col * scale + px, y + row * scale + py, c, alpha);
          }
        }
      });
      cursor += 6 * scale;
    }
    return cursor - x - scale;
  }

  toPng() {
    const rgb = Buffer.alloc(this.width * this.height * 3);
    for (let i = 0; i < rgb.length; i++) rgb[i] = Math.round(Math.min(255, Math.max(0, this.pixels[i])));
    return encodePng(this.width, this.height, rgb);
  }
}

const textWidth = (string, scale) => string.length * 6 * scale - scale;

// 5×7 bitmap font: uppercase letters, digits and a few symbols.
const FONT = Object.fromEntries(
  Object.entries({
    A: '.###. #...# #...# ##### #...# #...# #...#',
    B: '####. #...# #...# ####. #...# #...# ####.',
    C: '.###. #...# #.... #.... #.... #...# .###.',
    D: '####. #...# #...# #...# #...# #...# ####.',
    E: '##### #.... #.... ####. #.... #.... #####',
    F: '##### #.... #.... ####. #.... #.... #....',
    G: '.###. #...# #.... #.### #...# #...# .####',
    H: '#...# #...# #...# ##### #...# #...# #...#',
    I: '.###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
    J: '..### ...#. ...#. ...#. ...#. #..#. .##..',
    K: '#...# #..#. #.#.. ##... #.#.. #..#. #...#',
    L: '#.... #.... #.... #.... #.... #.... #####',
    M: '#...# ##.## #.#.# #.#.# #...# #...# #...#',
    N: '#...# #...# ##..# #.#.# #..## #...# #...#',
    O: '.###. #...# #...# #...# #...# #...# .###.',
    P: '####. #...# #...# ####. #.... #.... #....',
    Q: '.###. #...# #...# #...# #.#.# #..#. .##.#',
    R: '####. #...# #...# ####. #.#.. #..#. #...#',
    S: '.#### #.... #.... .###. ....# ....# ####.',
    T: '##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
    U: '#...# #...# #...# #...# #...# #...# .###.',
    V: '#...# #...# #...# #...# #...# .#.#. ..#..',
    W: '#...# #...# #...# #.#.# #.#.# #.#.# .#.#.',
    X: '#...# #...# .#.#. ..#.. .#.#. #...# #...#',
    Y: '#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..',
    Z: '##### ....# ...#. ..#.. .#... #.... #####',
    0: '.###. #...# #..## #.#.# ##..# #...# .###.',
    1: '..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.',
    2: '.###. #...# ....# ...#. ..#.. .#... #####',
    3: '####. ....# ....# .###. ....# ....# ####.',
    4: '...#. ..##. .#.#. #..#. ##### ...#. ...#.',
    5: '##### #.... ####. ....# ....# #...# .###.',
    6: '..##. .#... #.... ####. #...# #...# .###.',
    7: '##### ....# ...#. ..#.. .#... .#... .#...',
    8: '.###. #...# #...# .###. #...# #...# .###.',
    9: '.###. #...# #...# .#### ....# ...#. .##..',
    ' ': '..... ..... ..... ..... ..... ..... .....',
    '.': '..... ..... ..... ..... ..... .##.. .##..',
    '&': '.##.. #..#. #.#.. .#... #.#.# #..#. .##.#',
    '+': '..... ..#.. ..#.. ##### ..#.. ..#.. .....',
    '-': '..... ..... ..... ##### ..... ..... .....',
    '/': '....# ...#. ...#. ..#.. .#... .#... #....',
    '<': '...#. ..#.. .#... #.... .#... ..#.. ...#.',
    '>': '.#... ..#.. ...#. ....# ...#. ..#.. .#...',
    '{': '..##. .#... .#... #.... .#... .#... ..##.',
    '}': '.##.. ...#. ...#. ....# ...#. ...#. .##..',
    _: '..... ..... ..... ..... ..... ..... #####',
    '?': '.###. #...# ....# ...#. ..#.. ..... ..#..',
  }).map(([ch, rows]) => [ch, rows.split(' ')])
);

// ---------------------------------------------------------------------------
// Motifs drawn in the right half of each cover

const MOTIFS = {
  /** A code editor window with coloured lines. */
  code(c, accent) {
    c.roundRect(380, 60, 220, 150, 14, '#0b1020', 0.55);
    for (const [i, color] of ['#f87171', '#fbbf24', '#34d399'].entries()) c.circle(400 + i * 18, 80, 5, color, 0.9);
    const lines = [[0, 120], [20, 90], [20, 140], [40, 70], [20, 110], [0, 60]];
    lines.forEach(([indent, w], i) => c.roundRect(398 + indent, 102 + i * 17, w, 8, 4, i % 2 ? '#ffffff' : accent, 0.75));
  },
  /** React-style orbits. */
  atom(c, accent) {
    for (const angle of [0, 60, 120]) c.ellipseRing(490, 135, 95, 36, angle, 6, accent, 0.85);
    c.circle(490, 135, 15, accent, 1);
  },
  /** A terminal prompt. */
  terminal(c, accent) {
    c.roundRect(380, 60, 220, 150, 14, '#0b1020', 0.6);
    c.text('>_', 402, 92, 6, accent, 1);
    c.roundRect(402, 160, 150, 8, 4, '#ffffff', 0.5);
    c.roundRect(402, 178, 100, 8, 4, '#ffffff', 0.35);
  },
  /** A small tree (data structures). */
  tree(c, accent) {
    const nodes = [[490, 70], [430, 130], [550, 130], [400, 190], [460, 190], [580, 190]];
    for (const [a, b] of [[0, 1], [0, 2], [1, 3], [1, 4], [2, 5]]) c.line(...nodes[a], ...nodes[b], 5, '#ffffff', 0.6);
    nodes.forEach(([x, y], i) => c.circle(x, y, i === 0 ? 20 : 16, i === 0 ? accent : '#ffffff', 0.95));
  },
  /** Connected services (APIs). */
  network(c, accent) {
    const hub = [490, 135];
    const spokes = [[400, 75], [585, 80], [395, 200], [580, 195], [490, 45]];
    for (const s of spokes) c.line(...hub, ...s, 4, '#ffffff', 0.55);
    for (const [x, y] of spokes) c.roundRect(x - 22, y - 14, 44, 28, 8, '#ffffff', 0.9);
    c.circle(...hub, 26, accent, 1);
  },
  /** A table grid (SQL). */
  table(c, accent) {
    c.roundRect(380, 60, 220, 150, 10, '#ffffff', 0.85);
    c.roundRect(380, 60, 220, 34, 10, accent, 1);
    c.roundRect(380, 80, 220, 14, 0, accent, 1);
    for (let row = 1; row < 4; row++) c.line(382, 94 + row * 29, 598, 94 + row * 29, 2, '#94a3b8', 0.8);
    for (const x of [453, 527]) c.line(x, 62, x, 208, 2, '#94a3b8', 0.8);
  },
  /** A bar chart with a trend line (machine learning). */
  chart(c, accent) {
    const bars = [50, 80, 65, 110, 95, 140];
    bars.forEach((h, i) => c.roundRect(390 + i * 36, 210 - h, 24, h, 5, '#ffffff', 0.8));
    const points = bars.map((h, i) => [402 + i * 36, 190 - h]);
    for (let i = 1; i < points.length; i++) c.line(...points[i - 1], ...points[i], 5, accent, 1);
    for (const p of points) c.circle(...p, 7, accent, 1);
  },
  /** Stacked containers (DevOps). */
  containers(c, accent) {
    for (let row = 0; row < 3; row++) {
      for (let col = 0; col < 3 - row; col++) {
        c.roundRect(395 + col * 68 + row * 34, 170 - row * 52, 60, 44, 7, row === 2 ? accent : '#ffffff', 0.85);
      }
    }
  },
};

// ---------------------------------------------------------------------------

const COVERS = [
  { slug: 'javascript-foundations', title: 'JAVASCRIPT', subtitle: 'FOUNDATIONS', from: '#0f172a', to: '#a16207', accent: '#fde047', motif: 'code' },
  { slug: 'react-for-beginners', title: 'REACT', subtitle: 'FOR BEGINNERS', from: '#082f49', to: '#0e7490', accent: '#67e8f9', motif: 'atom' },
  { slug: 'python-for-everyone', title: 'PYTHON', subtitle: 'FOR EVERYONE', from: '#1e3a8a', to: '#15803d', accent: '#fde047', motif: 'terminal' },
  { slug: 'dsa-placement-prep', title: 'DSA', subtitle: 'PLACEMENT PREP', from: '#3b0764', to: '#be185d', accent: '#f9a8d4', motif: 'tree' },
  { slug: 'node-express-rest-apis', title: 'NODE.JS', subtitle: 'REST APIS', from: '#052e16', to: '#0f766e', accent: '#86efac', motif: 'network' },
  { slug: 'sql-for-data-analysis', title: 'SQL', subtitle: 'DATA ANALYSIS', from: '#431407', to: '#c2410c', accent: '#fdba74', motif: 'table' },
  { slug: 'machine-learning-with-python', title: 'ML', subtitle: 'WITH PYTHON', from: '#1e1b4b', to: '#7e22ce', accent: '#c4b5fd', motif: 'chart' },
  { slug: 'devops-docker-kubernetes', title: 'DEVOPS', subtitle: 'DOCKER + K8S', from: '#0c1a3a', to: '#1d4ed8', accent: '#93c5fd', motif: 'containers' },
];

const AVATARS = [
  { slug: 'ananya-rao', initials: 'AR', from: '#7c2d12', to: '#db2777', accent: '#fbcfe8' },
  { slug: 'vikram-nair', initials: 'VN', from: '#0c4a6e', to: '#059669', accent: '#a7f3d0' },
];

function cover({ title, subtitle, from, to, accent, motif }) {
  const c = new Canvas(640, 360);
  c.gradient(from, to, 2);
  c.circle(600, 20, 130, '#ffffff', 0.06);
  c.circle(40, 380, 110, '#ffffff', 0.05);
  MOTIFS[motif](c, accent);
  c.text('SKILLYUG', 40, 36, 2, '#ffffff', 0.8);
  let scale = 8;
  while (scale > 3 && textWidth(title, scale) > 560) scale--;
  c.text(title, 40, 300 - 7 * scale - 36, scale, '#ffffff', 1);
  c.roundRect(40, 294 - 22, 56, 6, 3, accent, 1);
  c.text(subtitle, 40, 300, 3, accent, 1);
  return c.toPng();
}

function avatar({ initials, from, to, accent }) {
  const c = new Canvas(256, 256);
  c.gradient(from, to, 1);
  c.circle(128, 128, 104, '#ffffff', 0.12);
  c.ring(128, 128, 104, 4, accent, 0.8);
  const scale = 10;
  c.text(initials, 128 - textWidth(initials, scale) / 2, 128 - (7 * scale) / 2, scale, '#ffffff', 1);
  return c.toPng();
}

fs.mkdirSync(OUT_DIR, { recursive: true });
const outputs = [
  ...COVERS.map((spec) => [`${spec.slug}.png`, cover(spec)]),
  ...AVATARS.map((spec) => [`avatar-${spec.slug}.png`, avatar(spec)]),
];
for (const [name, png] of outputs) {
  if (png.length > MAX_BYTES) throw new Error(`${name} is ${png.length} bytes, over the ${MAX_BYTES}-byte budget`);
  fs.writeFileSync(path.join(OUT_DIR, name), png);
  console.log(`${name.padEnd(40)} ${(png.length / 1024).toFixed(1)} KB`);
}
