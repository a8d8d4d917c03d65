// Draws the GPU Ferry icon (a ferry hull carrying a GPU chip over a wave) into PNGs of every size the
// desktop asks for: build/linux/icons/<N>x<N>.png. Pure Node (zlib), so it runs anywhere the build runs.
// Run: node build/linux/make-icons.mjs
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

// Shapes in a unit square (0..1); each returns a colour [r,g,b] or null.
const inRoundedSquare = (x, y, r) => {
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const colourAt = (x, y) => {
  if (!inRoundedSquare(x, y, 0.2)) return null;
  const wave = 0.74 + 0.03 * Math.sin(x * Math.PI * 4);
  if (y > wave) return [38, 120, 200]; // water
  const hullTop = 0.56;
  const inset = (y - hullTop) * 0.6;
  if (y >= hullTop && y <= wave + 0.02 && x >= 0.16 + inset && x <= 0.84 - inset) return [240, 244, 248]; // hull
  if (x >= 0.3 && x <= 0.7 && y >= 0.26 && y <= 0.52) {
    const pin = (x < 0.34 || x > 0.66 || y < 0.3 || y > 0.48) && Math.floor(((x + y) * 40) % 2) === 0;
    return pin ? [20, 30, 40] : [118, 196, 66]; // GPU chip with pins
  }
  return [24, 36, 54]; // background
};

const render = (size) => {
  const samples = 4;
  const rows = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = colourAt((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (c) {
            r += c[0]; g += c[1]; b += c[2]; a += 1;
          }
        }
      }
      const o = 1 + px * 4;
      if (a > 0) {
        row[o] = Math.round(r / a); row[o + 1] = Math.round(g / a); row[o + 2] = Math.round(b / a);
      }
      row[o + 3] = Math.round((a / (samples * samples)) * 255);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
};

for (const size of SIZES) writeFileSync(path.join(here, 'icons', `${size}x${size}.png`), render(size));
console.log(`icons: ${SIZES.join(', ')}`);
