import { mkdir, open, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { toolkitError } from '../errors.js';

const codeOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

// One level at a time: Node 20's recursive mkdir never returns for a path under /proc.
async function ensureFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    let isFolder: boolean;
    try {
      isFolder = (await stat(current)).isDirectory();
    } catch (error) {
      if (codeOf(error) !== 'ENOENT' || dirname(current) === current) throw error;
      missing.unshift(current);
      continue;
    }
    if (!isFolder) throw new Error(`${current} is a file, not a folder`);
    break;
  }
  for (const folder of missing) {
    try {
      await mkdir(folder);
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error;
    }
  }
}

function writeError(file: string, error: unknown): Error {
  return toolkitError('IWKIT_ERR_OUTPUT_WRITE', file, error instanceof Error ? error.message : String(error));
}

/** Proves, before anything is sent, that a report can be written to `file`: creates its folders and opens it for appending (a file it created is removed again). */
export async function prepareReportFile(file: string): Promise<void> {
  const path = resolve(file);
  try {
    await ensureFolder(dirname(path));
    const existed = await stat(path).then(
      (info) => {
        if (info.isDirectory()) throw new Error('it is a folder');
        return true;
      },
      (error: unknown) => {
        if (codeOf(error) === 'ENOENT') return false;
        throw error;
      },
    );
    // Appending nothing changes nothing, and proves the file writable where access(2) could be fooled by ACLs or read-only mounts.
    const handle = await open(path, 'a');
    await handle.close();
    if (!existed) await unlink(path);
  } catch (error) {
    throw writeError(file, error);
  }
}

/** Writes a report, creating its folders; a failure is `IWKIT_ERR_OUTPUT_WRITE`. */
export async function writeReportFile(file: string, text: string): Promise<void> {
  try {
    await ensureFolder(dirname(resolve(file)));
    await writeFile(file, text, 'utf8');
  } catch (error) {
    throw writeError(file, error);
  }
}
