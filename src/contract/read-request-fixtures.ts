import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toolkitError } from '../errors.js';
import type { CaseRequest } from './contract-types.js';

/** A request to send, read from `<dir>/<operationId>/requests/<name>.json`. */
export interface RequestFixture {
  name: string;
  request: Partial<Omit<CaseRequest, 'body'>> & { body?: unknown };
}

const KEYS = new Set(['summary', 'description', 'path', 'query', 'headers', 'cookies', 'body']);

// Response fixtures for the mock sit directly in <dir>/<operationId>/; requests live one level down
// so the mock (which reads only that level) never mistakes one for the other.
/** Reads `<dir>/<operationId>/requests/*.json` (`{ path?, query?, headers?, cookies?, body? }`); a missing folder yields none. */
export async function readRequestFixtures(dir: string, operationId: string): Promise<RequestFixture[]> {
  const folder = join(dir, operationId, 'requests');
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const fixtures: RequestFixture[] = [];
  for (const name of names) {
    const file = join(folder, name);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw toolkitError('IWKIT_ERR_FIXTURE_READ', file, error instanceof Error ? error.message : String(error));
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw toolkitError('IWKIT_ERR_FIXTURE_READ', file, 'a request fixture is an object { path?, query?, headers?, cookies?, body? }');
    }
    const unknown = Object.keys(parsed).filter((k) => !KEYS.has(k));
    if (unknown.length > 0) throw toolkitError('IWKIT_ERR_FIXTURE_READ', file, `unknown key(s) ${unknown.join(', ')}; expected ${[...KEYS].join(', ')}`);
    fixtures.push({ name: name.replace(/\.json$/, ''), request: parsed as RequestFixture['request'] });
  }
  return fixtures;
}
