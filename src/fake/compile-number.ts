import { RetryGeneration, unsupported, type CompileContext, type KindCompiler, type SchemaObject } from './compile-context.js';
import type { GenerateState, NodeGenerator } from './generate-state.js';
import { decimalsOf } from './edge-numbers.js';
import { numberHintForName } from './name-hints.js';
import { timestampWindowStart } from './timestamps.js';

const INT32 = 2 ** 31;
const SAFE = Number.MAX_SAFE_INTEGER;
const DEFAULT_RANGE = 1000;

// TypeBox checks multipleOf as `value % m === 0` in floating point, so 0.3 is not a multiple of 0.1
// for it; candidates are tested with exactly that expression.
function isMultiple(value: number, m: number | undefined): boolean {
  return m === undefined || value % m === 0;
}

/** A node's bounds as the schema states them (`int32` clips them), and the test every value must pass. */
interface Bounds {
  integer: boolean;
  lo: number;
  hi: number;
  loEx: boolean;
  hiEx: boolean;
  /** Inclusive safe-integer bounds. */
  L: number;
  H: number;
  m?: number;
  inBounds(v: number): boolean;
}

function readBounds(schema: SchemaObject, integer: boolean, pointer: string): Bounds {
  let lo = -Infinity;
  let hi = Infinity;
  let loEx = false;
  let hiEx = false;
  if (typeof schema.minimum === 'number') lo = schema.minimum;
  if (typeof schema.maximum === 'number') hi = schema.maximum;
  if (schema.exclusiveMinimum === true) loEx = true;
  if (schema.exclusiveMaximum === true) hiEx = true;
  if (typeof schema.exclusiveMinimum === 'number' && schema.exclusiveMinimum >= lo) {
    lo = schema.exclusiveMinimum;
    loEx = true;
  }
  if (typeof schema.exclusiveMaximum === 'number' && schema.exclusiveMaximum <= hi) {
    hi = schema.exclusiveMaximum;
    hiEx = true;
  }
  if (schema.format === 'int32') {
    if (lo < -INT32) [lo, loEx] = [-INT32, false];
    if (hi > INT32 - 1) [hi, hiEx] = [INT32 - 1, false];
  }
  const m = typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : undefined;
  const inBounds = (v: number): boolean =>
    (loEx ? v > lo : v >= lo) && (hiEx ? v < hi : v <= hi) && (!integer || Number.isInteger(v)) && isMultiple(v, m) && Number.isFinite(v);
  const L = Math.max(-SAFE, loEx ? Math.floor(lo) + 1 : Math.ceil(lo));
  const H = Math.min(SAFE, hiEx ? Math.ceil(hi) - 1 : Math.floor(hi));
  if (integer && L > H) throw unsupported(pointer, `no integer lies between ${lo} and ${hi}`);
  if (!integer && (lo > hi || (lo === hi && (loEx || hiEx)))) throw unsupported(pointer, `no number lies between ${lo} and ${hi}`);
  return { integer, lo, hi, loEx, hiEx, L, H, ...(m !== undefined ? { m } : {}), inBounds };
}

// The realistic window: the name's range clipped to the bounds, else up to 1000 upwards from
// zero (or from the lower bound), else the 1000 below the upper bound.
function realisticWindow(b: Bounds, hint: ReturnType<typeof numberHintForName>): [number, number] {
  const bLo = b.integer ? b.L : b.lo;
  const bHi = b.integer ? b.H : b.hi;
  let rLo = hint && !hint.epoch ? Math.max(hint.min, bLo) : Infinity;
  let rHi = hint && !hint.epoch ? Math.min(hint.max, bHi) : -Infinity;
  if (!(rLo <= rHi)) {
    const start = Math.min(Math.max(0, bLo), bHi);
    [rLo, rHi] = [start, Math.min(bHi, start + DEFAULT_RANGE)];
    if (rLo === rHi && rHi === bHi) rLo = Math.max(bLo, bHi - DEFAULT_RANGE);
  }
  return [rLo, rHi];
}

function multipleDraw(b: Bounds, m: number, [rLo, rHi]: [number, number], pointer: string): (s: GenerateState) => number {
  const { integer, lo, hi, L, H, inBounds } = b;
  const kMin = (a: number) => Math.ceil(a / m);
  const kMax = (c: number) => Math.floor(c / m);
  let kLo = kMin(rLo);
  let kHi = kMax(rHi);
  if (kLo > kHi) [kLo, kHi] = [kMin(integer ? L : lo), kMax(integer ? H : hi)];
  if (!(kLo <= kHi)) throw unsupported(pointer, `no multiple of ${m} lies between ${lo} and ${hi}`);
  kLo = Math.max(kLo, -SAFE);
  kHi = Math.min(kHi, SAFE);
  const places = decimalsOf(m);
  const at = (k: number): number => (places === 0 ? k * m : Number((k * m).toFixed(places)));
  return (s) => {
    const k = s.rng.int(kLo, kHi);
    for (let step = 0; step < 64; step++) {
      const v = at(k + step);
      if (inBounds(v)) return v;
      const w = at(k - step);
      if (inBounds(w)) return w;
    }
    if (inBounds(0)) return 0;
    throw new RetryGeneration(`no multiple of ${m} found at ${pointer}`);
  };
}

function decimalDraw(b: Bounds, [rLo, rHi]: [number, number], places: number): (s: GenerateState) => number {
  const scale = 10 ** places;
  return (s) => {
    const raw = rLo + s.rng.next() * (rHi - rLo);
    const v = Math.round(raw * scale) / scale;
    if (b.inBounds(v)) return v;
    if (b.inBounds(raw)) return raw;
    const mid = (rLo + rHi) / 2;
    return b.inBounds(mid) ? mid : (b.lo + b.hi) / 2;
  };
}

/** The strategy's edge value first, when it has one and it is in bounds; the realistic draw otherwise. */
function withEdge(schema: SchemaObject, b: Bounds, ctx: CompileContext, realistic: (s: GenerateState) => number): (s: GenerateState) => number {
  const edge = ctx.strategy.numberMaker?.({
    integer: b.integer,
    lo: b.lo,
    hi: b.hi,
    loExclusive: b.loEx,
    hiExclusive: b.hiEx,
    declaredMin: typeof schema.minimum === 'number' || typeof schema.exclusiveMinimum === 'number',
    declaredMax: typeof schema.maximum === 'number' || typeof schema.exclusiveMaximum === 'number',
    multipleOf: b.m,
    format: typeof schema.format === 'string' ? schema.format : undefined,
    inBounds: b.inBounds,
  });
  if (!edge) return realistic;
  return (s) => {
    const v = edge(s);
    return v !== undefined && b.inBounds(v) ? v : realistic(s);
  };
}

// Probe once so an impossible combination fails at compile time rather than on every call.
function probeOrThrow(b: Bounds, draw: (s: GenerateState) => number, ctx: CompileContext, pointer: string): void {
  let found = false;
  for (let i = 0; i < 16 && !found; i++) {
    try {
      found = b.inBounds(draw(ctx.probe(i + 1)));
    } catch {
      found = false;
    }
  }
  if (!found) throw unsupported(pointer, `cannot generate a number within ${b.lo}..${b.hi}${b.m ? ` that is a multiple of ${b.m}` : ''}`);
}

/** An epoch-named number (`createdAt` in seconds or millis) is drawn from the strategy's instants, so objects can order it. */
function epochNode(b: Bounds, draw: (s: GenerateState) => number, perMs: number, ctx: CompileContext): NodeGenerator {
  const at = (s: GenerateState, ms: number): number => {
    const v = Math.floor(ms / perMs);
    return b.inBounds(v) ? v : draw(s);
  };
  const strategy = ctx.strategy;
  const timed: NodeGenerator = strategy.timeWindow
    ? (s) => {
        const window = strategy.timeWindow!(s.now);
        return at(s, strategy.instant(window[0], window[1], s));
      }
    : (s) => at(s, strategy.instant(timestampWindowStart(s.now), s.now, s));
  timed.at = at;
  return timed;
}

/** A number or integer node (integer when `type: integer`): a realistic range from the name (ids 1..10^6, ages, prices) clipped to the schema's bounds. */
export const compileNumber: KindCompiler = (schema, { ctx, name, pointer }) => {
  const integer = schema.type === 'integer';
  const hint = numberHintForName(name);
  const b = readBounds(schema, integer, pointer);
  const window = realisticWindow(b, hint);
  const realistic = b.m !== undefined ? multipleDraw(b, b.m, window, pointer) : integer ? (s: GenerateState) => s.rng.int(window[0], window[1]) : decimalDraw(b, window, hint?.decimals ?? 2);
  const draw = withEdge(schema, b, ctx, realistic);
  probeOrThrow(b, draw, ctx, pointer);
  return hint?.epoch ? epochNode(b, draw, hint.epoch === 'millis' ? 1 : 1000, ctx) : draw;
};
