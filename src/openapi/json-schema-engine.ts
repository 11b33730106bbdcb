import type Ajv2020 from 'ajv/dist/2020.js';

// The full JSON Schema engine (ajv 2020 and its formats) is provided, not imported, by the schema layer:
// a page that mocks a precompiled contract in the browser should not carry ajv's ~130 KiB for the few
// keywords TypeBox cannot express. Node entry points (loadApi, and so the mock server, the runner and
// the proxy) provide it by importing ./ajv-engine.js; a browser app may import 'iwkit/json-schema-engine'.

/** An ajv 2020 instance, as the schema layer uses it. */
export type JsonSchemaEngine = InstanceType<typeof Ajv2020.default>;

/** Makes an engine: `explain` collects every error verbosely; `regExp` compiles the spec's patterns. */
export type JsonSchemaEngineFactory = (options: { explain: boolean; regExp: { (pattern: string, flags: string): RegExp; code: string } }) => JsonSchemaEngine;

let provided: JsonSchemaEngineFactory | undefined;

/** Makes `factory` the engine behind every ajv-backed node from now on. */
export function provideJsonSchemaEngine(factory: JsonSchemaEngineFactory): void {
  provided = factory;
}

/** The provided engine factory; undefined when none was (such nodes then accept every value). */
export function jsonSchemaEngineFactory(): JsonSchemaEngineFactory | undefined {
  return provided;
}
