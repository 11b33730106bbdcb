import type { Faker } from '@faker-js/faker';
import type { SeededRandomizer } from './seeded-randomizer.js';

/** A person shared by the name, email and username properties of one object, so they agree. */
export interface FakePerson {
  first: string;
  last: string;
}

/** The mutable state one generator call threads through its compiled closures. */
export interface GenerateState {
  rng: SeededRandomizer;
  faker: Faker;
  /** Anchor in epoch ms: generated timestamps fall shortly before it. */
  now: number;
  /** How many `$ref`s deep the current value is. */
  depth: number;
  /** Depth at which optional properties are dropped, arrays shrink and nullable unions pick null. */
  softDepth: number;
  /** The current object's person and company, created on first use so sibling properties stay coherent. */
  person: FakePerson | undefined;
  company: string | undefined;
  /** The company's short slug (`acme`), for channels and mail domains. */
  companyKey: string | undefined;
  /** What is left of the strategy's per-call allowance for long values (Infinity for realistic data). */
  budget: number;
}

/**
 * A compiled value generator for one schema node; `at` (time-like nodes only) formats a given instant.
 * `impossible` says why no value it makes was valid when probed at compile time (it still returns its closest
 * candidate): an optional property or an alternative marked so is left out, an array of such items stays empty.
 */
export interface NodeGenerator {
  (state: GenerateState): unknown;
  at?: (state: GenerateState, epochMs: number) => unknown;
  impossible?: string;
}
