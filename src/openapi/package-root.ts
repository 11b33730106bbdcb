import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The folder of iwkit's own package.json, from source (vitest) or from dist/ alike. */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'iwkit') break;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('iwkit package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  cached = dir;
  return dir;
}

/** The contract iwkit ships (schema/openapi.yaml of the package): every entry point's default spec. */
export function packagedSpecPath(): string {
  return join(packageRoot(), 'schema', 'openapi.yaml');
}
