// MessagePack for generated data (JSON-shaped values): the smallest encoding of each value,
// integers beyond 32 bits and fractions as float 64.

const encoder = new TextEncoder();
const maxDepth = 64;

class Writer {
  private buffer = new Uint8Array(256);
  private view = new DataView(this.buffer.buffer);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.length + n));
    next.set(this.buffer);
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  byte(value: number): void {
    this.room(1);
    this.buffer[this.length++] = value;
  }

  uint(value: number, bytes: 2 | 4): void {
    this.room(bytes);
    if (bytes === 2) this.view.setUint16(this.length, value);
    else this.view.setUint32(this.length, value);
    this.length += bytes;
  }

  int(value: number, bytes: 1 | 2 | 4): void {
    this.room(bytes);
    if (bytes === 1) this.view.setInt8(this.length, value);
    else if (bytes === 2) this.view.setInt16(this.length, value);
    else this.view.setInt32(this.length, value);
    this.length += bytes;
  }

  float(value: number): void {
    this.room(8);
    this.view.setFloat64(this.length, value);
    this.length += 8;
  }

  bytes(data: Uint8Array): void {
    this.room(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

function header(w: Writer, n: number, fix: number, fixMax: number, codes: [number, number, number]): void {
  if (n <= fixMax) w.byte(fix | n);
  else if (n <= 0xff && codes[0] !== 0) (w.byte(codes[0]), w.byte(n));
  else if (n <= 0xffff) (w.byte(codes[1]), w.uint(n, 2));
  else (w.byte(codes[2]), w.uint(n, 4));
}

function number(w: Writer, n: number): void {
  if (n >= 0) {
    if (n < 0x80) w.byte(n);
    else if (n <= 0xff) (w.byte(0xcc), w.byte(n));
    else if (n <= 0xffff) (w.byte(0xcd), w.uint(n, 2));
    else (w.byte(0xce), w.uint(n, 4));
  } else if (n >= -32) w.byte(n & 0xff);
  else if (n >= -0x80) (w.byte(0xd0), w.int(n, 1));
  else if (n >= -0x8000) (w.byte(0xd1), w.int(n, 2));
  else (w.byte(0xd2), w.int(n, 4));
}

function write(w: Writer, value: unknown, depth: number): void {
  if (value === null || value === undefined || depth > maxDepth) return w.byte(0xc0);
  if (value === false) return w.byte(0xc2);
  if (value === true) return w.byte(0xc3);
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value > 0xffffffff || value < -0x80000000) {
      w.byte(0xcb);
      return w.float(value);
    }
    return number(w, value);
  }
  if (typeof value === 'string') {
    const data = encoder.encode(value);
    header(w, data.length, 0xa0, 31, [0xd9, 0xda, 0xdb]);
    return w.bytes(data);
  }
  if (value instanceof Uint8Array) {
    header(w, value.length, 0, -1, [0xc4, 0xc5, 0xc6]);
    return w.bytes(value);
  }
  if (Array.isArray(value)) {
    header(w, value.length, 0x90, 15, [0, 0xdc, 0xdd]);
    for (const item of value) write(w, item, depth + 1);
    return;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    header(w, entries.length, 0x80, 15, [0, 0xde, 0xdf]);
    for (const [key, item] of entries) (write(w, key, depth + 1), write(w, item, depth + 1));
    return;
  }
  write(w, String(value), depth + 1);
}

/** Encodes a JSON-shaped value as MessagePack. */
export function toMsgpack(value: unknown): Uint8Array {
  const w = new Writer();
  write(w, value, 0);
  return w.result();
}
