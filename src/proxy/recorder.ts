import type { TSchema } from '@sinclair/typebox';
import { dump } from 'js-yaml';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SchemaValidation } from '../contract/schema-validation.js';
import { createGenerator } from '../fake/create-generator.js';
import type { Api } from '../openapi/api-model.js';
import { isJsonMediaType } from '../openapi/media-type.js';
import { findResponse, type CompiledOperation } from '../mock/compile-operation.js';
import { refMap } from '../mock/schema-shape.js';
import type { ScenarioRule } from '../mock/scenario-rules.js';
import { bodySecrets, headerSecrets, isSecretHeaderName, isSecretQueryName, type SecretRules } from './find-secrets.js';
import { SecretStandIns } from './secret-stand-ins.js';

// Turns valid upstream answers into the mock's own fixtures (`DIR/<operationId>/<name>.json`) and a
// `scenarios.yaml` whose rules select each one by the request field that told it apart. Secrets are
// replaced by schema-valid stand-ins before anything is written, and every file is searched for them once more.

/** One valid exchange, as the recorder needs it. */
export interface RecordedExchange {
  op: CompiledOperation;
  query: Record<string, unknown>;
  requestHeaders: Record<string, string | string[] | undefined>;
  /** The request body as parsed JSON, when it was JSON. */
  requestBody?: unknown;
  status: number;
  responseHeaders: Record<string, string | string[] | undefined>;
  /** The response body as parsed JSON; undefined for an answer without body. */
  responseBody?: unknown;
}

/** What became of one exchange. */
export type RecordOutcome = { recorded: string } | { skipped: string };

/** The recorder of one proxy run. */
export interface Recorder {
  record(exchange: RecordedExchange): Promise<RecordOutcome>;
  /** The fixture files written so far. */
  readonly count: number;
}

function shapeOf(value: unknown, depth = 0): unknown {
  if (depth > 32) return '…';
  if (Array.isArray(value)) return [value.length > 0 ? shapeOf(value[0], depth + 1) : 'empty'];
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, shapeOf((value as Record<string, unknown>)[k], depth + 1)]));
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The first scalar leaf of a JSON request body that is no secret: the field that tells recordings apart. */
function distinguishingField(body: unknown, isSecret: (pointer: string, key: string, value: string) => boolean): { pointer: string; value: string | number | boolean } | undefined {
  const walk = (node: unknown, pointer: string, key: string, depth: number): { pointer: string; value: string | number | boolean } | undefined => {
    if (depth > 16) return undefined;
    if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') {
      return pointer !== '' && !isSecret(pointer, key, String(node)) && String(node).length <= 200 ? { pointer, value: node } : undefined;
    }
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    for (const [name, child] of Object.entries(node as Record<string, unknown>)) {
      const hit = walk(child, `${pointer}/${escapeToken(name)}`, name, depth + 1);
      if (hit) return hit;
    }
    return undefined;
  };
  return walk(body, '', '', 0);
}

function replaceAt(value: unknown, replacements: Map<string, string>, scrub: (text: string) => string, pointer = ''): unknown {
  const own = replacements.get(pointer);
  if (own !== undefined) return own;
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((v, i) => replaceAt(v, replacements, scrub, `${pointer}/${i}`));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) out[scrub(key)] = replaceAt(child, replacements, scrub, `${pointer}/${escapeToken(key)}`);
  return out;
}

/** What the recorder is built from. */
interface RecorderOptions {
  dir: string;
  api: Api;
  schemas: SchemaValidation;
  rules: SecretRules;
  maxRecordings: number;
  upstream: string;
}

/** The fixture files of one recording, with every secret replaced by a schema-valid stand-in. */
class FixtureRecorder {
  written = 0;
  private readonly dir: string;
  private readonly refs: ReturnType<typeof refMap>;
  private readonly standIns: SecretStandIns;
  private readonly seen = new Set<string>();
  private readonly names = new Set<string>();
  private readonly scenarioRules: ScenarioRule[] = [];

  constructor(private readonly options: RecorderOptions) {
    this.dir = resolve(options.dir);
    this.refs = refMap(options.api.references);
    const now = Date.now();
    this.standIns = new SecretStandIns((schema: TSchema | undefined, n: number) => {
      if (!schema) return undefined;
      try {
        const value = createGenerator(schema, options.api.references)({ seed: 0x5ec7e7 + n, now });
        return typeof value === 'string' && options.schemas.isValid(schema, value) ? value : undefined;
      } catch {
        return undefined;
      }
    });
  }

  /** Writes one exchange as a fixture (and its rule), or says why not. */
  async write(exchange: RecordedExchange): Promise<RecordOutcome> {
    const operationId = exchange.op.operation.operationId;
    const response = findResponse(exchange.op.responses, exchange.status);
    if (!response) return { skipped: `status ${exchange.status} is not declared` };
    const media = response.media.find((m) => m.validator) ?? response.media[0];
    if (exchange.responseBody !== undefined && !media?.validator) return { skipped: 'only JSON bodies are recorded' };
    const key = `${operationId} ${exchange.status} ${JSON.stringify(shapeOf(exchange.responseBody))}`;
    if (this.seen.has(key)) return { skipped: 'a recording with the same status and body shape exists' };
    if (this.written >= this.options.maxRecordings) return { skipped: `maxRecordings (${this.options.maxRecordings}) reached` };
    this.noteRequestSecrets(exchange);
    const headers = this.recordedHeaders(exchange, response.spec.headers);
    const body = this.recordedBody(exchange, media?.validator !== undefined);
    // After the body: its secrets, now known, are scrubbed from the headers too.
    for (const [name, value] of Object.entries(headers)) headers[name] = this.standIns.scrub(value);
    if (body !== undefined && media?.validator && media.validator.errors(body).length > 0) {
      return { skipped: 'the body with secrets replaced no longer fits the schema' };
    }
    const fixture = { summary: `Recorded from ${this.options.upstream} (${exchange.op.operation.method.toUpperCase()} ${exchange.op.operation.path}) on ${new Date().toISOString()}`, status: exchange.status, ...(Object.keys(headers).length > 0 ? { headers } : {}), ...(body !== undefined ? { body } : {}) };
    const text = `${JSON.stringify(fixture, null, 2)}\n`;
    if (this.standIns.leaks(text) !== undefined) return { skipped: 'a secret could not be replaced everywhere; nothing written' };
    const { name, rule } = this.nameAndRule(exchange);
    const rulesText = `# Recorded by iwkit proxy from ${this.options.upstream}: each rule selects the answer recorded for that request.\n${dump({ rules: rule ? [...this.scenarioRules, rule] : this.scenarioRules }, { lineWidth: -1, noRefs: true })}`;
    if (rule && this.standIns.leaks(rulesText) !== undefined) return { skipped: 'a secret would reach the rules file; nothing written' };
    await mkdir(join(this.dir, operationId), { recursive: true });
    await writeFile(join(this.dir, operationId, `${name}.json`), text);
    this.seen.add(key);
    this.names.add(`${operationId}/${name}`);
    this.written++;
    if (rule) {
      this.scenarioRules.push(rule);
      await writeFile(join(this.dir, 'scenarios.yaml'), rulesText);
    }
    return { recorded: `${operationId}/${name}` };
  }

  private noteRequestSecrets(exchange: RecordedExchange): void {
    const { rules } = this.options;
    for (const [name, value] of Object.entries(exchange.requestHeaders)) {
      if (value === undefined || !isSecretHeaderName(name, rules)) continue;
      for (const v of Array.isArray(value) ? value : [value]) for (const secret of headerSecrets(name, v)) this.standIns.note(secret);
    }
    for (const [name, value] of Object.entries(exchange.query)) {
      if (isSecretQueryName(name, rules)) for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') this.standIns.note(v);
    }
    const media = exchange.op.operation.requestBody?.content.find((m) => isJsonMediaType(m.contentType));
    for (const s of bodySecrets(exchange.requestBody, media?.schema, this.refs, this.options.schemas.resolve, rules)) this.standIns.standIn(s.value, s.schema);
  }

  /** The declared response headers, secret ones stood in for (scrubbed later, once the body's secrets are known); undeclared credentials are never written, but their values are searched for everywhere. */
  private recordedHeaders(exchange: RecordedExchange, declaredHeaders: { name: string; schema?: TSchema }[]): Record<string, string> {
    const { rules } = this.options;
    const headers: Record<string, string> = {};
    for (const declared of declaredHeaders) {
      const raw = exchange.responseHeaders[declared.name.toLowerCase()];
      const text = Array.isArray(raw) ? raw.join(', ') : raw;
      if (text === undefined) continue;
      if (isSecretHeaderName(declared.name, rules)) {
        for (const secret of headerSecrets(declared.name, text)) this.standIns.note(secret);
        headers[declared.name.toLowerCase()] = this.standIns.standIn(text, declared.schema);
      } else headers[declared.name.toLowerCase()] = text;
    }
    for (const [name, value] of Object.entries(exchange.responseHeaders)) {
      if (value === undefined || !isSecretHeaderName(name, rules)) continue;
      for (const v of Array.isArray(value) ? value : [value]) for (const secret of headerSecrets(name, v)) this.standIns.note(secret);
    }
    return headers;
  }

  /** The response body with secrets at their pointers stood in for and known secret text scrubbed everywhere. */
  private recordedBody(exchange: RecordedExchange, json: boolean): unknown {
    if (exchange.responseBody === undefined) return undefined;
    const replacements = new Map<string, string>();
    const schema = json ? findSchema(exchange.op, exchange.status) : undefined;
    for (const s of bodySecrets(exchange.responseBody, schema, this.refs, this.options.schemas.resolve, this.options.rules)) {
      replacements.set(s.pointer, this.standIns.standIn(s.value, s.schema));
    }
    return replaceAt(exchange.responseBody, replacements, (text) => this.standIns.scrub(text));
  }

  /** A fixture name from the status and a request field that tells this exchange apart, and the rule selecting it. */
  private nameAndRule(exchange: RecordedExchange): { name: string; rule?: ScenarioRule } {
    const operationId = exchange.op.operation.operationId;
    const { rules } = this.options;
    const field = distinguishingField(exchange.requestBody, (pointer, key, value) => rules.pointers.has(pointer) || rules.names.has(key.toLowerCase()) || /token|secret|passw|session|api_?key|credential/i.test(key) || this.standIns.leaks(value) !== undefined || this.standIns.scrub(value) !== value);
    const base = slug(`${exchange.status}${field ? `-${String(field.value)}` : ''}`) || String(exchange.status);
    let name = base;
    for (let i = 2; this.names.has(`${operationId}/${name}`); i++) name = `${base}-${i}`;
    const rule: ScenarioRule | undefined = field ? { name: `${operationId}-${name}`, operationId, match: { body: { [field.pointer]: field.value } }, respond: { fixture: name } } : undefined;
    return { name, ...(rule ? { rule } : {}) };
  }
}

function findSchema(op: CompiledOperation, status: number): TSchema | undefined {
  const spec = op.operation.responses.find((r) => r === findResponse(op.responses, status)?.spec);
  return spec?.content.find((m) => isJsonMediaType(m.contentType))?.schema ?? spec?.content[0]?.schema;
}

/** Creates the recorder writing under `dir`. */
export function createRecorder(options: RecorderOptions): Recorder {
  const recorder = new FixtureRecorder(options);
  let queue: Promise<unknown> = Promise.resolve();
  return {
    get count() {
      return recorder.written;
    },
    record(exchange) {
      // One write at a time: the rules file is rewritten whole on each recording.
      const next = queue.then(() => recorder.write(exchange));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
