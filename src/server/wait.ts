import { setTimeout as sleep } from 'node:timers/promises';
import { pickDelay, type DelayRange } from '../mock/delay.js';

/** Waits `ms` milliseconds; the timer keeps the process alive, so a script awaiting a delayed answer gets it. */
export async function wait(ms: number): Promise<void> {
  if (ms > 0) await sleep(ms);
}

/** The delay to apply: the rule's, else the request's `Prefer: delay=`, else the global one; 0 when none. */
export function chooseDelay(random: () => number, ...candidates: (DelayRange | undefined)[]): number {
  const range = candidates.find((c) => c !== undefined);
  return range ? pickDelay(range, random) : 0;
}
