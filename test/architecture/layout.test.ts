import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The layout rule of DESIGN.md, enforced: the core (mock, fake, openapi, state) imports neither
// Fastify nor a Node built-in, and server/ and contract/ never import each other. Imports are read
// with the TypeScript compiler's pre-processor, so multi-line, `export … from`, type-only and
// dynamic `import()` forms all count.

const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');

// Files allowed to break the rule, each with the reason. Add to this list only with a reason a reviewer accepts.
const exceptions: Record<string, string> = {
  // DESIGN.md: src/openapi loads "files and URLs"; this file is that loader (reads the spec, caches bundles under the temp dir).
  'src/openapi/load-api.ts': 'the file loader of the spec (node:fs, node:path, node:os, node:crypto)',
  // Finds the installed package's own directory (schema/openapi.yaml) for the CLI and the adapters; no core decision reads it.
  'src/openapi/package-root.ts': 'locates the package on disk (node:fs, node:path, node:url)',
};

const core = ['mock', 'fake', 'openapi', 'state', 'options'];
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/** The top-level src/ folder an import lands in, for relative imports; undefined for packages. */
function targetArea(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return relative(src, resolve(dirname(file), specifier)).split(/[\\/]/)[0];
}

/** Every import that breaks the rule, as `file → specifier`. */
function violations(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(src)) {
    const name = relative(root, file).split('\\').join('/');
    const area = name.split('/')[1];
    if (exceptions[name]) continue;
    for (const specifier of importsOf(file)) {
      const fastify = specifier === 'fastify' || specifier.startsWith('fastify/') || specifier.startsWith('@fastify/');
      const builtin = builtins.has(specifier) || builtins.has(specifier.split('/')[0]) || specifier.startsWith('node:');
      const into = targetArea(file, specifier);
      if (core.includes(area) && (fastify || builtin)) found.push(`${name} → ${specifier}`);
      if ((area === 'server' && into === 'contract') || (area === 'contract' && into === 'server')) found.push(`${name} → ${specifier}`);
    }
  }
  return found;
}

describe('the source layout', () => {
  it('keeps Fastify and Node built-ins out of the core, and server and contract apart', () => {
    expect(violations()).toEqual([]);
  });

  it('lists only exceptions that exist and still need to be exceptions', () => {
    for (const name of Object.keys(exceptions)) {
      const imports = importsOf(join(root, name));
      expect(imports.some((s) => s.startsWith('node:') || builtins.has(s)), name).toBe(true);
    }
  });

  it('reads every import form the rule must see', () => {
    const text = "import a from 'node:fs';\nexport { b } from 'fastify';\nimport type {\n  C,\n} from '@fastify/cors';\nconst d = await import('path');\n";
    expect(ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName)).toEqual(['node:fs', 'fastify', '@fastify/cors', 'path']);
  });
});
