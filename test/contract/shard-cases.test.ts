import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractResult } from '../../src/contract/contract-result.js';
import { createInjectTransport } from '../../src/contract/inject-transport.js';
import { mergeResults, readReports } from '../../src/contract/merge-reports.js';
import { renderJson } from '../../src/contract/reporters/json-reporter.js';
import { runContract, type ContractOptions } from '../../src/contract/run-contract.js';
import { parseShard, shardUnits } from '../../src/contract/shard-cases.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { runContractCli } from '../cli/run-contract-cli.js';

const TOKEN = 'shard-token-0123456789abcdef';

describe('--shard and iwkit contract merge', () => {
  let app: Awaited<ReturnType<typeof createMockServer>>;
  let dir: string;
  let options: ContractOptions;
  let whole: ContractResult;
  let shards: ContractResult[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iwkit-shard-'));
    app = await createMockServer({ spec: 'test/specs/petstore-3.0.yaml', seed: 3, tokens: [TOKEN] });
    options = { spec: 'test/specs/petstore-3.0.yaml', baseUrl: 'http://petstore.test', transport: createInjectTransport(app), token: TOKEN, seed: 21, cases: 2, ratePerSecond: 100_000, concurrency: 4, maxRequests: 10_000 };
    whole = await runContract(options);
    shards = [];
    for (const index of [1, 2, 3]) shards.push(await runContract({ ...options, shard: `${index}/3` }));
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('splits the cases so shards 1/3, 2/3 and 3/3 together send every case exactly once', () => {
    const ids = shards.flatMap((s) => s.outcomes.map((o) => o.id));
    expect(ids.length).toBe(whole.outcomes.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(whole.outcomes.map((o) => o.id).sort());
    for (const s of shards) expect(s.outcomes.length).toBeGreaterThan(0);
  });

  it('gives the same share for the same seed, and a different split for another seed', () => {
    const units = Array.from({ length: 60 }, (_, i) => ({ id: `op/generated/${i}` }));
    const a = shardUnits(units, { index: 2, count: 3 }, 5).map((u) => u.id);
    expect(shardUnits(units, { index: 2, count: 3 }, 5).map((u) => u.id)).toEqual(a);
    expect(a.length).toBe(20);
    expect(shardUnits(units, { index: 2, count: 3 }, 6).map((u) => u.id)).not.toEqual(a);
  });

  it('merges the shards into the totals one unsharded run gives, per operation and per check too', async () => {
    const files: string[] = [];
    for (const [i, s] of shards.entries()) {
      const file = join(dir, `report-${i + 1}.json`);
      await writeFile(file, renderJson(s));
      files.push(file);
    }
    const merged = mergeResults(await readReports(files));
    expect(merged.totals).toEqual(whole.totals);
    expect(merged.ok).toBe(whole.ok);
    expect(merged.casesPlanned).toBe(whole.casesPlanned);
    const byOp = (r: ContractResult) => Object.fromEntries(r.operations.map((o) => [o.operationId, { cases: o.cases, totals: o.totals, checks: o.checks }]));
    expect(byOp(merged)).toEqual(byOp(whole));

    const out = join(dir, 'merged.json');
    const run = await runContractCli(['merge', ...files, '--json', out]);
    expect(run.stderr).toBe('');
    expect(run.code ?? 0).toBe(whole.ok ? 0 : 1);
    expect(run.stdout).toContain(`${whole.totals.total} checks: ${whole.totals.passed} passed, ${whole.totals.failed} failed`);
  });

  it('refuses a shard given twice, reports from another seed and a malformed --shard, with coded errors', async () => {
    const one = join(dir, 'one.json');
    await writeFile(one, renderJson(shards[0]));
    const twice = await runContractCli(['merge', one, one]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/^IWKIT_ERR_REPORT_MERGE: .*shard 1\/3 is given twice/m);
    const other = join(dir, 'other.json');
    await writeFile(other, renderJson({ ...shards[1], seed: 99 }));
    await expect(readReports([one, other]).then(mergeResults)).rejects.toMatchObject({ code: 'IWKIT_ERR_REPORT_MERGE' });
    const notReport = join(dir, 'not.json');
    await writeFile(notReport, '{"hello":1}');
    await expect(readReports([notReport])).rejects.toMatchObject({ code: 'IWKIT_ERR_REPORT_MERGE', message: expect.stringContaining('not a JSON report') });
    const noBase = await runContractCli(['--cases', '1']);
    expect(noBase.code).toBe(2);
    expect(noBase.stderr).toMatch(/^IWKIT_ERR_OPTION_INVALID: invalid option --base-url: required/m);
    expect(whole.totals.total).toBeGreaterThan(50);
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1/1001']) expect(() => parseShard(bad)).toThrow(/invalid option shard: /);
  });

  it('says in the merge which shards are missing, and does not pass on part of the cases', async () => {
    const merged = mergeResults([{ file: 'a', result: shards[0] }, { file: 'c', result: shards[2] }]);
    expect(merged.warnings).toContain('shard 2/3 missing: the totals cover part of the cases');
    expect(merged.ok).toBe(false);
  });
});
