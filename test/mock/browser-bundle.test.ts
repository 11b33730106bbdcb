// The layout rule "src/mock and src/fake run anywhere" as a test: both folders bundle for the browser
// with esbuild, and nothing in the bundle comes from a Node built-in or from Fastify.
import { readdir, readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const folders = ['src/mock', 'src/fake'];
// The state store's interface and its in-memory implementation belong to the core; the Redis store is Node-only.
const stateFiles = ['src/state/state-store.ts', 'src/state/memory-store.ts'];

async function sourceFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const folder of folders) for (const name of (await readdir(folder)).sort()) if (name.endsWith('.ts')) files.push(join(folder, name));
  return [...files, ...stateFiles];
}

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

describe('the environment-free core', () => {
  it('bundles every module of src/mock and src/fake for the browser without a Node built-in or Fastify', async () => {
    const files = await sourceFiles();
    const entry = files.map((f) => `export * as m${files.indexOf(f)} from './${f}';`).join('\n');
    const imported: string[] = [];
    const result = await build({
      stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts', sourcefile: 'core-entry.ts' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [
        {
          name: 'record-imports',
          setup(b) {
            b.onResolve({ filter: /.*/ }, (args) => {
              imported.push(args.path);
              return undefined;
            });
          },
        },
      ],
    });
    expect(result.errors).toEqual([]);
    expect(imported.filter((path) => builtins.has(path))).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((i) => /node_modules\/(fastify|@fastify|pino)\//.test(i))).toEqual([]);
  });

  it('uses no Node-only global (Buffer, process, __dirname) in src/mock and src/fake', async () => {
    const offending: string[] = [];
    for (const file of await sourceFiles()) {
      const code = (await readFile(file, 'utf8')).replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      if (/\b(Buffer|process|__dirname|__filename|require)\b\s*[.(]/.test(code)) offending.push(file);
    }
    expect(offending).toEqual([]);
  });
});
