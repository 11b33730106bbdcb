import type { Command } from 'commander';
import { resolve } from 'node:path';
import { toolkitError } from '../errors.js';
import { mergeResults, readReports } from '../contract/merge-reports.js';
import { formatConsoleReport, shouldUseColor } from '../contract/reporters/console-reporter.js';
import { renderJson } from '../contract/reporters/json-reporter.js';
import { renderJunit } from '../contract/reporters/junit-reporter.js';
import type { CommandIo } from './contract-command.js';
import { prepareReportFile, writeReportFile } from './report-file.js';
import { runAction } from './run-action.js';

/** Options of `iwkit contract merge`. */
export interface MergeCliOptions {
  junit?: string;
  json?: string;
}

/** Runs `iwkit contract merge`: prints the merged summary, writes the reports asked for; exit 0 passed, 1 failed. */
export async function runMergeCommand(files: string[], opts: MergeCliOptions, io: CommandIo): Promise<number> {
  if (opts.junit && opts.json && resolve(opts.junit) === resolve(opts.json)) throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--json', 'names the same file as --junit');
  const outputs = [...(opts.junit ? [{ file: opts.junit, render: renderJunit }] : []), ...(opts.json ? [{ file: opts.json, render: renderJson }] : [])];
  const inputs = new Set(files.map((f) => resolve(f)));
  for (const out of outputs) {
    // Merging into one of the shards' own reports would lose it if the merge failed half-way.
    if (inputs.has(resolve(out.file))) throw toolkitError('IWKIT_ERR_OPTION_INVALID', out.file === opts.json ? '--json' : '--junit', 'names one of the reports being merged');
    await prepareReportFile(out.file);
  }
  const result = mergeResults(await readReports(files));
  io.stdout.write(formatConsoleReport(result, { color: shouldUseColor(io.stdout, io.env) }));
  for (const out of outputs) await writeReportFile(out.file, out.render(result));
  return result.ok ? 0 : 1;
}

/** Registers `iwkit contract merge <reports...>` under the contract command. */
export function registerMergeCommand(contract: Command, io: CommandIo): void {
  contract
    .command('merge')
    .description("merge the JSON reports of --shard runs into one summary with the totals one run gives; exit 0 all passed, 1 failures, 2 toolkit error")
    .argument('<reports...>', 'JSON reports written with --json')
    .option('--junit <file>', 'write the merged JUnit XML report')
    .option('--json <file>', 'write the merged JSON report')
    .action(runAction(async (files: string[], opts: MergeCliOptions) => runMergeCommand(files, opts, io)));
}
