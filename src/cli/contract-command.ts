import type { Command } from 'commander';

/** Placeholder until the contract command lands. */
export function registerContractCommand(program: Command): void {
  program.command('contract').description('not yet implemented');
}
