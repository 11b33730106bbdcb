import { FormatRegistry } from '@sinclair/typebox';
import { stringFormats } from '../openapi/formats.js';
import { compileLenientPattern } from '../openapi/json-schema-node.js';
import { unsupported, type CompileContext, type KindCompiler, type NodeSite, type SchemaObject } from './compile-context.js';
import type { GenerateState, NodeGenerator } from './generate-state.js';
import { isTimeName, stringHintForName } from './name-hints.js';
import { compilePattern } from './pattern-generator.js';
import { randomChars, type RealisticValues, type StringMaker } from './realistic-values.js';
import { formatDate, formatDateTime, timestampWindowStart } from './timestamps.js';

/** Extra patterns collected when allOf branches each carry one (all must match). */
export const EXTRA_PATTERNS = 'x-iwkit-patterns';

type Maker = (state: GenerateState) => string | undefined;

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const PROBES = 8;

function formatMaker(format: string | undefined, v: RealisticValues): StringMaker | undefined {
  switch (format) {
    case 'email':
      return v.email;
    case 'uri':
    case 'url':
    case 'iri':
      return v.url;
    case 'uri-reference':
    case 'iri-reference':
      return v.path;
    case 'uuid':
      return v.uuid;
    case 'ipv4':
      return v.ipv4;
    case 'ipv6':
      return v.ipv6;
    case 'hostname':
    case 'idn-hostname':
      return v.hostname;
    case 'byte':
      return v.byte;
    case 'time':
      return v.time;
    case 'password':
      return v.password;
    case 'idn-email':
      return v.email;
    case 'iso-time':
      return v.time;
    case 'duration':
      return (s) => `P${s.rng.int(1, 30)}DT${s.rng.int(0, 23)}H${s.rng.int(0, 59)}M`;
    case 'uri-template':
      return (s) => `${v.url(s)}/{id}`;
    case 'json-pointer':
      return (s) => `/${v.word(s)}/${s.rng.int(0, 9)}`;
    case 'json-pointer-uri-fragment':
      return (s) => `#/${v.word(s)}/${s.rng.int(0, 9)}`;
    case 'relative-json-pointer':
      return (s) => `${s.rng.int(0, 3)}/${v.word(s)}`;
    case 'regex':
      return (s) => `^${v.word(s)}-[0-9]+$`;
    default:
      return undefined;
  }
}

function formatCheck(format: string | undefined): ((value: string) => boolean) | undefined {
  if (format === undefined) return undefined;
  const registered = FormatRegistry.Get(format);
  return registered ?? stringFormats[format];
}


/** Converts what an `x-faker` method returned into a string candidate. */
export function toStringCandidate(value: unknown, format: string | undefined): string | undefined {
  if (value instanceof Date) return format === 'date' ? value.toISOString().slice(0, 10) : formatDateTime(value.getTime());
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

interface StringConstraints {
  minLength: number;
  maxLength: number;
  format: string | undefined;
  patternSources: string[];
  regexes: RegExp[];
  ok: (value: string) => boolean;
}

function readConstraints(schema: SchemaObject, pointer: string): StringConstraints {
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  const patternSources = [schema.pattern, ...((schema[EXTRA_PATTERNS] as unknown[] | undefined) ?? [])].filter(
    (p): p is string => typeof p === 'string',
  );
  const regexes: RegExp[] = [];
  for (const source of patternSources) {
    // As every iwkit validator reads a pattern: with the `u` flag when it compiles so, else without.
    const regex = compileLenientPattern(source);
    if (!regex) throw unsupported(`${pointer}/pattern`, `invalid pattern ${JSON.stringify(source)}`);
    regexes.push(regex);
  }
  if (minLength > maxLength) throw unsupported(pointer, `minLength ${minLength} exceeds maxLength ${maxLength}`);
  const fmtCheck = formatCheck(format);
  const ok = (value: string): boolean =>
    value.length >= minLength &&
    value.length <= maxLength &&
    (fmtCheck === undefined || fmtCheck(value)) &&
    regexes.every((r) => r.test(value));
  return { minLength, maxLength, format, patternSources, regexes, ok };
}

/**
 * A string node: the realistic hint when it fits every constraint, else pattern/format values, else a known-good
 * value. An edge strategy's candidate comes first and is kept only when it passes the same checks.
 */
export const compileString: KindCompiler = (schema, site) => {
  const { ctx, name, pointer } = site;
  const constraints = readConstraints(schema, pointer);
  const realistic = compileRealisticString(schema, constraints, site);
  const strategy = ctx.strategy;
  // Timestamps (nodes with `at`) already take their edges from the strategy's instants.
  if (!strategy.stringMaker || realistic.at) return realistic;
  const { minLength, maxLength, format, patternSources, ok } = constraints;
  const edge = strategy.stringMaker({ name, minLength, maxLength, format, patterns: patternSources, hint: stringHintForName(name, ctx.values), words: ctx.values.words });
  if (!edge) return realistic;
  return (s) => {
    const value = safeMake(edge, s);
    if (value !== undefined && ok(value)) {
      s.budget -= value.length;
      return value;
    }
    return realistic(s);
  };
};

type Candidate = { make: Maker; tries: number };

function compileRealisticString(schema: SchemaObject, constraints: StringConstraints, site: NodeSite): NodeGenerator {
  const timestamp = timestampString(constraints, site);
  if (timestamp) return timestamp;
  const { candidates, fitsByLength } = stringCandidates(schema, constraints, site);
  const probed = probeCandidates(candidates, constraints, site.ctx);
  if (fitsByLength) return firstFitting(probed.kept.length > 0 ? probed.kept : candidates, constraints);
  if (probed.knownGood === undefined) {
    const found = searchHarder(candidates, constraints, site.ctx, probed.probeSeed);
    if (found) {
      probed.knownGood = found.value;
      probed.kept.push(found.candidate);
    }
  }
  if (probed.knownGood === undefined) return closestString(candidates, constraints, site);
  const fallback = probed.knownGood;
  const { kept } = probed;
  return (s) => {
    for (const candidate of kept) {
      for (let t = 0; t < candidate.tries; t++) {
        const value = safeMake(candidate.make, s);
        if (value !== undefined && constraints.ok(value)) return value;
      }
    }
    return fallback;
  };
}

// Timestamps are built from an instant so an object can order its created/updated pairs.
function timestampString({ minLength, maxLength, format, regexes }: StringConstraints, { ctx, name }: NodeSite): NodeGenerator | undefined {
  const timeLength = format === 'date' ? 10 : 20;
  const timeLike = format === 'date-time' || format === 'iso-date-time' || format === 'date' || (format === undefined && isTimeName(name));
  if (!timeLike || regexes.length > 0 || minLength > timeLength || maxLength < timeLength) return undefined;
  const at = format === 'date' ? formatDate : formatDateTime;
  const strategy = ctx.strategy;
  if (!strategy.timeWindow && !strategy.dateTime) {
    const gen: NodeGenerator = (s) => at(strategy.instant(timestampWindowStart(s.now), s.now, s));
    gen.at = (_s, ms) => at(ms);
    return gen;
  }
  // An edge strategy may move the window and write offsets; a text too long for the schema stays UTC.
  const render = strategy.dateTime;
  const atEdge = (s: GenerateState, ms: number): string => {
    if (format === 'date' || !render) return at(ms);
    const text = render(ms, s);
    return text.length >= minLength && text.length <= maxLength ? text : at(ms);
  };
  const gen: NodeGenerator = (s) => {
    const window = strategy.timeWindow ? strategy.timeWindow(s.now) : [timestampWindowStart(s.now), s.now];
    return atEdge(s, strategy.instant(window[0], window[1], s));
  };
  gen.at = atEdge;
  return gen;
}

/** The makers worth trying, best first: the strategy's, x-faker, the name's hint, the format's, the patterns', the schema's constants, words. */
function stringCandidates(schema: SchemaObject, { minLength, maxLength, format, patternSources, regexes }: StringConstraints, { ctx, name, xFaker }: NodeSite): { candidates: Candidate[]; fitsByLength: boolean } {
  const candidates: Candidate[] = [];
  const strategyString = ctx.strategy.string;
  if (strategyString) candidates.push({ make: (s) => strategyString({ minLength, maxLength }, s), tries: 1 });
  if (xFaker) candidates.push({ make: () => toStringCandidate(safeCall(xFaker), format), tries: 2 });
  const nameHint = stringHintForName(name, ctx.values);
  if (nameHint) candidates.push({ make: nameHint, tries: 1 });
  if (format === 'date-time') candidates.push({ make: (s) => formatDateTime(s.now - s.rng.int(0, 86_400_000)), tries: 1 });
  if (format === 'date') candidates.push({ make: (s) => formatDate(s.now), tries: 1 });
  const fmt = formatMaker(format, ctx.values);
  if (fmt) candidates.push({ make: fmt, tries: 1 });
  const spans = [...new Set([8, minLength, maxLength === Infinity ? 24 : maxLength].filter((n) => n > 0))];
  for (const source of patternSources) {
    const generate = compilePattern(source);
    if (generate) {
      for (const span of spans) candidates.push({ make: (s) => generate(s.rng, span), tries: 3 });
    }
    candidates.push({ make: () => ctx.faker.helpers.fromRegExp(source), tries: 1 });
  }
  for (const constant of [schema.example, schema.default]) {
    if (typeof constant === 'string') candidates.push({ make: () => constant, tries: 1 });
  }
  const fitsByLength = regexes.length === 0 && formatCheck(format) === undefined;
  if (!nameHint || !fitsByLength) candidates.push({ make: ctx.values.words, tries: 1 });
  return { candidates, fitsByLength };
}

// Probe each candidate a few times at compile time: drop those that never fit, and keep one
// value that does as the last resort, so a call never has to return something invalid.
function probeCandidates(candidates: Candidate[], { ok }: StringConstraints, ctx: CompileContext): { kept: Candidate[]; knownGood?: string; probeSeed: number } {
  let knownGood: string | undefined;
  const kept: Candidate[] = [];
  let probeSeed = 1;
  for (const candidate of candidates) {
    let passes = 0;
    for (let i = 0; i < PROBES; i++) {
      const value = safeMake(candidate.make, ctx.probe(probeSeed++));
      if (value !== undefined && ok(value)) {
        passes++;
        knownGood ??= value;
      }
    }
    if (passes > 0) kept.push(candidate);
  }
  return { kept, ...(knownGood !== undefined ? { knownGood } : {}), probeSeed };
}

// A harder search for patterns whose quantifiers rarely land inside the length bounds.
function searchHarder(candidates: Candidate[], { ok }: StringConstraints, ctx: CompileContext, probeSeed: number): { value: string; candidate: Candidate } | undefined {
  for (const candidate of candidates) {
    for (let i = 0; i < 200; i++) {
      const value = safeMake(candidate.make, ctx.probe(probeSeed++));
      if (value !== undefined && ok(value)) return { value, candidate };
    }
  }
  return undefined;
}

/** A value cut or padded to the length bounds. */
function fitLength(value: string, s: GenerateState, { minLength, maxLength }: StringConstraints): string {
  let out = value.length > maxLength ? value.slice(0, maxLength).trimEnd() : value;
  if (out.length < minLength) out += randomChars(s, ALNUM, minLength - out.length);
  return out;
}

// Only lengths constrain the string: the first candidate that fits, else the first one cut to length.
function firstFitting(tried: Candidate[], constraints: StringConstraints): NodeGenerator {
  return (s) => {
    let first: string | undefined;
    for (const candidate of tried) {
      const value = safeMake(candidate.make, s);
      if (value === undefined) continue;
      if (constraints.ok(value)) return value;
      first ??= value;
    }
    return fitLength(first ?? '', s, constraints);
  };
}

// No candidate fits (a lookaround no value can satisfy, a format the lengths exclude): the closest candidate is
// returned and the root's check decides; the generator reports the problem instead of failing to compile.
function closestString(tried: Candidate[], constraints: StringConstraints, { ctx, pointer }: NodeSite): NodeGenerator {
  const { patternSources, format, minLength, maxLength, ok } = constraints;
  const what = [
    patternSources.length ? `pattern ${patternSources.map((p) => JSON.stringify(p)).join(' and ')}` : '',
    format ? `format ${format}` : '',
    minLength > 0 || maxLength < Infinity ? `length ${minLength}..${maxLength}` : '',
  ].filter(Boolean);
  const reason = `${pointer}: cannot generate a string with ${what.join(', ')}`;
  ctx.uncertain.push(reason);
  const closest: NodeGenerator = (s) => {
    for (const candidate of tried) {
      const value = safeMake(candidate.make, s);
      if (value !== undefined && ok(value)) return value;
    }
    const first = tried.map((candidate) => safeMake(candidate.make, s)).find((value) => value !== undefined) ?? '';
    return fitLength(first, s, constraints);
  };
  closest.impossible = reason;
  return closest;
}

function safeMake(make: Maker, state: GenerateState): string | undefined {
  try {
    const value = make(state);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function safeCall(fn: () => unknown): unknown {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
