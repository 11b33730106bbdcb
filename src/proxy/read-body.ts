import type { IncomingMessage } from 'node:http';

/** A request body read whole, or the reason it was not. */
export type ReadBody = { bytes: Buffer } | { tooLarge: true } | { aborted: true };

/** Reads a request body up to `limit` bytes; past it, stops reading. */
export async function readBody(raw: IncomingMessage, limit: number): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of raw as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) return { tooLarge: true };
      chunks.push(chunk);
    }
  } catch {
    return { aborted: true };
  }
  return { bytes: Buffer.concat(chunks) };
}

/** A body streamed on to the upstream as it arrives, with a copy kept (within `limit`) for the checks. */
export interface TeedBody {
  stream: AsyncIterable<Buffer>;
  /** The whole body once it has passed through; undefined until then. */
  bytes(): Buffer | undefined;
  readonly tooLarge: boolean;
}

/** Streams a request body through, failing the upstream request past `limit` bytes. */
export function teeBody(raw: IncomingMessage, limit: number): TeedBody {
  const chunks: Buffer[] = [];
  let size = 0;
  let complete: Buffer | undefined;
  let tooLarge = false;
  async function* stream(): AsyncGenerator<Buffer> {
    for await (const chunk of raw as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        throw new Error(`the request body exceeds bodyLimit (${limit} bytes)`);
      }
      chunks.push(chunk);
      yield chunk;
    }
    complete = Buffer.concat(chunks);
  }
  return {
    stream: stream(),
    bytes: () => complete,
    get tooLarge() {
      return tooLarge;
    },
  };
}
