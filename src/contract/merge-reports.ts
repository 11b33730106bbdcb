import { readFile, stat } from 'node:fs/promises';
import { toolkitError } from '../errors.js';
import type { Operation } from '../openapi/api-model.js';
import type { AuthSummary, ContractResult } from './contract-result.js';
import { summariseOutcomes } from './summarise-run.js';

/** Bounds of `iwkit contract merge`: a CI matrix's reports, not an unbounded pile. */
export const mergeLimits = { maxFiles: 1000, maxFileBytes: 256 * 1024 * 1024, maxTotalBytes: 1024 * 1024 * 1024 } as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Checks that a parsed JSON value is a report of a finished run (`renderJson`'s output) and returns it as a result. */
export function asContractResult(value: unknown, file: string): ContractResult {
  if (!isObject(value) || value.tool !== 'iwkit contract') throw toolkitError('IWKIT_ERR_REPORT_MERGE', file, 'not a JSON report of iwkit contract');
  if (isObject(value.error)) throw toolkitError('IWKIT_ERR_REPORT_MERGE', file, `its run ended in a toolkit error (${String(value.error.code)})`);
  for (const key of ['outcomes', 'operations', 'checks', 'warnings']) {
    if (!Array.isArray(value[key])) throw toolkitError('IWKIT_ERR_REPORT_MERGE', file, `"${key}" is missing or not a list`);
  }
  if (!isObject(value.totals) || typeof value.seed !== 'number' || typeof value.spec !== 'string') throw toolkitError('IWKIT_ERR_REPORT_MERGE', file, 'totals, seed or spec missing');
  const { tool: _tool, failureGroups: _groups, ...result } = value;
  return result as unknown as ContractResult;
}

/** Reads JSON reports from files, within {@link mergeLimits}. */
export async function readReports(files: readonly string[]): Promise<{ file: string; result: ContractResult }[]> {
  if (files.length === 0) throw toolkitError('IWKIT_ERR_REPORT_MERGE', 'reports', 'no report given');
  if (files.length > mergeLimits.maxFiles) throw toolkitError('IWKIT_ERR_REPORT_MERGE', 'reports', `${files.length} files, more than ${mergeLimits.maxFiles}`);
  let total = 0;
  const out: { file: string; result: ContractResult }[] = [];
  for (const file of files) {
    let text: string;
    try {
      const size = (await stat(file)).size;
      if (size > mergeLimits.maxFileBytes) throw new Error(`${size} bytes, more than ${mergeLimits.maxFileBytes}`);
      total += size;
      if (total > mergeLimits.maxTotalBytes) throw new Error(`the reports pass ${mergeLimits.maxTotalBytes} bytes in all`);
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw toolkitError('IWKIT_ERR_REPORT_MERGE', file, (error as Error).message);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw toolkitError('IWKIT_ERR_REPORT_MERGE', file, `not JSON (${(error as Error).message})`);
    }
    out.push({ file, result: asContractResult(value, file) });
  }
  return out;
}

function mergeAuth(list: (AuthSummary | undefined)[]): AuthSummary | undefined {
  const present = list.filter((a): a is AuthSummary => a !== undefined);
  if (present.length === 0) return undefined;
  const failure = present.find((a) => a.reloginFailure)?.reloginFailure;
  return {
    from: present[0].from,
    pointer: present[0].pointer,
    ...(present[0].header ? { header: present[0].header } : {}),
    logins: present.reduce((n, a) => n + a.logins, 0),
    relogins: present.reduce((n, a) => n + a.relogins, 0),
    retried: present.flatMap((a) => a.retried),
    ...(failure ? { reloginFailure: failure } : {}),
  };
}

/** Merges the results of shards (or of any runs of one spec and seed) into one: the totals are recounted from every outcome, so they equal one unsharded run's. */
export function mergeResults(reports: readonly { file: string; result: ContractResult }[]): ContractResult {
  const first = reports[0].result;
  const shardCount = first.shard?.count;
  const seen = new Set<number>();
  for (const { file, result } of reports) {
    if (result.spec !== first.spec) throw toolkitError('IWKIT_ERR_REPORT_MERGE', file, `it tested ${result.spec}, the first report ${first.spec}`);
    if (result.seed !== first.seed) throw toolkitError('IWKIT_ERR_REPORT_MERGE', file, `seed ${result.seed} differs from ${first.seed}: shards split the cases of one seed`);
    if (result.shard?.count !== shardCount) throw toolkitError('IWKIT_ERR_REPORT_MERGE', file, 'its shard count differs from the first report');
    if (result.shard) {
      if (seen.has(result.shard.index)) throw toolkitError('IWKIT_ERR_REPORT_MERGE', file, `shard ${result.shard.index}/${result.shard.count} is given twice`);
      seen.add(result.shard.index);
    }
  }
  const results = reports.map((r) => r.result);
  const outcomes = results.flatMap((r) => r.outcomes);
  const operations = new Map<string, { operationId: string; method: string; path: string }>();
  for (const r of results) for (const op of r.operations) if (!operations.has(op.operationId)) operations.set(op.operationId, op);
  const ops = [...operations.values()].map((o) => ({ ...o, method: o.method.toLowerCase() as Operation['method'] }));
  const { totals, operations: summaries } = summariseOutcomes(ops, outcomes);
  const warnings = [...new Set(results.flatMap((r) => r.warnings))];
  if (shardCount !== undefined && seen.size < shardCount) {
    const missing = Array.from({ length: shardCount }, (_, i) => i + 1).filter((i) => !seen.has(i));
    warnings.push(`shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${shardCount}`).join(', ')} missing: the totals cover part of the cases`);
  }
  const checks = new Map(results.flatMap((r) => r.checks.map((c) => [c.name, c] as const)));
  const starts = results.map((r) => Date.parse(r.startedAt));
  const start = Math.min(...starts);
  const end = Math.max(...results.map((r, i) => starts[i] + r.durationMs));
  const stopped = results.map((r) => r.stoppedEarly).filter((s): s is string => Boolean(s));
  const auth = mergeAuth(results.map((r) => r.auth));
  const flowed = results.filter((r) => r.flows);
  const casesPlanned = results.reduce((n, r) => n + r.casesPlanned, 0);
  const complete = shardCount === undefined || seen.size === shardCount;
  return {
    baseUrl: first.baseUrl,
    spec: first.spec,
    seed: first.seed,
    startedAt: new Date(start).toISOString(),
    durationMs: end - start,
    requestsSent: results.reduce((n, r) => n + r.requestsSent, 0),
    maxRequests: results.reduce((n, r) => n + r.maxRequests, 0),
    casesPlanned,
    casesNotSent: results.reduce((n, r) => n + r.casesNotSent, 0),
    ...(stopped.length > 0 ? { stoppedEarly: [...new Set(stopped)].join('; ') } : {}),
    checks: [...checks.values()],
    operations: summaries,
    outcomes,
    totals,
    warnings,
    ...(auth ? { auth } : {}),
    ...(flowed.length > 0
      ? { flows: { planned: flowed.reduce((n, r) => n + r.flows!.planned, 0), steps: flowed.reduce((n, r) => n + r.flows!.steps, 0), stepsSent: flowed.reduce((n, r) => n + r.flows!.stepsSent, 0) } }
      : {}),
    ok: complete && totals.failed === 0 && stopped.length === 0 && (totals.passed > 0 || results.every((r) => r.ok)),
  };
}
