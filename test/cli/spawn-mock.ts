import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

// A test helper, not a test: runs the built CLI (npm test builds dist/ first), as a user would.

/** The bundled CLI that `npx iwkit` runs. */
export const cli = 'dist/iwkit.mjs';

/** A running `iwkit mock` child: its process, everything it printed so far, and its base URL once it listens. */
export interface SpawnedMock {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  address: Promise<string>;
}

const running = new Set<ChildProcessWithoutNullStreams>();

/** Kills every spawned mock still running, so a failed assertion never leaves a server behind (use in afterEach). */
export function stopSpawnedMocks(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  running.clear();
}

/** Starts `iwkit mock ...args`; `address` rejects if the process exits before it listens. */
export function spawnMock(args: string[]): SpawnedMock {
  const child = spawn(process.execPath, [cli, 'mock', ...args], { env: { ...process.env, NO_COLOR: '1' } });
  running.add(child);
  let out = '';
  const address = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`mock exited with ${code}: ${out}`)));
  });
  return { child, output: () => out, address };
}
