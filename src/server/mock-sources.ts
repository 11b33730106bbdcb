import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isSpecUrl } from '../openapi/fetch-spec-text.js';
import { packageRoot, packagedSpecPath } from '../openapi/package-root.js';

/** The files a mock is built from, after defaults: what `--watch` watches. */
export interface MockSources {
  /** The spec file or URL; undefined when the spec was given as an object. */
  specPath?: string;
  fixturesDir?: string;
  /** The scenarios file; undefined when there is none or the rules were given as data. */
  scenariosFile?: string;
}

/** The names a scenarios file may have beside the fixture folders, to be picked up without `--scenarios`. */
export const defaultScenarioNames = ['scenarios.yaml', 'scenarios.yml', 'scenarios.json'];

/**
 * Applies the defaults: without a spec, iwkit's own contract with its fixtures folder; with a fixtures
 * folder and no `scenarios` option, the `scenarios.yaml` that sits in it (if any).
 */
export function resolveMockSources(options: { spec?: unknown; fixturesDir?: string | false; scenarios?: unknown }): MockSources {
  const root = packageRoot();
  const specPath = options.spec === undefined ? packagedSpecPath() : typeof options.spec === 'string' ? (isSpecUrl(options.spec) ? options.spec : resolve(options.spec)) : undefined;
  const defaultFixtures = join(root, 'fixtures');
  const fixturesDir =
    options.fixturesDir === false ? undefined : options.fixturesDir !== undefined ? resolve(options.fixturesDir) : options.spec === undefined && existsSync(defaultFixtures) ? defaultFixtures : undefined;
  let scenariosFile: string | undefined;
  if (typeof options.scenarios === 'string') scenariosFile = resolve(options.scenarios);
  else if (options.scenarios === undefined && fixturesDir) {
    scenariosFile = defaultScenarioNames.map((n) => join(fixturesDir, n)).find((f) => existsSync(f));
  }
  return { specPath, fixturesDir, scenariosFile };
}
