// Every public spec's schemas convert (leniently) without a throw, and the values generated for their components
// are valid for an independent ajv 2020 + ajv-formats reading of the same document. Specs are read as they are
// published: unbundled, so only local `#/` references (square-3.0 has five dangling ones).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGenerator } from '../../src/fake/create-generator.js';
import { resolvePointer } from '../../src/openapi/json-pointer.js';
import { createSchemaConverter, type Direction } from '../../src/openapi/schema-to-typebox.js';
import { parseSpecText } from '../../src/openapi/parse-spec-text.js';
import { independentAjv, to2020 } from './independent-ajv.js';
import { publicCorpus } from './public-corpus.js';

const DIR = publicCorpus;
const NOW = Date.UTC(2025, 4, 4, 9, 42, 0);
const GENERATION_SEEDS = [1, 77, 4242];
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const files = readdirSync(DIR).filter((name) => /\.(ya?ml|json)$/.test(name)).sort();

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The document as published (unbundled), parsed as iwkit parses it. */
async function read(name: string): Promise<Raw> {
  return (await parseSpecText(readFileSync(join(DIR, name), 'utf8'), name)) as Raw;
}

/** Follows `$ref`s of non-schema objects (parameters, bodies, responses). */
function deref(document: Raw, value: unknown): unknown {
  let current = value;
  for (let hops = 0; hops < 8 && isObject(current) && typeof current.$ref === 'string'; hops++) current = resolvePointer(document, current.$ref);
  return current;
}

/** Every schema an operation uses, with its pointer and direction. */
function operationSchemas(document: Raw): [unknown, string, Direction][] {
  const out: [unknown, string, Direction][] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  const content = (holder: unknown, at: string, direction: Direction) => {
    const media = isObject(holder) && isObject(holder.content) ? holder.content : {};
    for (const [type, entry] of Object.entries(media)) if (isObject(entry) && entry.schema !== undefined) out.push([entry.schema, `${at}/content/${type.replace(/\//g, '~1')}/schema`, direction]);
  };
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const base = `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const at = `${base}/${method}`;
      const parameters = [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(operation.parameters) ? operation.parameters : [])];
      parameters.forEach((raw, index) => {
        const parameter = deref(document, raw);
        if (isObject(parameter) && parameter.schema !== undefined) out.push([parameter.schema, `${at}/parameters/${index}/schema`, 'request']);
        content(parameter, `${at}/parameters/${index}`, 'request');
      });
      content(deref(document, operation.requestBody), `${at}/requestBody`, 'request');
      const responses = isObject(operation.responses) ? operation.responses : {};
      for (const [status, raw] of Object.entries(responses)) {
        const response = deref(document, raw);
        content(response, `${at}/responses/${status}`, 'response');
        const headers = isObject(response) && isObject(response.headers) ? response.headers : {};
        for (const [name, header] of Object.entries(headers)) {
          const resolved = deref(document, header);
          if (isObject(resolved) && resolved.schema !== undefined) out.push([resolved.schema, `${at}/responses/${status}/headers/${name}/schema`, 'response']);
        }
      }
    }
  }
  return out;
}

const DOC_ID = 'https://iwkit.test/doc';

/** The independent judge of component values (response direction), or undefined when ajv cannot compile one. */
function componentJudge(document: Raw): (name: string) => ((value: unknown) => boolean) | undefined {
  const ajv = independentAjv();
  const components = to2020(document.components, {
    direction: 'response',
    deref: (ref) => resolvePointer(document, ref),
    rewriteRef: (ref) => (ref.startsWith('#/') ? `${DOC_ID}${ref}` : ref),
  });
  ajv.addSchema({ $id: DOC_ID, components } as object, undefined, undefined, false);
  return (name) => {
    try {
      const validate = ajv.getSchema(`${DOC_ID}#/components/schemas/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      return validate ? (value) => validate(value) === true : undefined;
    } catch {
      return undefined;
    }
  };
}

interface Figures {
  spec: string;
  warnings: number;
  components: number;
  operationSchemas: number;
  judged: number;
  valid: number;
  unjudged: number;
  problems: number;
}

const figures: Figures[] = [];

describe.each(files)('%s', (file) => {
  it('converts every component and operation schema in lenient mode, and generates values an independent ajv 2020 accepts', { timeout: 600_000 }, async () => {
    const document = await read(file);
    const warnings: string[] = [];
    const converter = createSchemaConverter({ document, source: file, warnings });
    const schemas = operationSchemas(document);
    for (const [schema, pointer, direction] of schemas) expect(() => converter.convert(schema, pointer, direction)).not.toThrow();
    const references = converter.references();
    const names = Object.keys(isObject(document.components) && isObject(document.components.schemas) ? document.components.schemas : {});
    const judge = componentJudge(document);
    const row: Figures = { spec: file, warnings: warnings.length, components: names.length, operationSchemas: schemas.length, judged: 0, valid: 0, unjudged: 0, problems: 0 };
    const failures: string[] = [];
    for (const name of names) {
      const ref = converter.convert({ $ref: `#/components/schemas/${name.replace(/~/g, '~0').replace(/\//g, '~1')}` }, '#', 'response');
      const generate = createGenerator(ref, references);
      if (generate.problem) row.problems++;
      const valid = judge(name);
      if (!valid) {
        row.unjudged++;
        continue;
      }
      for (const seed of GENERATION_SEEDS) {
        const value = generate({ seed, now: NOW });
        row.judged++;
        if (valid(value)) row.valid++;
        else if (failures.length < 5) failures.push(`${name} (seed ${seed})`);
      }
    }
    figures.push(row);
    if (file === 'square-3.0.json') {
      expect(warnings.filter((w) => w.includes('CatalogModifierToggleOverrideType') && w.includes('does not resolve'))).toHaveLength(5);
    }
    if (failures.length > 0) console.warn(`${file}: invalid generated values for ${failures.join(', ')}`);
    // The large majority: at least 95 % of the generated component values.
    expect(row.valid).toBeGreaterThanOrEqual(Math.floor(row.judged * 0.95));
  });
});

describe('the public corpus', () => {
  it('prints its figures', () => {
    const total = figures.reduce((sum, row) => ({ ...sum, judged: sum.judged + row.judged, valid: sum.valid + row.valid }), { judged: 0, valid: 0 });
    console.log(
      ['spec | warnings | components | operation schemas | generated values judged | valid | components ajv cannot compile | generators with a problem']
        .concat(figures.map((r) => `${r.spec} | ${r.warnings} | ${r.components} | ${r.operationSchemas} | ${r.judged} | ${r.valid} | ${r.unjudged} | ${r.problems}`))
        .concat([`total valid ${total.valid}/${total.judged}`])
        .join('\n'),
    );
    expect(figures.length).toBe(files.length);
  });
});
