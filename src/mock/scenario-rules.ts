import { Type, type Static } from '@sinclair/typebox';
import { edgeProfiles } from '../fake/edge-profiles.js';

// The rules format: what a tester writes in a scenarios file (YAML, JSON or a JS/TS module) and what
// `mock.use()` / `POST /__iwkit/overrides` accept. Checked with TypeBox first, then against the spec.

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

/** One test on one request value: a bare value (equals), `{ equals }`, `{ regex, flags? }` or `{ exists }`. */
export const MatcherSchema = Type.Union([
  Scalar,
  Type.Object({ equals: Type.Unknown() }, { additionalProperties: false }),
  Type.Object({ regex: Type.String(), flags: Type.Optional(Type.String()) }, { additionalProperties: false }),
  Type.Object({ exists: Type.Boolean() }, { additionalProperties: false }),
]);

/** The session states a rule can ask for (`--stateful`): `dead` is `expired` or `unknown`. */
export const sessionConditions = ['live', 'dead', 'expired', 'unknown'] as const;

/** What a request must look like: body fields by JSON pointer, query, header and cookie values by name, the session's state. All must hold. */
export const MatchSchema = Type.Object(
  {
    body: Type.Optional(Type.Record(Type.String(), MatcherSchema)),
    query: Type.Optional(Type.Record(Type.String(), MatcherSchema)),
    headers: Type.Optional(Type.Record(Type.String(), MatcherSchema)),
    cookies: Type.Optional(Type.Record(Type.String(), MatcherSchema)),
    session: Type.Optional(Type.Union(sessionConditions.map((c) => Type.Literal(c)))),
  },
  { additionalProperties: false },
);

/** The ways a rule can make the transport misbehave. */
export const faultKinds = ['reset', 'empty', 'truncated', 'malformed', 'contract'] as const;

/** A transport or body fault: connection reset, no bytes at all, a cut-off body, invalid JSON, or a schema-breaking body. */
export type FaultKind = (typeof faultKinds)[number];

/** How a matching request is answered. */
export const AnswerSchema = Type.Object(
  {
    status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
    fixture: Type.Optional(Type.String({ minLength: 1 })),
    body: Type.Optional(Type.Unknown()),
    merge: Type.Optional(Type.Unknown()),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    delay: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Array(Type.Integer({ minimum: 0 }), { minItems: 2, maxItems: 2 })])),
    fault: Type.Optional(Type.Union(faultKinds.map((kind) => Type.Literal(kind)))),
    edge: Type.Optional(Type.Union(edgeProfiles.map((profile) => Type.Literal(profile)))),
  },
  { additionalProperties: false },
);

/** One rule of a scenarios file. Without `operationId` it applies to every operation. */
export const RuleSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1 })),
    description: Type.Optional(Type.String()),
    operationId: Type.Optional(Type.String({ minLength: 1 })),
    match: Type.Optional(MatchSchema),
    respond: AnswerSchema,
    times: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

/** A run-time override: a rule, optionally scoped to one client (`iwkit-client` header). */
export const OverrideSchema = Type.Object(
  {
    ...RuleSchema.properties,
    client: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

/** One matcher as written. */
export type Matcher = Static<typeof MatcherSchema>;
/** The request conditions of a rule as written. */
export type RuleMatch = Static<typeof MatchSchema>;
/** The answer of a rule as written. */
export type RuleAnswer = Static<typeof AnswerSchema>;
/** A rule as written in a scenarios file. */
export type ScenarioRule = Static<typeof RuleSchema>;
/** What `mock.use()` and `POST /__iwkit/overrides` accept. */
export type OverrideInput = Static<typeof OverrideSchema>;
/** A scenarios file: a list of rules, or `{ rules: [...] }`. */
export type ScenarioRules = ScenarioRule[] | { rules: ScenarioRule[] };
