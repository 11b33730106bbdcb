import { FormatRegistry } from '@sinclair/typebox';
import { fullFormats } from 'ajv-formats/dist/formats.js';

// TypeBox's FormatRegistry starts empty and fails every value whose format is unknown, so the formats
// OpenAPI documents use are registered here before anything compiles. The checks are ajv-formats' own
// ("full" mode) definitions: a TypeBox node and an ajv-backed node (json-schema-node.ts) read a format
// the same way, and so does the independent ajv 2020 + ajv-formats validator a test or a user runs.

type FormatDefinition = (typeof fullFormats)[keyof typeof fullFormats];

function toCheck(definition: FormatDefinition): ((value: string) => boolean) | undefined {
  if (definition === true) return () => true;
  if (definition instanceof RegExp) return (value) => definition.test(value);
  if (typeof definition === 'function') return definition as (value: string) => boolean;
  if (typeof definition === 'object' && definition !== null && 'validate' in definition) {
    // Number formats (int32, float, ...) have `type: 'number'`: TypeBox only reads formats on strings.
    if ('type' in definition && definition.type !== 'string') return undefined;
    return toCheck(definition.validate as FormatDefinition);
  }
  return undefined;
}

function buildStringFormats(): Record<string, (value: string) => boolean> {
  const out: Record<string, (value: string) => boolean> = {};
  for (const [name, definition] of Object.entries(fullFormats)) {
    const check = toCheck(definition as FormatDefinition);
    if (check) out[name] = check;
  }
  return out;
}

/** The string formats iwkit validates (ajv-formats' full set); any other format is accepted with a warning at load time. */
export const stringFormats: Record<string, (value: string) => boolean> = buildStringFormats();

/** RFC 3339 full-date, as ajv-formats reads it. */
export function isDate(value: string): boolean {
  return stringFormats.date(value);
}

/** RFC 3339 full-time (offset required), as ajv-formats reads it. */
export function isTime(value: string): boolean {
  return stringFormats.time(value);
}

/** RFC 3339 date-time, e.g. `2025-05-04T09:42:00Z`, as ajv-formats reads it. */
export function isDateTime(value: string): boolean {
  return stringFormats['date-time'](value);
}

/** Registers every supported string format in TypeBox's FormatRegistry; safe to call more than once. */
export function registerFormats(): void {
  for (const [name, check] of Object.entries(stringFormats)) {
    if (!FormatRegistry.Has(name)) FormatRegistry.Set(name, check);
  }
}

/** Registers a format that accepts every string, so an unknown format does not fail every value. */
export function registerPermissiveFormat(name: string): void {
  if (!FormatRegistry.Has(name)) FormatRegistry.Set(name, () => true);
}
