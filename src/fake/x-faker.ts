import { isSchemaObject, misconfigured, type CompileContext } from './compile-context.js';

/**
 * Resolves an `x-faker` extension once: `"internet.email"` (a leading `faker.` is allowed) or
 * `{ "helpers.arrayElement": [["a", "b"]] }` (method path → argument list). Unknown methods are a
 * coded error at compile time, never a silent fallback.
 */
export function resolveXFaker(spec: unknown, ctx: CompileContext, pointer: string): (() => unknown) | undefined {
  if (spec === undefined) return undefined;
  let path: string;
  let args: unknown[] = [];
  if (typeof spec === 'string') path = spec;
  else if (isSchemaObject(spec) && Object.keys(spec).length === 1) {
    path = Object.keys(spec)[0];
    const raw = spec[path];
    args = Array.isArray(raw) ? raw : [raw];
  } else throw misconfigured(`${pointer}/x-faker`, 'x-faker must be a method path like "internet.email" or { "method.path": [args] }');
  const parts = path.replace(/^faker\./, '').split('.');
  let owner: unknown = ctx.faker;
  for (const part of parts.slice(0, -1)) {
    owner = typeof owner === 'object' && owner !== null && !part.startsWith('_') ? (owner as Record<string, unknown>)[part] : undefined;
  }
  const method = parts[parts.length - 1];
  const fn = typeof owner === 'object' && owner !== null && !method.startsWith('_') ? (owner as Record<string, unknown>)[method] : undefined;
  if (typeof fn !== 'function') throw misconfigured(`${pointer}/x-faker`, `x-faker ${JSON.stringify(path)} names no Faker method`);
  ctx.usesFakerDates = true;
  const target = owner as object;
  return () => (fn as (...a: unknown[]) => unknown).apply(target, args);
}
