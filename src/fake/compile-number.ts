import { RetryGeneration, unsupported, type CompileContext, type SchemaObject } from './compile-context.js';
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

/** A number or integer node: a realistic range from the name (ids 1..10^6, ages, prices) clipped to the schema's bounds. */
export function compileNumber(schema: SchemaObject, ctx: CompileContext, integer: boolean, name: string, pointer: string): NodeGenerator {
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

  // Integer bounds as inclusive safe integers.
  const L = Math.max(-SAFE, loEx ? Math.floor(lo) + 1 : Math.ceil(lo));
  const H = Math.min(SAFE, hiEx ? Math.ceil(hi) - 1 : Math.floor(hi));
  const hint = numberHintForName(name);

  // The realistic window: the name's range clipped to the bounds, else up to 1000 upwards from
  // zero (or from the lower bound), else the 1000 below the upper bound.
  const bLo = integer ? L : lo;
  const bHi = integer ? H : hi;
  let rLo = hint && !hint.epoch ? Math.max(hint.min, bLo) : Infinity;
  let rHi = hint && !hint.epoch ? Math.min(hint.max, bHi) : -Infinity;
  if (!(rLo <= rHi)) {
    const start = Math.min(Math.max(0, bLo), bHi);
    [rLo, rHi] = [start, Math.min(bHi, start + DEFAULT_RANGE)];
    if (rLo === rHi && rHi === bHi) rLo = Math.max(bLo, bHi - DEFAULT_RANGE);
  }
  if (integer && L > H) throw unsupported(pointer, `no integer lies between ${lo} and ${hi}`);
  if (!integer && (lo > hi || (lo === hi && (loEx || hiEx)))) throw unsupported(pointer, `no number lies between ${lo} and ${hi}`);

  let draw: (s: GenerateState) => number;
  const edge = ctx.strategy.numberMaker?.({
    integer,
    lo,
    hi,
    loExclusive: loEx,
    hiExclusive: hiEx,
    declaredMin: typeof schema.minimum === 'number' || typeof schema.exclusiveMinimum === 'number',
    declaredMax: typeof schema.maximum === 'number' || typeof schema.exclusiveMaximum === 'number',
    multipleOf: m,
    format: typeof schema.format === 'string' ? schema.format : undefined,
    inBounds,
  });
  if (m !== undefined) {
    const kMin = (a: number) => Math.ceil(a / m);
    const kMax = (b: number) => Math.floor(b / m);
    let kLo = kMin(rLo);
    let kHi = kMax(rHi);
    if (kLo > kHi) [kLo, kHi] = [kMin(integer ? L : lo), kMax(integer ? H : hi)];
    if (!(kLo <= kHi)) throw unsupported(pointer, `no multiple of ${m} lies between ${lo} and ${hi}`);
    kLo = Math.max(kLo, -SAFE);
    kHi = Math.min(kHi, SAFE);
    const places = decimalsOf(m);
    const at = (k: number): number => (places === 0 ? k * m : Number((k * m).toFixed(places)));
    draw = (s) => {
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
  } else if (integer) {
    draw = (s) => s.rng.int(rLo, rHi);
  } else {
    const places = hint?.decimals ?? 2;
    const scale = 10 ** places;
    draw = (s) => {
      const raw = rLo + s.rng.next() * (rHi - rLo);
      const v = Math.round(raw * scale) / scale;
      if (inBounds(v)) return v;
      if (inBounds(raw)) return raw;
      const mid = (rLo + rHi) / 2;
      return inBounds(mid) ? mid : (lo + hi) / 2;
    };
  }

  if (edge) {
    const realistic = draw;
    draw = (s) => {
      const v = edge(s);
      return v !== undefined && inBounds(v) ? v : realistic(s);
    };
  }

  // Probe once so an impossible combination fails at compile time rather than on every call.
  let found = false;
  for (let i = 0; i < 16 && !found; i++) {
    try {
      found = inBounds(draw(ctx.probe(i + 1)));
    } catch {
      found = false;
    }
  }
  if (!found) throw unsupported(pointer, `cannot generate a number within ${lo}..${hi}${m ? ` that is a multiple of ${m}` : ''}`);

  const gen: NodeGenerator = draw;
  if (hint?.epoch) {
    const perMs = hint.epoch === 'millis' ? 1 : 1000;
    gen.at = (s, ms) => {
      const v = Math.floor(ms / perMs);
      return inBounds(v) ? v : draw(s);
    };
    const strategy = ctx.strategy;
    const timed: NodeGenerator = strategy.timeWindow
      ? (s) => {
          const window = strategy.timeWindow!(s.now);
          return gen.at!(s, strategy.instant(window[0], window[1], s));
        }
      : (s) => gen.at!(s, strategy.instant(timestampWindowStart(s.now), s.now, s));
    timed.at = gen.at;
    return timed;
  }
  return gen;
}
