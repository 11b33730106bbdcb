import { mediaEssence } from './media-kind.js';

// Plausible bytes for binary media types: a real decodable PNG (a small seeded colour tile), a 1×1 GIF,
// a one-page PDF; any other type gets seeded bytes. Built here, without zlib: the PNG's pixels travel
// in "stored" (uncompressed) deflate blocks, which every inflater reads.

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309), as PNG chunks use it. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

function u32(value: number): Uint8Array {
  return new Uint8Array([(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const typed = concat([ascii(type), data]);
  return concat([u32(data.length), typed, u32(crc32(typed))]);
}

/** A zlib stream of stored blocks (at most 65,535 bytes each). */
function zlibStored(data: Uint8Array): Uint8Array {
  const blocks: Uint8Array[] = [new Uint8Array([0x78, 0x01])];
  let at = 0;
  do {
    const part = data.subarray(at, at + 0xffff);
    at += part.length;
    const final = at >= data.length ? 1 : 0;
    const n = part.length;
    blocks.push(new Uint8Array([final, n & 0xff, n >>> 8, ~n & 0xff, (~n >>> 8) & 0xff]), part);
  } while (at < data.length);
  blocks.push(u32(adler32(data)));
  return concat(blocks);
}

/** A seeded pseudo-random byte source (mulberry32). */
function randomBytes(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) & 0xff;
  };
}

/** A valid RGB PNG of `size`×`size` pixels: a two-colour diagonal gradient picked by the seed. */
export function samplePng(seed: number, size = 8): Uint8Array {
  const next = randomBytes(seed);
  const from = [next(), next(), next()];
  const to = [next(), next(), next()];
  const raw = new Uint8Array(size * (1 + size * 3));
  for (let y = 0; y < size; y++) {
    const row = y * (1 + size * 3);
    raw[row] = 0; // filter type None
    for (let x = 0; x < size; x++) {
      const t = (x + y) / (2 * (size - 1) || 1);
      for (let c = 0; c < 3; c++) raw[row + 1 + x * 3 + c] = Math.round(from[c] + (to[c] - from[c]) * t);
    }
  }
  const header = concat([u32(size), u32(size), new Uint8Array([8, 2, 0, 0, 0])]);
  return concat([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlibStored(raw)), chunk('IEND', new Uint8Array())]);
}

/** A 1×1 GIF89a whose single pixel takes a seeded colour. */
export function sampleGif(seed: number): Uint8Array {
  const next = randomBytes(seed);
  return concat([
    ascii('GIF89a'),
    new Uint8Array([1, 0, 1, 0, 0x80, 0, 0]), // 1×1, a global colour table of two entries
    new Uint8Array([next(), next(), next(), 0, 0, 0]),
    new Uint8Array([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0]), // image descriptor
    new Uint8Array([2, 2, 0x44, 0x01, 0]), // LZW: clear, pixel 0, end
    new Uint8Array([0x3b]),
  ]);
}

/** A one-page PDF with a correct cross-reference table. */
export function samplePdf(): Uint8Array {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>'];
  let text = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(text.length);
    text += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return ascii(text);
}

/** Bytes for a binary media type: a real image or document where iwkit knows the format, else seeded bytes. */
export function sampleBytes(mediaType: string, seed: number): Uint8Array {
  const type = mediaEssence(mediaType);
  if (type === 'image/png' || type === 'image/apng') return samplePng(seed);
  if (type === 'image/gif') return sampleGif(seed);
  if (type === 'application/pdf') return samplePdf();
  const next = randomBytes(seed);
  return Uint8Array.from({ length: 64 }, next);
}
