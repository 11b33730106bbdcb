import { readFile, stat } from 'node:fs/promises';
import { toolkitError } from '../errors.js';

/** Reads a `--state-file` as JSON; a file much larger than the state bound could ever hold is refused unread. */
export async function readStateFile(path: string, maxStateBytes: number): Promise<unknown> {
  let text: string;
  try {
    // Indentation and spacing make the file larger than what is stored: four times the bound is plenty.
    const size = (await stat(path)).size;
    if (size > maxStateBytes * 4) throw new Error(`${size} bytes is far past maxStateBytes (--max-state-bytes) ${maxStateBytes}`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw toolkitError('IWKIT_ERR_STATE_FILE_READ', path, error instanceof Error ? error.message : String(error));
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw toolkitError('IWKIT_ERR_STATE_FILE_READ', path, `not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
