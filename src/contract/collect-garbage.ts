import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// V8 frees a dead Buffer (external memory) and the strings and objects parsed from it only at its next
// full collection, and it lets several such answers pile up first: a run over a series of 10 MiB answers
// peaked at dozens of times one body. Collecting once before each large answer is read keeps the peak
// near what the answers in flight need. Without --expose-gc at start, the flag is set here, as the
// `expose-gc` package does; a runtime that refuses it simply collects as it always did.

/** Bodies at least this large trigger a full collection before they are read. */
export const largeBodyBytes = 1024 * 1024;

let collect: (() => void) | null | undefined;

/** Runs a full garbage collection now, when the runtime lets us. */
export function collectGarbage(): void {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
