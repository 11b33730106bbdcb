import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../openapi/package-root.js';
import { registerContractCommand } from './contract-command.js';
import { registerGenerateCommand } from './generate-command.js';
import { registerMockCommand } from './mock-command.js';
import { registerProxyCommand } from './proxy-command.js';

const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };

const program = new Command('iwkit')
  .description('OpenAPI mock server and contract-testing toolkit')
  .version(pkg.version, '-v, --version')
  .showHelpAfterError()
  .exitOverride();

registerMockCommand(program);
registerContractCommand(program);
registerGenerateCommand(program);
registerProxyCommand(program);

// No top-level await: the bundle is CommonJS, so that src/cli/bin.ts can compile it with a code cache.
program.parseAsync(process.argv).catch((error: unknown) => {
  // Commander throws on --help/--version (exit 0) and on usage errors, which are option errors: exit 2.
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    throw error;
  }
});
