import { Command } from 'commander';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { generate, registerGenerateCommand } from '../../src/cli/generate-command.js';

/** Runs `iwkit generate ...args` in-process and returns the exit code and what it printed. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = new Command('iwkit').exitOverride();
  registerGenerateCommand(program);
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'iwkit', 'generate', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, stdout, stderr };
}

function tempCopyOfLoginSpec(): string {
  const dir = mkdtempSync(join(tmpdir(), 'iwkit-generate-'));
  copyFileSync('schema/openapi.yaml', join(dir, 'openapi.yaml'));
  return dir;
}

afterEach(() => {
  process.exitCode = 0;
});

describe('iwkit generate', () => {
  test('the committed schema/openapi.ts is up to date with schema/openapi.yaml', async () => {
    const result = await run('--check');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('schema/openapi.ts is up to date');
  });

  test('writes the module, then --check passes on it', async () => {
    const dir = tempCopyOfLoginSpec();
    const spec = join(dir, 'openapi.yaml');
    const out = join(dir, 'openapi.ts');
    expect((await run('--spec', spec, '--out', out)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync('schema/openapi.ts', 'utf8'));
    expect((await run('--spec', spec, '--out', out, '--check')).code).toBe(0);
  });

  test('--check exits 1 and shows the first differing lines after the spec changes', async () => {
    const dir = tempCopyOfLoginSpec();
    const spec = join(dir, 'openapi.yaml');
    const out = join(dir, 'openapi.ts');
    await generate({ spec, out });
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('        sessionid:\n          type: string', '        sessionid:\n          type: integer'));
    const result = await run('--spec', spec, '--out', out, '--check');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is stale');
    expect(result.stderr).toContain('sessionid: Type.Optional(Type.Integer()),');
  });

  test('--check exits 1 when the module is missing', async () => {
    const dir = tempCopyOfLoginSpec();
    const result = await run('--spec', join(dir, 'openapi.yaml'), '--out', join(dir, 'missing.ts'), '--check');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('missing.ts is missing');
  });

  test('a broken spec prints its coded error naming the place and exits 2', async () => {
    const result = await run('--spec', 'test/specs/broken/yaml-syntax.yaml', '--out', join(tempCopyOfLoginSpec(), 'x.ts'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^IWKIT_ERR_SPEC_PARSE: .*yaml-syntax\.yaml:10:1: /);
  });

  test('a spec with if/then (refused before JSON Schema 2020-12 support) generates a module with a JsonSchema node', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'iwkit-generate-')), 'openapi.ts');
    const result = await run('--spec', 'test/specs/broken/unsupported-keyword.yaml', '--out', out);
    expect(result.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('then: JsonSchema({ required: ["barks"] })');
  });
});

describe('iwkit generate --check on edits that change no schema', () => {
  test('still reports a comment-only edit of the spec as stale', async () => {
    const dir = tempCopyOfLoginSpec();
    const spec = join(dir, 'openapi.yaml');
    const out = join(dir, 'openapi.ts');
    await generate({ spec, out });
    writeFileSync(spec, `${readFileSync(spec, 'utf8')}# a trailing comment\n`);
    expect((await run('--spec', spec, '--out', out, '--check')).code).toBe(1);
  });
});
