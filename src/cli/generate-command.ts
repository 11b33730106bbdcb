import type { Command } from 'commander';

/** Placeholder until the generate command lands. */
export function registerGenerateCommand(program: Command): void {
  program.command('generate').description('not yet implemented');
}
