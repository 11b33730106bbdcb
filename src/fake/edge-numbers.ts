import type { NumberNodeInfo } from './generation-strategy.js';

// The extreme numbers a schema allows. Computed once per node; the node checks them again and keeps its
// realistic draw when an extreme cannot be represented (e.g. a tiny multipleOf near 2^53).

const INT32_MAX = 2 ** 31 - 1;
const FLOAT32_MAX = 3.4028234663852886e38;

/** A nudge that moves `bound` inward by a representable amount (for exclusive float bounds). */
function step(bound: number): number {
  return Math.max(1e-9, Math.abs(bound) * 1e-12);
}

/** How many decimal places a multipleOf step has (`0.05` → 2, `1e-7` → 7). */
export function decimalsOf(m: number): number {
  const text = String(m);
  const exp = /e-(\d+)$/.exec(text);
  if (exp) return Number(exp[1]);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** The multiple of `m` nearest `target` in direction `dir` (+1 up, -1 down) that the node accepts. */
function multipleNear(node: NumberNodeInfo, m: number, target: number, dir: 1 | -1): number | undefined {
  const places = decimalsOf(m);
  const at = (k: number): number => (places === 0 ? k * m : Number((k * m).toFixed(places)));
  const k0 = dir > 0 ? Math.ceil(target / m) : Math.floor(target / m);
  if (!Number.isFinite(k0)) return undefined;
  for (let i = 0; i < 64; i++) {
    const v = at(k0 + dir * i);
    if (node.inBounds(v)) return v;
  }
  return undefined;
}

/** The smallest value the node allows, or 0 (the closest allowed value to 0) when it sets no minimum. */
export function minimumOf(node: NumberNodeInfo): number | undefined {
  const { lo, hi, loExclusive, hiExclusive, integer, multipleOf } = node;
  let target: number;
  if (node.declaredMin) target = integer ? (loExclusive ? Math.floor(lo) + 1 : Math.ceil(lo)) : loExclusive ? lo + step(lo) : lo;
  else if (node.inBounds(0) || multipleOf !== undefined) target = Math.min(Math.max(0, lo), hi);
  else if (hi < 0) target = integer ? (hiExclusive ? Math.ceil(hi) - 1 : Math.floor(hi)) : hiExclusive ? hi - step(hi) : hi;
  else target = integer ? (loExclusive ? Math.floor(lo) + 1 : Math.ceil(lo)) : loExclusive ? lo + step(lo) : lo;
  if (multipleOf !== undefined) return multipleNear(node, multipleOf, target, 1) ?? multipleNear(node, multipleOf, target, -1);
  return node.inBounds(target) ? target : undefined;
}

/** The largest value the node allows: its maximum, else the int32 bound (format int32), float32 (format float) or 2^53-1. */
export function maximumOf(node: NumberNodeInfo): number | undefined {
  const { hi, hiExclusive, integer, multipleOf, format } = node;
  let target: number;
  if (node.declaredMax || format === 'int32') target = integer ? (hiExclusive ? Math.ceil(hi) - 1 : Math.floor(hi)) : hiExclusive ? hi - step(hi) : hi;
  else if (format === 'float' && !integer) target = FLOAT32_MAX;
  else target = Number.MAX_SAFE_INTEGER;
  target = Math.min(target, integer ? Number.MAX_SAFE_INTEGER : target);
  if (multipleOf === undefined) return node.inBounds(target) ? target : undefined;
  // Near 2^53 a fractional multipleOf loses precision; smaller magnitudes are tried before giving way.
  for (const t of [target, INT32_MAX, 1_000_000]) {
    const v = multipleNear(node, multipleOf, Math.min(t, target), -1);
    if (v !== undefined) return v;
  }
  return undefined;
}
