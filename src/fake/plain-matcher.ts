import { isSchemaObject } from './compile-context.js';

// Where TypeBox has no check for a schema (a plain JSON Schema fragment), the commonest small ones
// (type, const, enum) still get an exact answer rather than none.

/** A minimal matcher for plain JSON Schema `not` targets (type/const/enum) when no TypeBox check exists. */
export function plainMatcher(schema: unknown): ((value: unknown) => boolean) | undefined {
  if (!isSchemaObject(schema)) return undefined;
  const keys = Object.keys(schema).filter((k) => !['title', 'description'].includes(k));
  if (keys.some((k) => !['type', 'const', 'enum'].includes(k))) return undefined;
  const types = schema.type === undefined ? undefined : Array.isArray(schema.type) ? schema.type : [schema.type];
  const enumKeys = Array.isArray(schema.enum) ? new Set(schema.enum.map((v) => JSON.stringify(v))) : undefined;
  const constKey = Object.hasOwn(schema, 'const') ? JSON.stringify(schema.const) : undefined;
  return (value) => {
    if (types && !types.some((t) => jsonTypeOf(value, t))) return false;
    if (enumKeys && !enumKeys.has(JSON.stringify(value))) return false;
    if (constKey !== undefined && constKey !== JSON.stringify(value)) return false;
    return true;
  };
}

/** Whether `value` is of the JSON Schema `type`. */
function jsonTypeOf(value: unknown, type: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}
