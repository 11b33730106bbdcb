import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The shared corpus of real public OpenAPI documents. Tests read it where it lives (never a copy in the project):
// beside the project as ../shared/specs/public, as the workplace keeps it, or where IWKIT_PUBLIC_SPECS says.

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const candidates = [process.env.IWKIT_PUBLIC_SPECS, resolve(projectRoot, '..', 'shared', 'specs', 'public'), '/work/shared/specs/public'];

/** The corpus folder; a clone elsewhere (CI's) falls back to the workplace's own copy. */
export const publicCorpus = candidates.find((dir): dir is string => dir !== undefined && existsSync(join(dir, 'MANIFEST.md'))) ?? candidates[1]!;

/** The path of one corpus document. */
export function publicSpec(file: string): string {
  return join(publicCorpus, file);
}
