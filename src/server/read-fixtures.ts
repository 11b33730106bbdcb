import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { toolkitError } from '../errors.js';
import type { Fixture, FixtureBuilder } from '../mock/fixture.js';
import { importFresh } from './import-fresh.js';
import { checkEnvelope } from '../mock/fixture-envelope.js';

// File reading stays at the edge (here, in the server adapter) so src/mock can run without Node's fs.

const moduleExtensions = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts']);

async function readJsonFixture(file: string): Promise<Omit<Fixture, 'name' | 'file'>> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw toolkitError('IWKIT_ERR_FIXTURE_READ', file, error instanceof Error ? error.message : String(error));
  }
  return checkEnvelope(file, data);
}

async function readModuleFixture(file: string): Promise<Omit<Fixture, 'name' | 'file'>> {
  let mod: Record<string, unknown>;
  try {
    mod = await importFresh(file);
  } catch (error) {
    const hint = /\.m?ts$/.test(file) ? ' (TypeScript fixtures need a TS-aware runtime such as vitest or tsx; plain Node 20 loads .js/.mjs)' : '';
    throw toolkitError('IWKIT_ERR_FIXTURE_READ', file, `${error instanceof Error ? error.message : String(error)}${hint}`);
  }
  const build = (mod.default ?? mod.build) as unknown;
  if (typeof build !== 'function') {
    throw toolkitError('IWKIT_ERR_FIXTURE_READ', file, 'a fixture module exports a builder: `export default ({ faker, request, seed }) => body`');
  }
  const meta = checkEnvelope(file, { status: mod.status, headers: mod.headers, summary: mod.summary });
  return { ...meta, build: build as FixtureBuilder };
}

/** Reads `dir/<operationId>/*` into fixtures per operationId; a folder that names no operation is an error. */
export async function readFixtures(dir: string, operationIds: string[]): Promise<Map<string, Fixture[]>> {
  const root = resolve(dir);
  const result = new Map<string, Fixture[]>();
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch (error) {
    throw toolkitError('IWKIT_ERR_FIXTURE_READ', root, error instanceof Error ? error.message : String(error));
  }
  for (const entry of entries.sort()) {
    const folder = join(root, entry);
    if (!(await stat(folder)).isDirectory()) continue;
    if (!operationIds.includes(entry)) {
      throw toolkitError('IWKIT_ERR_FIXTURE_OPERATION', folder, operationIds.join(', '));
    }
    const fixtures: Fixture[] = [];
    for (const name of (await readdir(folder)).sort()) {
      const file = join(folder, name);
      const ext = extname(name);
      if (ext === '.json') fixtures.push({ name: basename(name, ext), file, ...(await readJsonFixture(file)) });
      else if (moduleExtensions.has(ext) && !name.endsWith('.d.ts')) fixtures.push({ name: basename(name, ext), file, ...(await readModuleFixture(file)) });
    }
    const seen = new Set<string>();
    for (const f of fixtures) {
      if (seen.has(f.name)) throw toolkitError('IWKIT_ERR_FIXTURE_READ', f.file, `two fixtures are named "${f.name}"`);
      seen.add(f.name);
    }
    result.set(entry, fixtures);
  }
  return result;
}
