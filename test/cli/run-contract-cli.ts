import { Command } from 'commander';
import { registerContractCommand } from '../../src/cli/contract-command.js';

// A test helper, not a test: runs `iwkit contract …` in-process and captures what it prints.

/** What one CLI run printed and its exit code. */
export interface Run {
  code: number | undefined;
  stdout: string;
  stderr: string;
}

/** Runs `iwkit contract …` in-process; toolkit errors go to process.stderr through runAction, so that is captured too. */
export async function runContractCli(args: string[], env: NodeJS.ProcessEnv = {}, tty = false): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const program = new Command('iwkit').exitOverride();
  registerContractCommand(program, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t), isTTY: tty, columns: 120 },
    env,
  });
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'iwkit', 'contract', ...args]);
  } finally {
    process.stderr.write = original;
  }
  const code = process.exitCode as number | undefined;
  process.exitCode = undefined;
  return { code, stdout, stderr };
}
