import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { contextOf, type JsonSchemaContext } from './json-schema-node.js';
import { discriminatorOf } from './discriminator.js';

// ajv's findings for an ajv-backed node, as `{pointer, message}` issues in the style of TypeBox's:
// a missing property is reported at the property, summaries ("must match "then" schema") are
// dropped when a precise finding exists, and a failed oneOf/anyOf is replaced by the problems of
// one alternative: the one the discriminator names, else the closest (fewest problems, preferring
// a branch whose type matched), or a single issue when several alternatives match a oneOf.

/** One finding; `pointer` is relative to the value the node validated. */
export interface Issue {
  pointer: string;
  message: string;
}

const MAX_DEPTH = 12;

function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function within(pointer: string, parent: string): boolean {
  return pointer === parent || pointer.startsWith(`${parent}/`);
}

function toIssue(error: ErrorObject): Issue | undefined {
  const params = error.params as Record<string, unknown>;
  const at = error.instancePath;
  switch (error.keyword) {
    case 'required':
      return { pointer: `${at}/${escape(String(params.missingProperty))}`, message: 'is required' };
    case 'dependentRequired':
      return { pointer: `${at}/${escape(String(params.missingProperty))}`, message: `is required when ${JSON.stringify(params.property)} is present` };
    case 'additionalProperties':
      return { pointer: `${at}/${escape(String(params.additionalProperty))}`, message: 'is not an allowed property' };
    case 'unevaluatedProperties':
      return { pointer: `${at}/${escape(String(params.unevaluatedProperty))}`, message: 'is not an allowed property' };
    case 'if':
      return { pointer: at, message: error.message ?? 'must match the conditional schema' };
    default:
      if (error.propertyName !== undefined) return { pointer: `${at}/${escape(error.propertyName)}`, message: `property name ${error.message ?? 'is not allowed'}` };
      return { pointer: at, message: error.message ?? 'is invalid' };
  }
}

/** Summaries that only repeat a more precise finding at or below the same location. */
const SUMMARIES = new Set(['if', 'propertyNames', 'allOf', 'dependentSchemas', '$ref']);

interface Explainer {
  context: JsonSchemaContext;
  reach: WeakMap<object, Set<object>>;
}

/** Schema objects reachable from `schema` (through `$ref`s too): the ones whose errors a combinator's explanation covers. */
function reachable(schema: object, explainer: Explainer): Set<object> {
  const known = explainer.reach.get(schema);
  if (known) return known;
  const seen = new Set<object>();
  const stack: unknown[] = [schema];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    const record = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      if (key === 'const' || key === 'enum') continue;
      if (key === '$ref' && typeof value === 'string') stack.push(explainer.context.resolve(value));
      else stack.push(value);
    }
  }
  explainer.reach.set(schema, seen);
  return seen;
}

function run(validate: ValidateFunction, data: unknown): ErrorObject[] {
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

function shape(errors: ErrorObject[], explainer: Explainer, depth: number): Issue[] {
  let remaining = errors;
  const issues: Issue[] = [];
  const combinators = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').sort((a, b) => a.instancePath.length - b.instancePath.length);
  for (const combinator of combinators) {
    if (!remaining.includes(combinator)) continue;
    const parent = combinator.parentSchema as object | undefined;
    if (!parent || depth >= MAX_DEPTH) continue;
    const covered = reachable(parent, explainer);
    remaining = remaining.filter((e) => !(within(e.instancePath, combinator.instancePath) && e.parentSchema !== undefined && covered.has(e.parentSchema as object)));
    const prefix = combinator.instancePath;
    for (const issue of explainCombinator(combinator, explainer, depth)) issues.push({ pointer: `${prefix}${issue.pointer}`, message: issue.message });
  }
  const precise = remaining.filter((e) => !SUMMARIES.has(e.keyword));
  for (const error of remaining) {
    if (SUMMARIES.has(error.keyword) && (precise.some((p) => within(p.instancePath, error.instancePath)) || issues.some((i) => within(i.pointer, error.instancePath)))) continue;
    // Items tried against `contains` fail by design; only the summary says something.
    if (error.keyword !== 'contains' && /\/contains\//.test(error.schemaPath)) continue;
    const issue = toIssue(error);
    if (issue) issues.push(issue);
  }
  return issues;
}

function explainSchema(schema: object, data: unknown, explainer: Explainer, depth: number): Issue[] {
  const errors = run(explainer.context.subValidator(schema), data);
  return errors.length === 0 ? [] : shape(errors, explainer, depth + 1);
}

function hasConstraints(schema: Record<string, unknown>): boolean {
  return Object.keys(schema).length > 0;
}

function explainCombinator(error: ErrorObject, explainer: Explainer, depth: number): Issue[] {
  const parent = error.parentSchema as Record<string, unknown>;
  const keyword = error.keyword as 'oneOf' | 'anyOf';
  const branches = (Array.isArray(error.schema) ? error.schema : []) as object[];
  const data = error.data;
  const issues: Issue[] = [];
  // The combinator's siblings, explained without it (unevaluated* depend on the branches: dropped with them).
  const { [keyword]: _branches, $id: _id, unevaluatedProperties: _up, unevaluatedItems: _ui, ...rest } = parent;
  if (hasConstraints(rest)) issues.push(...explainSchema(rest, data, explainer, depth));
  const passing = branches.map((branch, index) => (explainer.context.subValidator(branch)(data) ? index : -1)).filter((index) => index >= 0);
  if (keyword === 'oneOf' && passing.length > 1) {
    issues.push({ pointer: '', message: `must match exactly one schema in oneOf, but matches alternatives ${passing.join(' and ')}` });
    return issues;
  }
  const original = explainer.context.originals.get(parent);
  const discriminator = original ? discriminatorOf(original) : undefined;
  if (discriminator && discriminator.keyword === keyword && typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const tag = (data as Record<string, unknown>)[discriminator.propertyName];
    const values = Object.keys(discriminator.mapping);
    const pointer = `/${escape(discriminator.propertyName)}`;
    if (tag === undefined) return [...issues, { pointer, message: 'is required' }];
    const index = typeof tag === 'string' ? discriminator.mapping[tag] : undefined;
    if (index === undefined || branches[index] === undefined) {
      return [...issues, { pointer, message: `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}` }];
    }
    const chosen = explainSchema(branches[index], data, explainer, depth);
    return [...issues, ...(chosen.length > 0 ? chosen : [{ pointer: '', message: error.message ?? `must match a schema in ${keyword}` }])];
  }
  const explained = branches.map((branch) => explainSchema(branch, data, explainer, depth));
  const deeper = explained.filter((list) => list.some((issue) => issue.pointer !== ''));
  if (deeper.length === 0) return [...issues, { pointer: '', message: error.message ?? `must match a schema in ${keyword}` }];
  return [...issues, ...deeper.reduce((best, list) => (list.length < best.length ? list : best))];
}

/** Every finding of ajv for `value` against an ajv-backed `node` (empty when valid), pointers relative to the value. */
export function explainJsonSchema(node: object, value: unknown): Issue[] {
  const context = contextOf(node);
  const validate = context.validator(node, 'explain');
  const errors = run(validate, value);
  if (errors.length === 0) return [];
  const issues = shape(errors, { context, reach: new WeakMap() }, 0);
  const seen = new Set<string>();
  const unique = issues.filter((issue) => {
    const key = `${issue.pointer}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.length > 0 ? unique : [{ pointer: '', message: 'does not match the schema' }];
}
