import { optionError } from '../options/check-options.js';

/** One share of a run: `index` from 1 to `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** At most this many shards: a CI matrix, not one job per case. */
export const MAX_SHARDS = 1000;

/** Reads `--shard i/n` (or an object) into a shard; a bad value is an option error. */
export function parseShard(raw: string | Shard): Shard {
  const m = typeof raw === 'string' ? /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw) : undefined;
  const shard = typeof raw === 'string' ? (m ? { index: Number(m[1]), count: Number(m[2]) } : undefined) : raw;
  if (!shard || !Number.isInteger(shard.index) || !Number.isInteger(shard.count) || shard.count < 1 || shard.count > MAX_SHARDS || shard.index < 1 || shard.index > shard.count) {
    throw optionError('shard', `expected i/n with 1 ≤ i ≤ n ≤ ${MAX_SHARDS}, got "${typeof raw === 'string' ? raw : `${String(raw.index)}/${String(raw.count)}`}"`);
  }
  return shard;
}

function hash(text: string, seed: number): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * The units of one shard. Units are ranked by a hash of their id and the seed, then dealt round-robin, so every
 * unit lands in exactly one shard, shares differ by at most one unit, and the split is the same in every job of a
 * matrix that passes the same seed (ids are stable for a given spec, options and seed). The kept units stay in run order.
 */
export function shardUnits<T extends { id: string }>(units: readonly T[], shard: Shard, seed: number): T[] {
  const ranked = units.map((u, position) => ({ position, key: hash(u.id, seed), id: u.id })).sort((a, b) => a.key - b.key || (a.id < b.id ? -1 : a.id > b.id ? 1 : a.position - b.position));
  const keep = new Set(ranked.filter((_, rank) => rank % shard.count === shard.index - 1).map((r) => r.position));
  return units.filter((_, position) => keep.has(position));
}
