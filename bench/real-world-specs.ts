import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpRequest, HttpResponse } from '../src/contract/contract-types.js';
import { createInjectTransport } from '../src/contract/inject-transport.js';
import { runContract } from '../src/contract/run-contract.js';
import type { Operation } from '../src/openapi/api-model.js';
import { createMockServer } from '../src/server/create-mock-server.js';
import { independentValidator, responseSchemaPointer } from '../test/openapi/independent-validator.js';
import { publicCorpus } from '../test/openapi/public-corpus.js';
import { sendOnce } from './first-response.js';
import { sampleMemory } from './proc-memory.js';
import { repoRoot, spawnServer } from './spawn-server.js';

// `npm run bench:specs`: every document of the shared public corpus, measured as a user meets it.
// - start: `iwkit mock --spec <doc>` spawned cold (spec cache off) until its first answer, and its peak RSS;
// - validity: one valid request per operation (the contract runner's first positive case) through the mock
//   in-process, counted valid when the answer is a 2xx and an independent ajv validator accepts its JSON body.

const CORPUS = publicCorpus;
const TOKEN = 'bench-token-1b7e';

interface SpecFigures {
  file: string;
  openapi: string;
  bytes: number;
  operations: number;
  startMs: number;
  peakRssMb?: number;
  answeredValidly: number;
  warnings: number;
}

function firstPath(op: Operation): string {
  return op.path.split('#')[0].replace(/\{[^}]+\}/g, '1');
}

async function measureStart(file: string, op: Operation | undefined): Promise<{ startMs: number; peakRssMb?: number }> {
  const args = ['mock', '--spec', join(CORPUS, file), '--port', '0', '--log-level', 'silent', '--token', TOKEN, '--no-docs'];
  const server = await spawnServer({ name: file, script: join(repoRoot, 'dist', 'iwkit.mjs'), args, env: { IWKIT_SPEC_CACHE: '0' } }, 60_000);
  const memory = sampleMemory(server.pid, 20);
  try {
    // Any answer proves the mock is answering; a 400 for the made-up parameters still counts.
    if (op) await sendOnce(server.url + firstPath(op), { method: op.method.toUpperCase(), headers: { authorization: `Bearer ${TOKEN}` } });
    const startMs = Math.round(performance.now() - server.spawnedAt);
    const { peakBytes } = memory.stop();
    return { startMs, ...(peakBytes ? { peakRssMb: Math.round(peakBytes / 1024 / 1024) } : {}) };
  } finally {
    await server.stop();
  }
}

async function countValid(file: string): Promise<{ valid: number; total: number; openapi: string; warnings: number; first?: Operation }> {
  const app = await createMockServer({ spec: join(CORPUS, file), tokens: [TOKEN], docs: false, seed: 9 });
  try {
    const api = app.iwkitApi;
    const validator = independentValidator(api.document);
    const inject = createInjectTransport(app);
    const exchanges: HttpResponse[] = [];
    const transport = async (request: HttpRequest, limits: Parameters<typeof inject>[1]): Promise<HttpResponse> => {
      const response = await inject(request, limits);
      exchanges.push(response);
      return response;
    };
    const result = await runContract({ spec: api, baseUrl: 'http://mock.invalid', transport, token: TOKEN, seed: 3, cases: 1, concurrency: 1, ratePerSecond: 1e6, maxRequests: 8 * (api.operations.length || 1), timeoutMs: 60_000 });
    const sent = result.outcomes.filter((o) => o.sent);
    let valid = 0;
    for (const op of api.operations) {
      const index = sent.findIndex((o) => o.operationId === op.operationId && o.expectation === 'accept' && o.auth === 'valid');
      const response = exchanges[index];
      if (!response || response.status < 200 || response.status > 299) continue;
      const type = String(response.headers['content-type'] ?? '').split(';')[0];
      const failed = result.outcomes.some((o) => o.operationId === op.operationId && o.expectation === 'accept' && o.results.some((r) => r.status === 'failed'));
      if (failed) continue;
      if (/json$/.test(type) && response.body.length > 0) {
        const pointer = sent[index].response ? responseSchemaPointer(api.document, op, response.status, type) : undefined;
        if (pointer && (validator.errors(pointer, 'response', JSON.parse(response.body.toString('utf8'))) ?? []).length > 0) continue;
      }
      valid += 1;
    }
    return { valid, total: api.operations.length + (api.unserved?.length ?? 0), openapi: api.openapi, warnings: api.warnings.length, first: api.operations[0] };
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const files = readdirSync(CORPUS).filter((f) => /\.(ya?ml|json)$/.test(f));
  const figures: SpecFigures[] = [];
  for (const file of files) {
    const counted = await countValid(file);
    const start = await measureStart(file, counted.first);
    const row: SpecFigures = { file, openapi: counted.openapi, bytes: statSync(join(CORPUS, file)).size, operations: counted.total, ...start, answeredValidly: counted.valid, warnings: counted.warnings };
    figures.push(row);
    process.stderr.write(`${file}: start ${row.startMs} ms, peak ${row.peakRssMb ?? '?'} MB, valid ${row.answeredValidly}/${row.operations}\n`);
  }
  figures.sort((a, b) => a.bytes - b.bytes);
  const lines = ['| document | OpenAPI | size | operations | start (cold) | peak RSS | answered validly |', '|---|---|---:|---:|---:|---:|---:|'];
  for (const f of figures) {
    const share = f.operations ? Math.round((100 * f.answeredValidly) / f.operations) : 0;
    lines.push(`| ${f.file} | ${f.openapi} | ${Math.round(f.bytes / 1024)} KB | ${f.operations} | ${f.startMs} ms | ${f.peakRssMb ?? '?'} MB | ${f.answeredValidly} (${share}%) |`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  writeFileSync(join(repoRoot, 'bench', 'real-world-specs.json'), `${JSON.stringify(figures, null, 2)}\n`);
}

await main();
