import { Ajv2020 } from 'ajv/dist/2020.js';
import type { MockServer } from '../../src/server/mock-server.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { load } from 'js-yaml';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { bodiesSpec } from './bodies-spec.js';

let app: MockServer;
const planetSchema = bodiesSpec.components.schemas.Planet;
const ajv = new Ajv2020({ strict: false });

beforeAll(async () => {
  app = await createMockServer({ spec: structuredClone(bodiesSpec), seed: 5 });
});
afterAll(() => app.close());

function get(url: string, accept?: string) {
  return app.inject({ method: 'GET', url, headers: accept ? { accept } : {} });
}

/** Reads a PNG's chunks, checking every CRC with zlib's own crc32, and inflates its pixels with zlib. */
function decodePng(bytes: Buffer): { width: number; height: number; colorType: number; pixels: Buffer } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let at = 8;
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  let ended = false;
  while (at < bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const body = bytes.subarray(at + 8, at + 8 + length);
    const crc = bytes.readUInt32BE(at + 8 + length);
    expect(crc, `${type} CRC`).toBe(crc32(bytes.subarray(at + 4, at + 8 + length)));
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') data.push(body);
    if (type === 'IEND') ended = true;
    at += 12 + length;
  }
  expect(ended).toBe(true);
  const width = header!.readUInt32BE(0);
  const height = header!.readUInt32BE(4);
  return { width, height, colorType: header![9], pixels: inflateSync(Buffer.concat(data)) };
}

/** A textbook bitwise CRC-32, independent of the table the mock uses. */
function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

describe('non-JSON responses', () => {
  it('answers text/csv with a header line and one row per generated item', async () => {
    const res = await get('/report', 'text/csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('id,name,moons');
    expect(lines[lines.length - 1]).toBe('');
    expect(lines.length - 2).toBeGreaterThanOrEqual(2);
    for (const line of lines.slice(1, -1)) expect(line).toMatch(/^\d+,/);
  });

  it('answers application/xml with a well-formed document of the generated data', async () => {
    const res = await get('/report', 'application/xml');
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(XMLValidator.validate(res.body)).toBe(true);
    const doc = new XMLParser().parse(res.body);
    const planets = doc.Planets.Planet;
    const first = Array.isArray(planets) ? planets[0] : planets;
    expect(Number.isInteger(first.id)).toBe(true);
    expect(String(first.name).length).toBeGreaterThan(0);
  });

  it('answers text/html with a page and image/png with a real PNG that decodes', async () => {
    const html = await get('/report', 'text/html');
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.body).toMatch(/^<!DOCTYPE html>/);
    const png = await get('/report', 'image/png');
    expect(png.headers['content-type']).toBe('image/png');
    const image = decodePng(png.rawPayload);
    expect(image.colorType).toBe(2);
    // One filter byte and three bytes per pixel on each row.
    expect(image.pixels.length).toBe(image.height * (1 + image.width * 3));
    expect(Number(png.headers['content-length'])).toBe(png.rawPayload.length);
  });

  it('negotiates by Accept among JSON, CSV, XML, HTML and PNG, and says 406 for the rest', async () => {
    expect((await get('/report')).headers['content-type']).toMatch(/^application\/json/);
    expect((await get('/report', 'text/*')).headers['content-type']).toMatch(/^text\/csv/);
    expect((await get('/report', 'text/html;q=0.9, text/csv;q=0.5')).headers['content-type']).toMatch(/^text\/html/);
    expect((await get('/report', 'image/*')).headers['content-type']).toBe('image/png');
    expect((await get('/report', 'application/json;q=0.1, application/xml')).headers['content-type']).toMatch(/^application\/xml/);
    const none = await get('/report', 'application/pdf');
    expect(none.statusCode).toBe(406);
    expect(none.json().available).toEqual(['application/json', 'text/csv', 'application/xml', 'text/html', 'image/png']);
  });

  it('gives the same request the same non-JSON body', async () => {
    expect((await get('/report', 'text/csv')).body).toBe((await get('/report', 'text/csv')).body);
    expect((await get('/report', 'image/png')).rawPayload.equals((await get('/report', 'image/png')).rawPayload)).toBe(true);
  });

  it('serialises one object as XML, YAML and MessagePack that decode back to schema-valid data', async () => {
    const xml = await get('/planet', 'application/xml');
    expect(xml.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Planet>/);
    const yaml = await get('/planet', 'application/yaml');
    expect(yaml.headers['content-type']).toBe('application/yaml; charset=utf-8');
    expect(ajv.validate(planetSchema, load(yaml.body)), ajv.errorsText()).toBe(true);
    const msgpack = await get('/planet', 'application/x-msgpack');
    expect(msgpack.headers['content-type']).toBe('application/x-msgpack');
    // A fixmap whose first key is the fixstr "id".
    expect(msgpack.rawPayload[0] & 0xf0).toBe(0x80);
    expect(msgpack.rawPayload.subarray(1, 4).toString('latin1')).toBe('\xa2id');
  });

  it('sends a spec example verbatim in its own media type', async () => {
    const text = await get('/status', 'text/plain');
    expect(text.body).toBe('OK');
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    const csv = await get('/status', 'text/csv');
    expect(csv.body).toBe('a,b\r\n1,2\r\n');
  });

  it('frames text/event-stream bodies as server-sent events', async () => {
    const res = await get('/events');
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.body).toMatch(/^data: \{.*\}\n\n$/);
    expect(ajv.validate(planetSchema, JSON.parse(res.body.slice(6))), ajv.errorsText()).toBe(true);
  });

  it('answers */* with a binary schema as octet-stream bytes, and GIF and PDF in their formats', async () => {
    const any = await get('/download');
    expect(any.headers['content-type']).toBe('application/octet-stream');
    expect(any.rawPayload.length).toBeGreaterThan(0);
    const gif = await get('/download', 'image/gif');
    expect(gif.rawPayload.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    expect(gif.rawPayload.readUInt16LE(6)).toBe(1);
    expect(gif.rawPayload[gif.rawPayload.length - 1]).toBe(0x3b);
    const pdf = await get('/download', 'application/pdf');
    expect(pdf.rawPayload.toString('latin1')).toMatch(/^%PDF-1\.4\n[\s\S]*%%EOF\n$/);
  });

  it('keeps binary bytes intact when a rule picks the answer', async () => {
    app.use({ operationId: 'getReport', respond: { status: 200 } });
    const png = await get('/report', 'image/png');
    expect(png.headers['iwkit-scenario']).toMatch(/^override:/);
    expect(decodePng(png.rawPayload).width).toBeGreaterThan(0);
    app.reset();
  });
});
