import { Type } from '@sinclair/typebox';
import { edgeProfiles } from '../fake/edge-profiles.js';
import { optionError } from '../options/check-options.js';
import { anyOption, fractionOption, oneOf, positiveInteger, seedOption } from '../options/option-schemas.js';
import { delayOption } from './delay.js';

// The options both mock adapters take (createMockServer and createHandlers), declared once: each
// adapter's schema spreads these properties and adds its own.

/** The option schemas the Fastify and MSW mocks share, by option name. */
export const sharedMockOptions = {
  scenarios: Type.Optional(anyOption()),
  seed: Type.Optional(seedOption),
  now: Type.Optional(Type.Number({ expected: 'epoch milliseconds' })),
  tokens: Type.Optional(Type.Array(Type.String(), { expected: 'a list of credential strings', secret: true })),
  delay: Type.Optional(Type.Union([Type.Number(), Type.Array(Type.Number()), Type.String()], { expected: 'milliseconds, [min, max] or "min-max"' })),
  edge: Type.Optional(oneOf(edgeProfiles)),
  errorRate: Type.Optional(fractionOption),
  journal: Type.Optional(Type.Union([Type.Boolean(), positiveInteger()], { expected: 'true, false or a positive number of entries' })),
  stateful: Type.Optional(Type.Boolean()),
  sessionTtl: Type.Optional(positiveInteger('ms')),
  initialState: Type.Optional(Type.Record(Type.String(), Type.Array(Type.Unknown()), { expected: 'items by collection path, e.g. { "/pets": [ … ] }' })),
};

/** What the shared options need beyond their schema: a delay that parses, and the state options only with `stateful`. */
export function checkSharedMockOptions(options: { delay?: unknown; stateful?: boolean } & Record<string, unknown>, stateOnly: readonly string[]): void {
  delayOption(options.delay);
  for (const name of stateOnly) {
    if (options[name] !== undefined && !options.stateful) throw optionError(name, 'needs stateful: true');
  }
}
