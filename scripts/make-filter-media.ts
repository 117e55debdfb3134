/**
 * Makes the pictures of the filter labs in static/media/ (committed, so that the site builds anywhere; run this again
 * after changing labs/framework/pictures.ts):
 *
 * - sample-face.jpg: OpenCV's sample photograph messi5.jpg (Debian's opencv-doc), cropped around the face and scaled
 *   by ffmpeg;
 * - sample-qr.png: a QR code of SAMPLE_QR.text made by Debian's qrencode;
 * - magic-mirror-hat.png: a top hat drawn by the code below (PNG written with node:zlib), transparent around it.
 *
 *   npx tsx scripts/make-filter-media.ts           write the three files
 *   npx tsx scripts/make-filter-media.ts --check   exit 1 if the committed hat differs from what the code draws
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { CROWN, HAT, SAMPLE_FACE, SAMPLE_QR } from '../labs/framework/pictures';

export const MEDIA_DIR = path.resolve(__dirname, '..', 'static', 'media');

// PNG ------------------------------------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG of `rgba` (width * height * 4 bytes, rows top to bottom). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    rows[y * (width * 4 + 1)] = 0; // filter: none
    rows.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// The hat ----------------------------------------------------------------------------------------------------------------

type Colour = readonly [number, number, number];

function colour(hex: string): Colour {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

const OUTLINE = 0.014;
const BRIM = { cx: 0.5, cy: 0.86, rx: 0.46, ry: 0.065 };
const BAND = { y0: 0.7, y1: 0.8 };
const CORNER = 0.05;

function inEllipse(u: number, v: number, grow: number): boolean {
  const dx = (u - BRIM.cx) / (BRIM.rx + grow);
  const dy = (v - BRIM.cy) / (BRIM.ry + grow);
  return dx * dx + dy * dy <= 1;
}

/** The crown: a rectangle with rounded top corners, `grow` larger on every side (for its outline). */
function inCrown(u: number, v: number, grow: number): boolean {
  const x0 = CROWN.x0 - grow;
  const x1 = CROWN.x1 + grow;
  const y0 = CROWN.y0 - grow;
  const y1 = CROWN.y1 + grow;
  if (u < x0 || u > x1 || v < y0 || v > y1) return false;
  const r = CORNER + grow;
  if (v < y0 + r) {
    const cx = u < x0 + r ? x0 + r : u > x1 - r ? x1 - r : u;
    const dx = u - cx;
    const dy = v - (y0 + r);
    return dx * dx + dy * dy <= r * r;
  }
  return true;
}

/** The colour of the hat at (u, v), 0..1 across and down, or undefined where it is transparent. */
function hatAt(u: number, v: number): Colour | undefined {
  const crown = colour(HAT.crown);
  if (inCrown(u, v, 0)) {
    if (v >= BAND.y0 && v <= BAND.y1) return colour(HAT.band);
    // A soft highlight down the left third of the crown.
    const light = Math.max(0, 1 - Math.abs(u - 0.36) / 0.08) * 0.25;
    return [crown[0] + (255 - crown[0]) * light, crown[1] + (255 - crown[1]) * light, crown[2] + (255 - crown[2]) * light];
  }
  if (inCrown(u, v, OUTLINE)) return colour(HAT.outline);
  if (inEllipse(u, v, 0)) return colour(HAT.brim);
  if (inEllipse(u, v, OUTLINE)) return colour(HAT.outline);
  return undefined;
}

/** The hat, HAT.size pixels square, 4x4 samples a pixel for smooth edges. */
export function drawHat(size: number = HAT.size): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  const samples = 4;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const hit = hatAt((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size);
          if (!hit) continue;
          r += hit[0];
          g += hit[1];
          b += hit[2];
          covered += 1;
        }
      }
      const at = (y * size + x) * 4;
      if (covered === 0) continue;
      rgba[at] = Math.round(r / covered);
      rgba[at + 1] = Math.round(g / covered);
      rgba[at + 2] = Math.round(b / covered);
      rgba[at + 3] = Math.round((255 * covered) / (samples * samples));
    }
  }
  return encodePng(size, size, rgba);
}

// The photograph and the QR code ---------------------------------------------------------------------------------------

function run(command: string, args: string[], hint: string): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new Error(`${command} failed (${hint}): ${result.error?.message ?? result.stderr}`);
}

function makeFace(file: string): void {
  if (!existsSync(SAMPLE_FACE.source)) throw new Error(`${SAMPLE_FACE.source} is missing: apt-get install opencv-doc`);
  run(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-y', '-i', SAMPLE_FACE.source, '-vf', `crop=${SAMPLE_FACE.crop},scale=${SAMPLE_FACE.width}:${SAMPLE_FACE.height}:flags=lanczos`, '-q:v', '3', file],
    'apt-get install ffmpeg',
  );
}

function makeQr(file: string): void {
  run('qrencode', ['-o', file, '-s', '8', '-m', '4', SAMPLE_QR.text], 'apt-get install qrencode');
}

function main(): void {
  const hatFile = path.join(MEDIA_DIR, HAT.file);
  if (process.argv.includes('--check')) {
    if (!existsSync(hatFile) || !drawHat().equals(readFileSync(hatFile))) {
      console.error(`${path.relative(process.cwd(), hatFile)} is not what the code draws: run npx tsx scripts/make-filter-media.ts`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(hatFile, drawHat());
  makeFace(path.join(MEDIA_DIR, SAMPLE_FACE.file));
  makeQr(path.join(MEDIA_DIR, SAMPLE_QR.file));
  console.log(`wrote ${[HAT.file, SAMPLE_FACE.file, SAMPLE_QR.file].map((name) => path.join('static/media', name)).join(', ')}`);
}

if (require.main === module) main();
