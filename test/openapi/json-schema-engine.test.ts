import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The engine is provided process-wide (this suite's setup file provides it), so going without it is
// checked in a fresh Node process over the built module, as a browser page would import it.

const run = promisify(execFile);

const script = `
const { buildApi } = await import('./dist/src/openapi/build-api.js');
const document = { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/x': { get: { responses: { 200: { description: 'ok',
  content: { 'application/json': { schema: { type: 'object', propertyNames: { pattern: '^[a-z]+$' } } } } } } } } } };
process.stdout.write(JSON.stringify(buildApi(document).warnings));
`;

describe('the JSON Schema engine', () => {
  it('warns, without ajv provided, that schemas TypeBox cannot express accept every value', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
    const warnings = JSON.parse(stdout) as string[];
    expect(warnings.some((w) => w.includes("Import 'iwkit/json-schema-engine'"))).toBe(true);
  });

  it('validates those schemas once ajv is provided, as every Node entry point does', async () => {
    const withEngine = `await import('./dist/src/openapi/ajv-engine.js');\n${script}`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', withEngine]);
    expect(JSON.parse(stdout)).toEqual([]);
  });
});
