import type { Faker } from '@faker-js/faker';

/** What a fixture builder sees of the request that it answers. */
export interface FixtureRequest {
  method: string;
  path: string;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** A fixture module's builder: returns a (partial) body; it is merged over generated data. */
export type FixtureBuilder = (ctx: { faker: Faker; request: FixtureRequest; seed: number }) => unknown;

/** One fixture of an operation, as read from `fixtures/<operationId>/<name>.json|.js`. */
export interface Fixture {
  name: string;
  /** The file it came from, for error messages. */
  file: string;
  /** The response status it answers with; omitted means the operation's lowest 2xx. */
  status?: number;
  summary?: string;
  headers?: Record<string, string>;
  /** A partial body merged over generated data (objects deep-merged, everything else replaced). */
  body?: unknown;
  build?: FixtureBuilder;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep-merges a fixture's partial body over generated data: objects merge key by key, the fixture wins everywhere else. */
export function mergeOver(generated: unknown, partial: unknown): unknown {
  if (partial === undefined) return generated;
  if (!isPlainObject(generated) || !isPlainObject(partial)) return partial;
  const out: Record<string, unknown> = { ...generated };
  for (const [key, value] of Object.entries(partial)) {
    // Own-property writes only: a fixture must not be able to reach Object.prototype.
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    out[key] = mergeOver(generated[key], value);
  }
  return out;
}
