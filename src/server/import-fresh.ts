import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

type HostImport = (url: string) => Promise<unknown>;

/** Where the CLI's launcher leaves a real `import()`: code compiled through vm.Script (the code-cached bundle) has none on Node 20. */
export const hostImportKey = Symbol.for('iwkit.hostImport');

/** Imports a module file as it is now: its modification time in the URL makes a reload (--watch) skip Node's module cache. */
export async function importFresh(file: string): Promise<Record<string, unknown>> {
  const { mtimeMs } = await stat(file);
  const url = `${pathToFileURL(file).href}?mtime=${mtimeMs}`;
  const hostImport = (globalThis as { [hostImportKey]?: HostImport })[hostImportKey];
  return (await (hostImport ? hostImport(url) : import(url))) as Record<string, unknown>;
}
