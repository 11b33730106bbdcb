#!/usr/bin/env -S node --max-semi-space-size=4
// A quarter of V8's default young generation: under load the mock's peak RSS drops by 10-20 MB at no measurable
// CPU cost (docs/performance.md). `npm start` and the bench run the CLI through this line too.
import { fileURLToPath } from 'node:url';
import { hostImportKey } from '../server/import-fresh.js';
import { runWithCompileCache } from './compile-cache.js';

// The `iwkit` executable: the CLI bundle (dist/iwkit.cjs, next to this file once bundled) with a code cache.
// The bundle's own import()s of packages are require()s (esbuild, dynamic-import unsupported); user modules
// (fixture builders, --watch reloads) need a real one, which only a module outside vm.Script has.
(globalThis as Record<symbol, unknown>)[hostImportKey] = (url: string): Promise<unknown> => import(url);
runWithCompileCache(fileURLToPath(new URL('./iwkit.cjs', import.meta.url)));
