import { readFileSync } from 'node:fs';

/** Resident memory of a process from /proc: current (VmRSS) and peak (VmHWM), in bytes. */
export interface ProcMemory {
  rssBytes: number;
  peakBytes: number;
}

/** Reads /proc/<pid>/status; undefined where /proc is missing (not Linux) or the process is gone. */
export function readProcMemory(pid: number): ProcMemory | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (field: string): number | undefined => {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const rss = kib('VmRSS');
  if (rss === undefined) return undefined;
  return { rssBytes: rss, peakBytes: kib('VmHWM') ?? rss };
}

/** Polls a process's memory; `stop()` returns the highest RSS seen (the kernel's VmHWM when higher). */
export function sampleMemory(pid: number, intervalMs = 100): { stop(): { peakBytes?: number; lastBytes?: number; samples: number } } {
  let peak = 0;
  let last: number | undefined;
  let samples = 0;
  const take = (): void => {
    const memory = readProcMemory(pid);
    if (!memory) return;
    samples++;
    last = memory.rssBytes;
    peak = Math.max(peak, memory.rssBytes, memory.peakBytes);
  };
  take();
  const timer = setInterval(take, intervalMs);
  timer.unref();
  return {
    stop() {
      take();
      clearInterval(timer);
      return { ...(samples > 0 ? { peakBytes: peak, lastBytes: last } : {}), samples };
    },
  };
}
