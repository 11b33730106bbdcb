import { readFileSync } from 'node:fs';

// /proc counts utime and stime in USER_HZ ticks, which the Linux ABI fixes at 100 per second on x86
// and ARM. Node has no sysconf() to ask, and a wrong value would scale every figure alike, ratios not.
const msPerTick = 10;

/** CPU time (user + system, all threads) a process has used so far, in ms; undefined without /proc. */
export function readProcCpuMs(pid: number): number | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name may hold spaces and parentheses: fields are counted from its closing one.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks * msPerTick : undefined;
}
