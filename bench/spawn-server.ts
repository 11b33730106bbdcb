import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { closeSync, openSync, readSync } from 'node:fs';
import { packageRoot } from '../src/openapi/package-root.js';

/** The repository root, from dist/bench/ where the compiled harness runs or from bench/ under vitest. */
export const repoRoot = packageRoot();

/** A server running in its own child process. */
export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
  /** `performance.now()` at spawn. */
  spawnedAt: number;
  /** `performance.now()` when the "listening on" line arrived. */
  listeningAt: number;
  /** Sends SIGTERM, waits for the exit (SIGKILL after `graceMs`), resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/** What to run: node flags, script and its arguments, extra environment. */
export interface SpawnSpec {
  name: string;
  script: string;
  args?: string[];
  nodeFlags?: string[];
  env?: Record<string, string>;
  /** Open an IPC channel (the child can `process.send`). */
  ipc?: boolean;
}

const LISTENING = /listening on (https?:\/\/\S+)/;

/** Spawns `node <flags> <script> <args>` and resolves once it prints "listening on <url>". */
export function spawnServer(spec: SpawnSpec, startTimeoutMs = 20_000): Promise<ServerProcess> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...(spec.nodeFlags ?? []), spec.script, ...(spec.args ?? [])], {
    cwd: repoRoot,
    env: { ...process.env, ...spec.env },
    stdio: spec.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (graceMs = 5000): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return new Promise<ServerProcess>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      void stop(100);
      reject(new Error(`${spec.name} printed no "listening on" line within ${startTimeoutMs} ms; stderr: ${err.slice(-500)}`));
    }, startTimeoutMs);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const match = LISTENING.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      // Keep draining so a chatty child never blocks on a full pipe.
      child.stdout?.resume();
      resolve({ name: spec.name, url: match[1].replace(/\/$/, ''), pid: child.pid!, child, spawnedAt, listeningAt: performance.now(), stop });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-4000);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${spec.name} exited (${code ?? signal}) before listening; stderr: ${err.slice(-500)}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** The node flags a script's `#!/usr/bin/env -S node <flags>` line asks for, so the bench runs the CLI as its users do. */
export function shebangNodeFlags(script: string): string[] {
  const head = Buffer.alloc(200);
  const fd = openSync(script, 'r');
  const read = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const first = head.subarray(0, read).toString('utf8').split('\n', 1)[0];
  const match = /^#!\/usr\/bin\/env -S node (.+)$/.exec(first);
  return match ? match[1].trim().split(/\s+/) : [];
}

/** Spawn specs of the servers under comparison: the baseline, the mock, and the mock with `--stateful`. */
export function serverSpecs(options: { seed: number; body: string; nodeFlags?: string[] }): { baseline: SpawnSpec; mock: SpawnSpec; stateful: SpawnSpec } {
  // No --spec: the default is schema/openapi.yaml with the shipped fixtures, exactly what `npm start` serves.
  const mockArgs = ['mock', '--port', '0', '--host', '127.0.0.1', '--seed', String(options.seed), '--log-level', 'silent'];
  const cli = join(repoRoot, 'dist', 'iwkit.mjs');
  const nodeFlags = [...shebangNodeFlags(cli), ...(options.nodeFlags ?? [])];
  return {
    baseline: {
      name: 'baseline',
      script: join(repoRoot, 'dist', 'bench', 'baseline-server.js'),
      env: { IWKIT_BENCH_BODY: options.body },
    },
    mock: { name: 'mock', script: cli, args: mockArgs, nodeFlags },
    stateful: { name: 'stateful', script: cli, args: [...mockArgs, '--stateful'], nodeFlags },
  };
}
