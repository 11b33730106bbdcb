import { isToolkitError } from '../errors.js';

/** Wraps a command action: a toolkit error prints `CODE: message` and exits 2; anything else is a bug and exits 2 with its stack. */
export function runAction<A extends unknown[]>(action: (...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await action(...args);
      if (typeof code === 'number') process.exitCode = code;
    } catch (error) {
      if (isToolkitError(error)) {
        process.stderr.write(`${error.code}: ${error.message}\n`);
      } else {
        process.stderr.write(`iwkit: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      }
      process.exitCode = 2;
    }
  };
}
