import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { toolkitError } from '../errors.js';
import { fetchSpecText, isSpecUrl } from '../openapi/fetch-spec-text.js';
import { loadApi } from '../openapi/load-api.js';
import { packagedSpecPath } from '../openapi/package-root.js';
import { renderTypeBoxModule } from '../openapi/render-typebox-module.js';
import { runAction } from './run-action.js';

/** Options of `iwkit generate`. */
export interface GenerateOptions {
  spec?: string;
  out?: string;
  check?: boolean;
  cwd?: string;
}

/** Result of a generate run: the exit code and what to tell the user. */
export interface GenerateResult {
  exitCode: 0 | 1;
  message: string;
}

/** The first lines where two texts differ, for a short `--check` report. */
function describeDifference(expected: string, actual: string, limit = 3): string {
  const want = expected.split('\n');
  const have = actual.split('\n');
  const lines: string[] = [];
  for (let i = 0; i < Math.max(want.length, have.length) && lines.length < limit * 2; i += 1) {
    if (want[i] === have[i]) continue;
    lines.push(`  line ${i + 1}: expected ${JSON.stringify(want[i] ?? '<end of file>')}`);
    lines.push(`  line ${i + 1}:      found ${JSON.stringify(have[i] ?? '<end of file>')}`);
  }
  return lines.join('\n');
}

/** Renders the spec's TypeBox module and writes it, or with `check` compares it with the file on disk. */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const cwd = options.cwd ?? process.cwd();
  const spec = options.spec === undefined ? packagedSpecPath() : isSpecUrl(options.spec) ? options.spec : resolve(cwd, options.spec);
  const out = resolve(cwd, options.out ?? 'schema/openapi.ts');
  const api = await loadApi(spec);
  // The header names the spec relative to the module, so the output does not depend on where the command ran.
  const specLabel = isSpecUrl(spec) ? spec : relative(dirname(out), spec).split('\\').join('/');
  // Hashing the spec text (line endings normalised) makes --check catch any edit, even one that changes no schema.
  const specText = (isSpecUrl(spec) ? await fetchSpecText(spec) : await readFile(spec, 'utf8')).replace(/\r\n/g, '\n');
  const specDigest = `sha256:${createHash('sha256').update(specText).digest('hex').slice(0, 16)}`;
  const source = renderTypeBoxModule(api, { specLabel, command: 'iwkit generate', specDigest });
  const shown = relative(cwd, out) || out;
  if (options.check) {
    let committed: string;
    try {
      committed = (await readFile(out, 'utf8')).replace(/\r\n/g, '\n');
    } catch {
      return { exitCode: 1, message: `${shown} is missing: run \`iwkit generate\` to create it` };
    }
    if (committed === source) return { exitCode: 0, message: `${shown} is up to date` };
    return { exitCode: 1, message: `${shown} is stale: run \`iwkit generate\` to update it\n${describeDifference(source, committed)}` };
  }
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, source);
  } catch (error) {
    throw toolkitError('IWKIT_ERR_OUTPUT_WRITE', out, (error as Error).message);
  }
  return { exitCode: 0, message: `wrote ${shown} (operations: ${api.operations.length}, components: ${api.references.length})` };
}

/** Registers `iwkit generate [--spec PATH] [--out PATH] [--check]`. */
export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('render the OpenAPI spec as a TypeScript module of TypeBox schemas and static types')
    .option('--spec <path|url>', 'OpenAPI 3.0/3.1 document (YAML or JSON), a path or an http(s) URL; default: the packaged login contract')
    .option('--out <path>', 'TypeScript module to write', 'schema/openapi.ts')
    .option('--check', 'exit 1 when the module on disk differs from what the spec generates, write nothing')
    .action(
      runAction(async (options: { spec?: string; out: string; check?: boolean }) => {
        const result = await generate(options);
        (result.exitCode === 0 ? process.stdout : process.stderr).write(`${result.message}\n`);
        return result.exitCode;
      }),
    );
}
