import { inflateSync, crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, sampleBytes, samplePng } from '../../src/mock/sample-bytes.js';
import { toMsgpack } from '../../src/mock/to-msgpack.js';

describe('sample bytes', () => {
  it('computes CRC-32 as zlib does', () => {
    const data = new TextEncoder().encode('IHDR and some bytes');
    if (typeof zlibCrc32 === 'function') expect(crc32(data)).toBe(zlibCrc32(data));
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('builds a PNG larger than one stored deflate block that zlib inflates', () => {
    const png = Buffer.from(samplePng(9, 160));
    const length = png.readUInt32BE(33);
    expect(png.toString('latin1', 37, 41)).toBe('IDAT');
    const pixels = inflateSync(png.subarray(41, 41 + length));
    expect(pixels.length).toBe(160 * (1 + 160 * 3));
  });

  it('gives other binary types seeded bytes, the same for the same seed', () => {
    expect(sampleBytes('application/octet-stream', 1)).toEqual(sampleBytes('application/octet-stream', 1));
    expect(sampleBytes('application/octet-stream', 1)).not.toEqual(sampleBytes('application/octet-stream', 2));
  });
});

describe('toMsgpack', () => {
  it('encodes JSON-shaped values in their smallest forms', () => {
    expect([...toMsgpack({ a: [1, -1, 300, -200, 1.5, true, null, 'hé'] })]).toEqual([
      0x81, 0xa1, 0x61, 0x98, 0x01, 0xff, 0xcd, 0x01, 0x2c, 0xd1, 0xff, 0x38, 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0xc3, 0xc0, 0xa3, 0x68, 0xc3, 0xa9,
    ]);
    expect([...toMsgpack(2 ** 40)].slice(0, 1)).toEqual([0xcb]);
    expect(toMsgpack('x'.repeat(40))[0]).toBe(0xd9);
  });
});
