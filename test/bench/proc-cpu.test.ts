import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { readProcCpuMs } from '../../bench/proc-cpu.js';

describe('readProcCpuMs', () => {
  it('counts the CPU a busy process spends, in ms', async () => {
    // A child that spins for ~300 ms of CPU, then waits to be read.
    const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 300; while (Date.now() < end); process.stdout.write("done"); setTimeout(() => {}, 10000)']);
    try {
      await once(child.stdout, 'data');
      const used = readProcCpuMs(child.pid!);
      expect(used).toBeGreaterThanOrEqual(200);
      expect(used).toBeLessThan(5000);
    } finally {
      child.kill();
    }
  });

  it('gives undefined for a process that is gone', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    await once(child, 'exit');
    expect(readProcCpuMs(child.pid!)).toBeUndefined();
  });
});
