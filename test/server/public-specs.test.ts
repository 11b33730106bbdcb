import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MockServer } from '../../src/server/mock-server.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractResult } from '../../src/contract/contract-result.js';
import type { HttpRequest, HttpResponse } from '../../src/contract/contract-types.js';
import { createInjectTransport } from '../../src/contract/inject-transport.js';
import { runContract } from '../../src/contract/run-contract.js';
import type { Operation } from '../../src/openapi/api-model.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { independentValidator, responseSchemaPointer, type IndependentValidator } from '../openapi/independent-validator.js';
import { publicCorpus } from '../openapi/public-corpus.js';

// Every real public document in the shared corpus: the mock starts on it, answers a valid request to each
// (sampled) operation with a 2xx that ajv accepts, and the contract runner finds nothing wrong with that mock.

const DIR = publicCorpus;
const SPECS = readdirSync(DIR).filter((file) => /\.(ya?ml|json)$/.test(file)).sort();
const TOKEN = 'public-spec-token-7f3a';
/** Operations tried per document: enough to meet its variety, few enough to keep the suite quick. */
const SAMPLE = 24;

function declaresSuccess(op: Operation): boolean {
  return op.responses.some((r) => /^2/.test(r.status) || r.status === 'default');
}

function sample(operations: Operation[]): Operation[] {
  if (operations.length <= SAMPLE) return operations;
  const step = operations.length / SAMPLE;
  return Array.from({ length: SAMPLE }, (_, i) => operations[Math.floor(i * step)]);
}

/**
 * Schemas in the corpus that no value satisfies, so no mock can answer them validly; their findings are expected.
 * - linode: in `^[a-zA-Z]((?!--|__|..)[a-zA-Z0-9-_.])+$` the unescaped `..` refuses any two characters ahead, so
 *   nothing longer than 2 characters matches, while the schema asks for 3 to 64.
 * - worldcoin: `proof` items are `oneOf` two objects with no required property: every object matches both.
 */
const UNSATISFIABLE_REQUESTS = new Set([
  // Its request body is `oneOf` two objects with no required property: every body matches both, so none is valid.
  'ably-platform-3.0.yaml subscribePushDeviceToChannel',
]);
const UNSATISFIABLE = [/\(\?!--\|__\|\.\.\)/, /\/proof\/\d+.*matches alternatives 0 and 1/, /^\/proof\/\d+ must match exactly one schema in oneOf/];

function failuresOf(result: ContractResult): string[] {
  return result.outcomes.flatMap((o) => o.results.filter((r) => r.status === 'failed').map((r) => `${r.check} · ${o.operationId} · ${o.name}: ${JSON.stringify(r.problems).slice(0, 400)}`))
    .filter((failure) => !UNSATISFIABLE.some((pattern) => pattern.test(failure)));
}

function mediaTypeOf(response: HttpResponse): string {
  return String(response.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

function isJson(mediaType: string): boolean {
  return /^application\/([\w.+-]+\+)?json$/.test(mediaType);
}

describe.each(SPECS)('the public spec %s', (file) => {
  let app: MockServer;
  let validator: IndependentValidator;

  beforeAll(async () => {
    app = await createMockServer({ spec: join(DIR, file), tokens: [TOKEN], docs: false, seed: 5 });
    validator = independentValidator(app.iwkitApi.document);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('starts with every declared operation served', () => {
    expect(app.iwkitApi.operations.length).toBeGreaterThan(0);
    expect(app.iwkitApi.unserved ?? []).toEqual([]);
  });

  it('answers a valid request to each sampled operation with a 2xx body that ajv accepts, and passes its own contract', async () => {
    const api = app.iwkitApi;
    const chosen = sample(api.operations);
    const exchanges: { request: HttpRequest; response: HttpResponse }[] = [];
    const inject = createInjectTransport(app);
    const transport = async (request: HttpRequest, limits: Parameters<typeof inject>[1]): Promise<HttpResponse> => {
      const response = await inject(request, limits);
      exchanges.push({ request, response });
      return response;
    };
    const result = await runContract({
      spec: api, baseUrl: 'http://mock.invalid', transport, token: TOKEN, seed: 3, cases: 1, concurrency: 1,
      operations: chosen.map((o) => o.operationId), ratePerSecond: 100_000, maxRequests: chosen.length * 12, timeoutMs: 20_000,
      flows: 0, // the mock keeps no state until --stateful (#17): flows would fail use-after-free
    });
    const failures = failuresOf(result);
    expect(failures, failures.slice(0, 5).join('\n')).toEqual([]);

    // One request in flight at a time: exchanges and sent outcomes are in the same order.
    const sent = result.outcomes.filter((o) => o.sent);
    expect(sent.map((o) => o.method)).toEqual(exchanges.map((e) => e.request.method));
    const problems: string[] = [];
    let checked = 0;
    for (const op of chosen) {
      const index = sent.findIndex((o) => o.operationId === op.operationId && o.expectation === 'accept' && o.auth === 'valid');
      if (index < 0) {
        if (UNSATISFIABLE_REQUESTS.has(`${file} ${op.operationId}`)) continue;
        problems.push(`${op.operationId}: no valid request was sent`);
        continue;
      }
      const { response } = exchanges[index];
      const where = `${op.method.toUpperCase()} ${op.path} → ${response.status}`;
      if (declaresSuccess(op) && (response.status < 200 || response.status > 299)) problems.push(`${where}: not a 2xx: ${response.body.toString('utf8').slice(0, 300)}`);
      const mediaType = mediaTypeOf(response);
      const pointer = responseSchemaPointer(api.document, op, response.status, mediaType);
      if (pointer && isJson(mediaType) && response.body.length > 0) {
        const errors = validator.errors(pointer, 'response', JSON.parse(response.body.toString('utf8')));
        // A schema ajv cannot read (it breaks JSON Schema as published) is checked by the contract run above only.
        if (errors === undefined) continue;
        checked += 1;
        const real = errors.filter((e) => !UNSATISFIABLE.some((pattern) => pattern.test(e)));
        if (real.length > 0) problems.push(`${where}: ajv: ${real.join('; ')}`);
      }
    }
    expect(problems, problems.slice(0, 5).join('\n')).toEqual([]);
    // appng's components break JSON Schema (`type: String`), so ajv can read none of its answers.
    if (file !== 'appng-3.0.yaml') expect(checked).toBeGreaterThan(0);
  }, 120_000);
});
