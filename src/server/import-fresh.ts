import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

/** Imports a module file as it is now: its modification time in the URL makes a reload (--watch) skip Node's module cache. */
export async function importFresh(file: string): Promise<Record<string, unknown>> {
  const { mtimeMs } = await stat(file);
  return (await import(`${pathToFileURL(file).href}?mtime=${mtimeMs}`)) as Record<string, unknown>;
}
