import { describe, expect, it } from 'vitest';
import { mockServerOptions, type MockOptions } from '../../src/cli/mock-command.js';
import { runContractCommand } from '../../src/cli/contract-command.js';
import { flagNames, numberFlag } from '../../src/cli/parse-options.js';
import { runContract } from '../../src/contract/run-contract.js';
import { createGenerator } from '../../src/fake/create-generator.js';
import { edgeStrategy } from '../../src/fake/edge-strategy.js';
import { createHandlers } from '../../src/msw/create-handlers.js';
import { checkOptions, optionError, renamedOptionError } from '../../src/options/check-options.js';
import { integerOption, maxSeed, oneOf, positiveInteger, textOption } from '../../src/options/option-schemas.js';
import { createProxyServer } from '../../src/proxy/create-proxy-server.js';
import { checkMockServerOptions } from '../../src/server/mock-server-options.js';
import { Type } from '@sinclair/typebox';

const messageOf = (work: () => unknown): string => {
  try {
    work();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an option error');
};

const rejection = async (work: () => Promise<unknown>): Promise<Error & { code?: string }> => {
  try {
    await work();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected an option error');
};

describe('option schemas', () => {
  const schema = Type.Object({
    cases: Type.Optional(integerOption(0, 1000)),
    ttl: Type.Optional(positiveInteger('ms')),
    mode: Type.Optional(oneOf(['report', 'enforce'])),
    token: Type.Optional(textOption({ secret: true })),
    limits: Type.Optional(Type.Object({ maxDelayed: Type.Optional(positiveInteger()) }, { additionalProperties: false })),
    url: Type.String({ missing: 'required: the server under test' }),
  });

  it('words each kind of bad value from the schema, naming the option by its path', () => {
    expect(messageOf(() => checkOptions(schema, { url: 'x', cases: 5000 }))).toBe('invalid option cases: expected an integer from 0 to 1000, got 5000');
    expect(messageOf(() => checkOptions(schema, { url: 'x', ttl: 0 }))).toBe('invalid option ttl: expected a positive whole number of ms, got 0');
    expect(messageOf(() => checkOptions(schema, { url: 'x', mode: 'strict' }))).toBe('invalid option mode: expected one of report, enforce, got "strict"');
    expect(messageOf(() => checkOptions(schema, { url: 'x', limits: { maxDelayed: 1.5 } }))).toBe('invalid option limits.maxDelayed: expected a positive whole number, got 1.5');
    expect(messageOf(() => checkOptions(schema, { url: 'x', limits: { maxDelay: 1 } }))).toBe('invalid option limits.maxDelay: unknown option (known: maxDelayed)');
    expect(messageOf(() => checkOptions(schema, {}))).toBe('invalid option url: required: the server under test');
    expect(() => checkOptions(schema, { url: 'x', cases: 3, mode: 'report' })).not.toThrow();
  });

  it('never shows the value of a secret option', () => {
    const message = messageOf(() => checkOptions(schema, { url: 'x', token: '' }));
    expect(message).toBe('invalid option token: expected a non-empty string');
  });

  it('renames an option error through the names a caller wrote, keeping the code and the detail', () => {
    const renamed = renamedOptionError(optionError('limits.maxDelayed', 'expected a positive whole number, got 0'), flagNames()) as Error & { code: string };
    expect(renamed.code).toBe('IWKIT_ERR_OPTION_INVALID');
    expect(renamed.message).toBe('invalid option --max-delayed: expected a positive whole number, got 0');
    const other = new Error('not ours');
    expect(renamedOptionError(other, flagNames())).toBe(other);
  });

  it('names flags in kebab case, list items by their list, and takes renames first', () => {
    const names = flagNames({ timeoutMs: '--timeout', 'auth.from': '--auth-from' });
    expect(names('errorRate')).toBe('--error-rate');
    expect(names('edge.1')).toBe('--edge');
    expect(names('timeoutMs')).toBe('--timeout');
    expect(names('auth.from')).toBe('--auth-from');
  });

  it('reads decimal flag text as a number and hands anything else on unchanged for the schema to refuse', () => {
    expect(numberFlag('42')).toBe(42);
    expect(numberFlag(' 0.05 ')).toBe(0.05);
    expect(numberFlag('0x10')).toBe('0x10');
    expect(numberFlag('eighty')).toBe('eighty');
    expect(numberFlag(undefined)).toBeUndefined();
  });
});

describe('each entry point checks its options through one schema', () => {
  it('gives createMockServer and iwkit mock the same rule, each naming what its caller wrote', async () => {
    expect(messageOf(() => checkMockServerOptions({ limits: { maxDelayed: 0 } }))).toBe('invalid option limits.maxDelayed: expected a positive whole number, got 0');
    const flags: MockOptions = { port: '0', host: '127.0.0.1', cors: true, docs: true, logLevel: 'silent', logFormat: 'text', maxDelayed: '0' };
    expect(messageOf(() => mockServerOptions(flags, {}))).toBe('invalid option --max-delayed: expected a positive whole number, got 0');
    expect(messageOf(() => mockServerOptions({ ...flags, maxDelayed: undefined, errorRate: 'lots' }, {}))).toBe('invalid option --error-rate: expected a fraction from 0 to 1 such as 0.05, got "lots"');
    expect(messageOf(() => mockServerOptions({ ...flags, maxDelayed: undefined, port: '70000' }, {}))).toBe('invalid option --port: expected an integer from 0 to 65535, got 70000');
    expect(messageOf(() => mockServerOptions({ ...flags, maxDelayed: undefined, stateful: true, stateTimeout: '0' }, {}))).toBe('invalid option --state-timeout: expected a positive whole number of ms, got 0');
  });

  it('takes the same seed range in the mock, the MSW handlers and the contract runner', async () => {
    const tooBig = maxSeed + 1;
    expect(messageOf(() => checkMockServerOptions({ seed: tooBig }))).toBe(`invalid option seed: expected an integer from 0 to ${maxSeed}, got ${tooBig}`);
    expect(messageOf(() => createHandlers('schema/openapi.yaml' as never, { seed: tooBig }))).toContain(`invalid option seed: expected an integer from 0 to ${maxSeed}`);
    const error = await rejection(() => runContract({ spec: 'schema/openapi.yaml', baseUrl: 'http://127.0.0.1:1', seed: tooBig }));
    expect(error.message).toBe(`invalid option seed: expected an integer from 0 to ${maxSeed}, got ${tooBig}`);
  });

  it('names runContract options as properties in code and as flags from iwkit contract', async () => {
    const library = await rejection(() => runContract({ spec: 'schema/openapi.yaml', baseUrl: 'http://127.0.0.1:1', checks: ['no-such-check'] }));
    expect(library.message).toMatch(/^invalid option checks: unknown check "no-such-check"/);
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: {} };
    const cli = await rejection(() => runContractCommand({ baseUrl: 'http://127.0.0.1:1', cases: '5000' } as never, io as never));
    expect(cli.message).toBe('invalid option --cases: expected an integer from 0 to 1000, got 5000');
    const auth = await rejection(() => runContractCommand({ baseUrl: 'http://127.0.0.1:1', authFrom: 'nope' } as never, io as never));
    expect(auth.message).toMatch(/^invalid option --auth-from: unknown operationId nope/);
  });

  it('checks the proxy, the generator and edge strategies the same way', async () => {
    const proxy = await rejection(() => createProxyServer({ upstream: 'http://127.0.0.1:9', connections: 5000 }));
    expect(proxy.message).toBe('invalid option connections: expected an integer from 1 to 4096, got 5000');
    expect(messageOf(() => createGenerator(Type.String(), [], { maxDepth: -1 }))).toMatch(/^invalid option maxDepth: expected an integer from 0/);
    expect(messageOf(() => edgeStrategy('huge' as never))).toMatch(/^invalid option profile: expected one of min, max/);
    expect(messageOf(() => edgeStrategy('max', { longString: -1 }))).toMatch(/^invalid option longString: expected an integer from 0/);
  });
});
