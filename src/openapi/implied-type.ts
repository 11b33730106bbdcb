// Which type a schema without `type` implies through its type-specific keywords: one table for the
// loader (which builds validators) and the fake-data generator. They ask different questions, and
// the table says where the answers part:
// - validating: only the keywords OpenAPI 3.0 authors leave `type` off for imply it; a 2020-12
//   keyword (`prefixItems`, `contains`, `patternProperties`) and `format` keep their JSON Schema
//   meaning (they constrain values of one type and let every other type pass);
// - generating: one type must be picked, so those keywords pick the type they constrain too
//   (`format` alone picks string, the type nearly every format is for).

/** Why the type is asked for: to build a validator, or to generate a value. */
export type ImpliedTypePurpose = 'validate' | 'generate';

const implied: { type: string; keywords: string[]; generateOnly: string[] }[] = [
  { type: 'object', keywords: ['properties', 'additionalProperties', 'required', 'minProperties', 'maxProperties'], generateOnly: ['patternProperties'] },
  { type: 'array', keywords: ['items', 'minItems', 'maxItems', 'uniqueItems'], generateOnly: ['prefixItems', 'contains'] },
  { type: 'string', keywords: ['minLength', 'maxLength', 'pattern'], generateOnly: ['format'] },
  { type: 'number', keywords: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'], generateOnly: [] },
];

/** The type a schema's keywords imply when it declares none, or undefined when they imply none. */
export function impliedType(schema: Record<string, unknown>, purpose: ImpliedTypePurpose): string | undefined {
  const has = (keys: string[]) => keys.some((key) => schema[key] !== undefined);
  return implied.find((entry) => has(entry.keywords) || (purpose === 'generate' && has(entry.generateOnly)))?.type;
}
