import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGenerator } from '../../src/fake/create-generator.js';
import { compileValidator } from '../../src/openapi/compile-validator.js';
import { loadApi } from '../../src/openapi/load-api.js';

// Every body schema of the project's own test specs (path parameters, arrays, allOf/oneOf, nullable,
// recursion, every format) must give valid values; kept apart so it runs beside the unit tests.

const NOW = Date.UTC(2025, 4, 4, 9, 42, 0);
const seeds = Array.from({ length: 1000 }, (_, i) => i * 7919 + 1);

describe("the project's own test specs", () => {
  const specs: string[] = [];
  for (const entry of readdirSync('test/specs')) {
    const path = join('test/specs', entry);
    if (entry === 'broken') continue;
    if (statSync(path).isDirectory()) {
      for (const file of readdirSync(path)) if (file === 'openapi.yaml') specs.push(join(path, file));
    } else if (/\.ya?ml$/.test(entry)) specs.push(path);
  }

  it('finds the specs', () => {
    expect(specs.length).toBeGreaterThanOrEqual(3);
  });

  it.each(specs)('%s: every request and response body schema gives valid values for 1,000 seeds', async (spec) => {
    const api = await loadApi(spec);
    const seen = new Set<string>();
    const failures: unknown[] = [];
    for (const op of api.operations) {
      const bodies = [...op.responses.flatMap((r) => r.content), ...(op.requestBody?.content ?? [])];
      for (const body of bodies) {
        const key = JSON.stringify(body.schema);
        if (seen.has(key)) continue;
        seen.add(key);
        const generate = createGenerator(body.schema, api.references);
        const validator = compileValidator(body.schema, api.references);
        for (const seed of seeds) {
          const value = generate({ seed, now: NOW });
          if (!validator.check(value)) {
            failures.push({ operation: op.operationId, contentType: body.contentType, seed, value, issues: validator.errors(value) });
            break;
          }
        }
      }
    }
    expect(seen.size).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });
});
