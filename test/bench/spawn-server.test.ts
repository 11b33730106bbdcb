import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverSpecs, shebangNodeFlags, spawnServer } from '../../bench/spawn-server.js';

describe('shebangNodeFlags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iwkit-shebang-'));
  const script = (firstLine: string): string => {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.mjs`);
    writeFileSync(file, `${firstLine}\nconsole.log(1);\n`);
    return file;
  };

  it('reads the node flags of an env -S line', () => {
    expect(shebangNodeFlags(script('#!/usr/bin/env -S node --max-semi-space-size=8 --no-warnings'))).toEqual(['--max-semi-space-size=8', '--no-warnings']);
  });

  it('finds none in a plain node shebang or a file without one', () => {
    expect(shebangNodeFlags(script('#!/usr/bin/env node'))).toEqual([]);
    expect(shebangNodeFlags(script('console.log(0);'))).toEqual([]);
  });
});

describe('serverSpecs', () => {
  it('runs the mock with the flags of the CLI shebang, as `npx iwkit` would', async () => {
    const { mock } = serverSpecs({ seed: 1, body: '{}' });
    expect(mock.nodeFlags).toEqual(shebangNodeFlags(mock.script));
    expect(mock.nodeFlags).toContain('--max-semi-space-size=4');
    const server = await spawnServer(mock);
    try {
      expect(readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0')).toContain('--max-semi-space-size=4');
    } finally {
      await server.stop();
    }
  });
});
