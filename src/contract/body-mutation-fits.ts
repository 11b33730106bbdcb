import type { TSchema } from '@sinclair/typebox';
import type { BodyMutation } from './body-mutations.js';
import type { FieldEncoding } from './contract-types.js';
import { pointerTokens, valueAtPointer } from './json-pointer.js';
import type { MediaKind } from './request-media.js';
import { scalarText } from './serialise-parameter.js';

// A mutation is a negative case only if it still breaks the schema once on the wire. Form and multipart
// fields and text bodies travel as text, where `12345` is a fine string and `null` cannot be written:
// such a break is kept only when the value, read back from its text as a server would, is still invalid.
// Only top-level fields are broken there (nested ones are the server's own parsing); bytes cannot be wrong.

/** How a server reads text back: the schema of a top-level field, text converted to a schema's type, validity of a body. */
export interface TextReading {
  propertySchema(name: string): TSchema | undefined;
  rootSchema: TSchema;
  /** `text` converted to `schema`'s type (a single item for arrays), as a lenient server would. */
  read(schema: TSchema, text: string): unknown;
  isValid(body: unknown): boolean;
}

/** True when `mutation` stays invalid after serialisation as `kind`. */
export function bodyMutationFits(kind: MediaKind, mutation: BodyMutation, fields: Record<string, FieldEncoding>, reading: TextReading): boolean {
  if (kind === 'json' || kind === 'yaml') return true;
  const tokens = pointerTokens(mutation.pointer);
  const broken = valueAtPointer(mutation.body, mutation.pointer).value;
  if (kind === 'text') {
    return tokens.length === 0 && mutation.kind !== 'null-not-allowed' && !reading.isValid(reading.read(reading.rootSchema, scalarText(broken)));
  }
  if ((kind !== 'form' && kind !== 'multipart') || tokens.length !== 1) return false;
  const [name] = tokens;
  if (mutation.kind === 'missing-required') return true;
  if (fields[name]?.file || mutation.kind === 'null-not-allowed') return false;
  const schema = reading.propertySchema(name);
  if (!schema || broken === undefined) return false;
  const body = { ...(mutation.body as Record<string, unknown>), [name]: reading.read(schema, scalarText(broken)) };
  return !reading.isValid(body);
}
