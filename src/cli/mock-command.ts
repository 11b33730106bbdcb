import type { Command } from 'commander';

/** Placeholder until the mock command lands. */
export function registerMockCommand(program: Command): void {
  program.command('mock').description('not yet implemented');
}
