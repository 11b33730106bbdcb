import { Kind, type TSchema } from '@sinclair/typebox';
import type { Api } from '../../src/openapi/api-model.js';

/** One example the spec embeds, with the TypeBox schema it must satisfy. */
export interface EmbeddedExample {
  where: string;
  schema: TSchema;
  value: unknown;
}

function walk(schema: unknown, where: string, out: EmbeddedExample[]): void {
  if (Array.isArray(schema)) {
    schema.forEach((item, index) => walk(item, `${where}/${index}`, out));
    return;
  }
  if (typeof schema !== 'object' || schema === null) return;
  const node = schema as Record<string | symbol, unknown>;
  if (Kind in node) {
    if ('example' in node) out.push({ where: `${where} example`, schema: node as unknown as TSchema, value: node.example });
    if (Array.isArray(node.examples)) {
      node.examples.forEach((value, index) => out.push({ where: `${where} examples[${index}]`, schema: node as unknown as TSchema, value }));
    }
  }
  for (const [key, child] of Object.entries(node)) {
    if (key !== 'example' && key !== 'examples' && key !== 'default') walk(child, `${where}/${key}`, out);
  }
}

/** Every example in a loaded spec: media-type and parameter examples, and schema-level `example`/`examples` at any depth. */
export function embeddedExamples(api: Api): EmbeddedExample[] {
  const out: EmbeddedExample[] = [];
  for (const reference of api.references) walk(reference, `#/components/schemas/${String(reference.$id)}`, out);
  for (const operation of api.operations) {
    const at = operation.operationId;
    for (const parameter of operation.parameters) {
      walk(parameter.schema, `${at} parameter ${parameter.name}`, out);
      for (const example of parameter.examples) out.push({ where: `${at} parameter ${parameter.name} example ${example.name}`, schema: parameter.schema, value: example.value });
    }
    for (const body of operation.requestBody?.content ?? []) {
      walk(body.schema, `${at} request ${body.contentType}`, out);
      for (const example of body.examples) out.push({ where: `${at} request ${body.contentType} example ${example.name}`, schema: body.schema, value: example.value });
    }
    for (const response of operation.responses) {
      for (const header of response.headers) walk(header.schema, `${at} ${response.status} header ${header.name}`, out);
      for (const body of response.content) {
        walk(body.schema, `${at} ${response.status} ${body.contentType}`, out);
        for (const example of body.examples) out.push({ where: `${at} ${response.status} ${body.contentType} example ${example.name}`, schema: body.schema, value: example.value });
      }
    }
  }
  return out;
}
