import type { GenerateState } from './generate-state.js';
import type { StringNodeInfo } from './generation-strategy.js';
import { boundaryDateTimes, boundaryTimes } from './edge-profiles.js';
import { formatDate } from './timestamps.js';
import { compilePatternPlan } from './pattern-generator.js';

// Edge candidates for string nodes. Each maker aims at one edge; the compiled node still checks every
// candidate (length, format, patterns) and falls back to a realistic value when a candidate misses.

/** A per-call string candidate; undefined means "no edge value here". */
export type EdgeStringMaker = (state: GenerateState) => string | undefined;

/** Which string edge to aim at. */
export type StringEdge = 'min' | 'max' | 'unicode' | 'dates';

// Text that breaks naive frontends: bidi, emoji sequences, combining marks, zero-width and markup/SQL look-alikes.
const NON_ASCII_FRAGMENTS = [
  'שלום עולם',
  'مرحبا بالعالم',
  '\u202Egnp.exe',
  'Z\u0351\u0348a\u0334\u0317l\u0352g\u0316\u0336o\u0301\u0308',
  'zero\u200Bwidth\u200Cnon\u200Djoiner\u2060',
  '\uFEFFbyte-order-mark',
  '👩‍👩‍👧‍👦 family',
  '🏳️‍🌈🇩🇪😀',
  'Ω≈ç√∫˜µ≤≥÷',
  '日本語のテキスト',
  'Ｆｕｌｌｗｉｄｔｈ',
  'Mötley Crüe Ünïcödé',
];
const MARKUP_FRAGMENTS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg/onload=alert(1)>',
  "Robert'); DROP TABLE students;--",
  "' OR '1'='1",
  '{{7*7}}${7*7}',
  '../../etc/passwd',
  'null',
];
const PAD = 'жé日ש';

/** Counts Unicode code points, as JSON Schema validators that follow the spec measure length. */
function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= text.length) n++;
  }
  return n;
}

/**
 * Cuts or pads `text` so it is valid by both length measures in use: at most `max` UTF-16 code units (TypeBox)
 * and at least `min` code points (Ajv and most servers). Never splits a surrogate pair.
 */
export function fitUnicode(text: string, min: number, max: number): string {
  let out = text;
  if (out.length > max) {
    let end = max;
    const c = out.charCodeAt(end - 1);
    if (end > 0 && c >= 0xd800 && c <= 0xdbff) end--;
    out = out.slice(0, end);
  }
  let points = codePoints(out);
  while (points < min && out.length < max) {
    out += PAD[points % PAD.length];
    points++;
  }
  if (points >= min) return out;
  // Emoji took the room: single-unit characters only, so both measures agree.
  let plain = '';
  for (let i = 0; i < min; i++) plain += PAD[i % PAD.length];
  return plain;
}

/** `seed` repeated (space-separated) to exactly `length` characters, never ending in a space. */
function repeatTo(seed: string, length: number): string {
  if (length <= 0) return '';
  const unit = seed.length === 0 ? 'x' : /\s/.test(seed) ? `${seed} ` : seed;
  const text = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  return text.endsWith(' ') ? `${text.slice(0, -1)}x` : text;
}

/** A hostname of exactly `length` characters (1..253): labels of at most 63 letters joined by dots. */
function hostOfLength(length: number): string {
  const labels: string[] = [];
  let left = length;
  while (left > 0) {
    // Leave at least two characters (".a") when another label must follow.
    let take = Math.min(63, left);
    if (left - take === 1) take--;
    labels.push('abcdefghijklmnopqrstuvwxyz'.repeat(3).slice(0, take));
    left -= take + 1;
  }
  return labels.join('.');
}

function emailOfLength(length: number): string {
  const n = Math.max(6, Math.min(254, length));
  const local = Math.min(64, n - 6);
  return `${'a'.repeat(local)}@${hostOfLength(n - local - 5)}.com`;
}

function base64(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += alphabet[(n >> 18) & 63] + alphabet[(n >> 12) & 63];
    out += i + 1 < bytes.length ? alphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? alphabet[n & 63] : '=';
  }
  return out;
}

const UNICODE_BYTES = base64(new TextEncoder().encode('שלום 👋 <b>Zürich</b>'));

/** The edge value of a format, when the format has one; `length` is the target for `max`. */
function formatEdge(format: string, edge: StringEdge, length: number): string | undefined {
  switch (format) {
    case 'email':
    case 'idn-email':
      return edge === 'min' ? 'a@b.co' : edge === 'max' ? emailOfLength(length) : edge === 'unicode' ? "o'reilly+test&x=1@xn--bcher-kva.example" : undefined;
    case 'uri':
    case 'url':
      if (edge === 'min') return 'http://a.co';
      if (edge === 'max') return `https://example.com/${'a'.repeat(Math.max(0, Math.min(length, 2048) - 20))}`;
      return edge === 'unicode' ? 'https://xn--bcher-kva.example/%E2%9C%93/%D7%A9%D7%9C%D7%95%D7%9D?q=%3Cscript%3E#%F0%9F%98%80' : undefined;
    case 'iri':
      return edge === 'unicode' ? 'https://bücher.example/שלום/😀?q=<b>' : formatEdge('uri', edge, length);
    case 'uri-reference':
    case 'iri-reference':
      if (edge === 'min') return '';
      if (edge === 'max') return `/${'a'.repeat(Math.max(0, Math.min(length, 2048) - 1))}`;
      return edge === 'unicode' ? '/%E2%9C%93?q=%3Cscript%3E' : undefined;
    case 'uuid':
      return edge === 'min' ? '00000000-0000-0000-0000-000000000000' : edge === 'max' ? 'ffffffff-ffff-ffff-ffff-ffffffffffff' : undefined;
    case 'ipv4':
      return edge === 'min' ? '0.0.0.0' : edge === 'max' ? '255.255.255.255' : undefined;
    case 'ipv6':
      return edge === 'min' ? '::' : edge === 'max' ? 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' : undefined;
    case 'hostname':
      return edge === 'min' ? 'a' : edge === 'max' ? hostOfLength(Math.min(length, 253)) : edge === 'unicode' ? 'xn--bcher-kva.example' : undefined;
    case 'idn-hostname':
      return edge === 'unicode' ? 'bücher.例え.jp' : formatEdge('hostname', edge, length);
    case 'byte':
      return edge === 'min' ? '' : edge === 'max' ? 'QUJD'.repeat(Math.floor(length / 4)) : edge === 'unicode' ? UNICODE_BYTES : undefined;
    case 'time':
      return edge === 'min' ? '00:00:00Z' : edge === 'max' ? '23:59:59.999999+14:00' : undefined;
    default:
      return undefined;
  }
}

// Formats whose values are not free text: a candidate needs a dedicated maker, else the realistic value stays.
const STRUCTURED = new Set(['email', 'idn-email', 'uri', 'url', 'iri', 'uri-reference', 'iri-reference', 'uuid', 'ipv4', 'ipv6', 'hostname', 'idn-hostname', 'byte', 'time', 'date', 'date-time', 'duration', 'regex', 'json-pointer', 'relative-json-pointer', 'uri-template']);

/** Options that bound how far `max` goes. */
export interface StringLimits {
  /** Length of an unbounded string under `max`. */
  longString: number;
}

/** Compiles the maker for one edge of one string node, or undefined when the node has no such edge. */
export function edgeStringMaker(edge: StringEdge, node: StringNodeInfo, limits: StringLimits): EdgeStringMaker | undefined {
  const { minLength, maxLength, format, patterns, hint, words } = node;
  const longest = (s: GenerateState): number => Math.max(minLength, Math.min(maxLength, limits.longString, s.budget));

  if (edge === 'dates') {
    if (format === 'time') return (s) => s.rng.pick(boundaryTimes);
    if (format === 'date-time') return (s) => s.rng.pick(s.rng.pick(boundaryDateTimes).texts);
    if (format === 'date') return (s) => formatDate(s.rng.pick(boundaryDateTimes).at);
    return undefined;
  }

  if (format !== undefined && STRUCTURED.has(format)) {
    const fixed = formatEdge(format, edge, 0);
    if (edge !== 'max') return fixed === undefined ? undefined : () => fixed;
    if (formatEdge(format, 'max', 1) === undefined) return undefined;
    return (s) => formatEdge(format, 'max', longest(s));
  }

  if (patterns.length > 0) {
    const plan = compilePatternPlan(patterns[0]);
    if (!plan) return undefined;
    const lo = Math.max(minLength, plan.minLength);
    if (edge === 'min') return (s) => plan.sized(s.rng, lo, false);
    if (edge === 'max') return (s) => plan.sized(s.rng, Math.min(longest(s), plan.maxLength), false);
    // Unicode: a short, ordinary length, with as much non-ASCII as the pattern admits.
    return (s) => plan.sized(s.rng, Math.min(maxLength, plan.maxLength, lo + s.rng.int(4, 16)), true);
  }

  if (edge === 'min') {
    if (minLength === 0) return () => '';
    return (s) => repeatTo((hint ?? words)(s), minLength);
  }
  if (edge === 'max') return (s) => repeatTo((hint ?? words)(s).trim(), longest(s));
  return (s) => {
    const wide = s.rng.pick(NON_ASCII_FRAGMENTS);
    const markup = s.rng.pick(MARKUP_FRAGMENTS);
    const realistic = hint ? hint(s) : '';
    let text = s.rng.chance(0.5) ? `${wide} ${markup}` : `${markup} ${wide}`;
    if (realistic) text = `${realistic} ${text}`;
    // When only a little fits, the non-ASCII part goes first so it survives the cut.
    if (text.length > maxLength) text = `${wide} ${markup}`;
    return fitUnicode(text, minLength, maxLength);
  };
}
