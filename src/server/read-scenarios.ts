import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { toolkitError } from '../errors.js';
import { importFresh } from './import-fresh.js';
import type { RulePath } from '../mock/compile-rules.js';
import { formatRulePath, withRulePath } from '../mock/rule-path.js';

// File reading stays here, at the edge; src/mock only sees the parsed data and a way to name positions.

/** A scenarios file's content and how to name a position in it (`file:line:col`, or a property path for modules). */
export interface ScenarioSource {
  file: string;
  data: unknown;
  locate: (path: RulePath) => string;
}

const dataExtensions = new Set(['.yaml', '.yml', '.json']);
const moduleExtensions = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts']);

export { formatRulePath, withRulePath };

function locator(file: string, doc: Document, lines: LineCounter): (path: RulePath) => string {
  return (path) => {
    // Point at the deepest part of the path that exists in the file (a missing key is reported at its parent).
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) {
        const { line, col } = lines.linePos(node.range[0]);
        return withRulePath(`${file}:${line}:${col}`, path);
      }
    }
    return withRulePath(file, path);
  };
}

async function readData(file: string): Promise<ScenarioSource> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw toolkitError('IWKIT_ERR_SCENARIO_INVALID', file, `cannot read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const lines = new LineCounter();
  // JSON is read with the YAML parser too: it is valid YAML 1.2 and so keeps positions for error messages.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) {
    const { line, col } = lines.linePos(problem.pos[0]);
    throw toolkitError('IWKIT_ERR_SCENARIO_INVALID', `${file}:${line}:${col}`, problem.message.split('\n')[0]);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw toolkitError('IWKIT_ERR_SCENARIO_INVALID', file, error instanceof Error ? error.message : String(error));
  }
  return { file, data, locate: locator(file, doc, lines) };
}

async function readModule(file: string): Promise<ScenarioSource> {
  let mod: Record<string, unknown>;
  try {
    mod = await importFresh(file);
  } catch (error) {
    const hint = /\.m?ts$/.test(file) ? ' (TypeScript rules need a TS-aware runtime such as vitest or tsx; plain Node 20 loads .js/.mjs)' : '';
    throw toolkitError('IWKIT_ERR_SCENARIO_INVALID', file, `cannot load: ${error instanceof Error ? error.message : String(error)}${hint}`);
  }
  const data = mod.default ?? mod.rules;
  if (data === undefined) throw toolkitError('IWKIT_ERR_SCENARIO_INVALID', file, 'a rules module exports its rules: `export default [...]` or `export const rules = [...]`');
  return { file, data, locate: (path) => withRulePath(file, path) };
}

/** Reads a scenarios file: YAML, JSON, or a JS/TS module exporting the rules. */
export async function readScenarioFile(path: string): Promise<ScenarioSource> {
  const file = resolve(path);
  const ext = extname(file).toLowerCase();
  if (dataExtensions.has(ext)) return readData(file);
  if (moduleExtensions.has(ext)) return readModule(file);
  throw toolkitError('IWKIT_ERR_SCENARIO_INVALID', file, 'a scenarios file is .yaml, .yml, .json, or a .js/.mjs/.ts module');
}
