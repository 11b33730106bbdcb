import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

// Node 20 has no module compile cache (module.enableCompileCache came in 22.1), and compiling the 2.7 MB
// CLI bundle is about a third of every start. So the launcher compiles the bundle (CommonJS) through
// vm.Script with V8's code cache, kept per user under ~/.cache/iwkit: the second and later starts skip
// most parsing and compiling. V8 checks the cache against the source, its version and its flags, and
// rejects one that does not fit; a rejected or missing cache is written again once the CLI has run a
// while (or when it exits), atomically, so concurrent starts never read half a file.
// A code cache is code: it lives in a folder only its user can write, never in a shared temp folder.

/** The folder of the code cache: $IWKIT_COMPILE_CACHE, else $XDG_CACHE_HOME/iwkit, else ~/.cache/iwkit; undefined when turned off ("0"). */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const setting = env.IWKIT_COMPILE_CACHE;
  if (setting === '0' || setting === 'off') return undefined;
  if (setting) return setting;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'iwkit');
}

/** The cache file of one bundle build under one Node version. */
function cacheFileFor(dir: string, bundle: string): string {
  const { size, mtimeMs } = statSync(bundle);
  return join(dir, `cli-${process.version}-${size}-${Math.round(mtimeMs)}.v8cache`);
}

/** True when only this user could have written the file: owned by them, writable by no one else. */
function isPrivate(file: string): boolean {
  const { uid, mode } = statSync(file);
  return (process.getuid === undefined || uid === process.getuid()) && (mode & 0o022) === 0;
}

function readCache(file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  try {
    return isPrivate(file) && isPrivate(dirname(file)) ? readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(file: string, script: Script): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
    renameSync(partial, file);
    // One cache per folder: those of earlier builds or Node versions (and a crashed writer's part) only fill the disk.
    for (const name of readdirSync(dirname(file))) {
      if (name !== basename(file) && name.startsWith('cli-') && /\.v8cache(\.\d+\.tmp)?$/.test(name)) rmSync(join(dirname(file), name), { force: true });
    }
  } catch {
    // A read-only home or a full disk only costs the next start its speed.
  }
}

/** What became of the code cache at one start. */
export type CompileCacheUse = 'used' | 'written' | 'rejected' | 'off';

/** Runs a CommonJS bundle as the main program, compiled with V8's code cache when one fits. */
export function runWithCompileCache(bundle: string, dir: string | undefined = compileCacheDir()): CompileCacheUse {
  const source = readFileSync(bundle, 'utf8');
  const file = dir ? cacheFileFor(dir, bundle) : undefined;
  const cachedData = readCache(file);
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  if (file && (!cachedData || script.cachedDataRejected)) {
    // After a second the start-up code is compiled; a short command writes it as it exits.
    let written = false;
    const write = (): void => {
      if (written) return;
      written = true;
      writeCache(file, script);
    };
    setTimeout(write, 1000).unref();
    process.once('exit', write);
  }
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  if (!file) return 'off';
  return !cachedData ? 'written' : script.cachedDataRejected ? 'rejected' : 'used';
}
