// An OpenAPI discriminator, resolved at conversion time to the alternative each value selects. It
// never changes what validates (oneOf/anyOf keep their JSON Schema meaning); it picks which
// alternative's problems a validation error reports, and which alternative a generated value uses.

/** Symbol under which a oneOf/anyOf node keeps its resolved discriminator. */
export const DISCRIMINATOR = Symbol.for('iwkit.discriminator');

/** A discriminator resolved against the node's alternatives. */
export interface DiscriminatorInfo {
  /** The combinator whose alternatives `mapping` indexes: `anyOf` for a TypeBox Union, `oneOf`/`anyOf` for an ajv-backed node. */
  keyword: 'oneOf' | 'anyOf';
  propertyName: string;
  /** Discriminator value → index of the alternative it selects. */
  mapping: Record<string, number>;
}

/** The resolved discriminator of a node, if it has one. */
export function discriminatorOf(node: object): DiscriminatorInfo | undefined {
  const info = (node as Record<symbol, unknown>)[DISCRIMINATOR];
  return typeof info === 'object' && info !== null ? (info as DiscriminatorInfo) : undefined;
}
