import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCacheDir } from '../../src/cli/compile-cache.js';

// Each start runs in its own node process, as the executable does: a code cache is about fresh isolates.
const runner = resolve('dist/src/cli/compile-cache.js');

function start(bundle: string, dir: string): { use: string; printed: string } {
  const script = `import(${JSON.stringify(runner)}).then((m) => { const use = m.runWithCompileCache(${JSON.stringify(bundle)}, ${JSON.stringify(dir)}); process.stdout.write(' ' + use); })`;
  const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim().split(' ');
  return { printed: out.slice(0, -1).join(' '), use: out[out.length - 1] };
}

function tempBundle(): { bundle: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'iwkit-cc-'));
  const bundle = join(root, 'bundle.cjs');
  // A CommonJS bundle with some code to compile, that reads the wrapper's arguments.
  const body = Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x * ${i} + ${i}; }`).join('\n');
  writeFileSync(bundle, `${body}\nprocess.stdout.write(typeof require + ':' + (__filename === ${JSON.stringify(bundle)}) + ':' + f7(2));\n`);
  return { bundle, dir: join(root, 'cache') };
}

describe('runWithCompileCache', () => {
  it('runs a CommonJS bundle, writes its code cache privately on exit and uses it on the next start', () => {
    const { bundle, dir } = tempBundle();
    expect(start(bundle, dir)).toEqual({ printed: 'function:true:21', use: 'written' });
    const [file] = readdirSync(dir);
    expect(file).toMatch(new RegExp(`^cli-${process.version.replace(/\./g, '\\.')}-\\d+-\\d+\\.v8cache$`));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    expect(start(bundle, dir)).toEqual({ printed: 'function:true:21', use: 'used' });
  });

  it('rejects a cache that does not fit the source and writes a good one again', () => {
    const { bundle, dir } = tempBundle();
    start(bundle, dir);
    const file = join(dir, readdirSync(dir)[0]);
    const good = readFileSync(file);
    writeFileSync(file, Buffer.alloc(good.length, 7));
    expect(start(bundle, dir)).toEqual({ printed: 'function:true:21', use: 'rejected' });
    expect(start(bundle, dir).use).toBe('used');
  });

  it('keeps one cache per folder: writing a new one removes those of earlier builds', () => {
    const { bundle, dir } = tempBundle();
    start(bundle, dir);
    const first = readdirSync(dir);
    writeFileSync(bundle, `${readFileSync(bundle, 'utf8')}\n// rebuilt\n`);
    expect(start(bundle, dir).use).toBe('written');
    const second = readdirSync(dir);
    expect(second).toHaveLength(1);
    expect(second[0]).not.toBe(first[0]);
  });

  it('does not read a cache that someone else could have written', () => {
    const { bundle, dir } = tempBundle();
    start(bundle, dir);
    const file = join(dir, readdirSync(dir)[0]);
    chmodSync(file, 0o666);
    expect(start(bundle, dir).use).toBe('written');
    chmodSync(dir, 0o777);
    expect(start(bundle, dir).use).toBe('written');
  });

  it('keeps no cache when turned off', () => {
    const { bundle } = tempBundle();
    const script = `import(${JSON.stringify(runner)}).then((m) => process.stdout.write(' ' + m.runWithCompileCache(${JSON.stringify(bundle)})))`;
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, IWKIT_COMPILE_CACHE: '0' } });
    expect(out.trim().split(' ').pop()).toBe('off');
  });
});

describe('compileCacheDir', () => {
  it('follows IWKIT_COMPILE_CACHE, then XDG_CACHE_HOME, then ~/.cache, and is off for "0"', () => {
    expect(compileCacheDir({ IWKIT_COMPILE_CACHE: '/x/cache', XDG_CACHE_HOME: '/y' })).toBe('/x/cache');
    expect(compileCacheDir({ XDG_CACHE_HOME: '/y' })).toBe(join('/y', 'iwkit'));
    expect(compileCacheDir({})).toMatch(/[/\\]\.cache[/\\]iwkit$/);
    expect(compileCacheDir({ IWKIT_COMPILE_CACHE: '0' })).toBeUndefined();
    expect(compileCacheDir({ IWKIT_COMPILE_CACHE: 'off' })).toBeUndefined();
  });
});
