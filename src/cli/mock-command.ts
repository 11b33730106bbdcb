import type { Command } from 'commander';
import { resolve } from 'node:path';
import { toolkitError } from '../errors.js';
import { createMockServer } from '../server/create-mock-server.js';
import { collect, parseInteger } from './parse-options.js';
import { runAction } from './run-action.js';

interface MockOptions {
  spec?: string;
  fixtures?: string;
  port: string;
  host: string;
  seed?: string;
  token?: string[];
  cors: boolean;
  docs: boolean;
  logLevel: string;
}

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Registers `iwkit mock`: serve a spec on a local port. */
export function registerMockCommand(program: Command): void {
  program
    .command('mock')
    .description('serve a mock of the spec (default: the embedded IW-ERP login contract)')
    .option('--spec <path>', 'OpenAPI 3.0/3.1 document (YAML or JSON); default: the embedded login contract')
    .option('--fixtures <dir>', 'fixture folder with <operationId>/<name>.json|.js; default: the embedded fixtures with the default spec')
    .option('--port <n>', 'port to listen on', '4010')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--seed <n>', 'seed generated data: identical bodies across restarts')
    .option('--token <value>', 'accept only this credential value (repeatable); default: any non-empty value', collect)
    .option('--no-cors', 'do not answer CORS preflights or send CORS headers')
    .option('--no-docs', 'do not serve /docs, /openapi.json and /openapi.yaml')
    .option('--log-level <level>', `request log level (${levels.join(', ')})`, 'info')
    .action(runAction(async (opts: MockOptions) => {
      const port = parseInteger('port', opts.port, 0, 65535)!;
      const seed = parseInteger('seed', opts.seed, 0, Number.MAX_SAFE_INTEGER);
      if (!levels.includes(opts.logLevel)) throw toolkitError('IWKIT_ERR_OPTION_INVALID', '--log-level', `expected one of ${levels.join(', ')}`);
      const tokens = opts.token ?? (process.env.IWKIT_MOCK_TOKENS ? process.env.IWKIT_MOCK_TOKENS.split(',') : undefined);
      const app = await createMockServer({
        spec: opts.spec ? resolve(opts.spec) : undefined,
        fixturesDir: opts.fixtures ? resolve(opts.fixtures) : undefined,
        seed,
        tokens,
        cors: opts.cors,
        docs: opts.docs,
        logger: opts.logLevel === 'silent' ? false : opts.logLevel,
      });
      let address: string;
      try {
        address = await app.listen({ port, host: opts.host });
      } catch (error) {
        throw toolkitError('IWKIT_ERR_SERVER_LISTEN', `${opts.host}:${port}`, error instanceof Error ? error.message : String(error));
      }
      const api = app.iwkitApi;
      const lines = [`iwkit mock of ${api.title} ${api.version} listening on ${address}`];
      for (const op of api.operations) lines.push(`  ${op.method.toUpperCase().padEnd(7)} ${address}${op.path}  (${op.operationId})`);
      process.stdout.write(`${lines.join('\n')}\n`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void app.close().then(done, done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      return 0;
    }));
}
