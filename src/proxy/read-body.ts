import type { IncomingMessage } from 'node:http';

/** A request body read whole, or the reason it was not. */
export type ReadBody = { bytes: Buffer } | { tooLarge: true } | { aborted: true };

/** Reads a request body up to `limit` bytes; past it, stops reading (the caller closes the connection). */
export function readBody(raw: IncomingMessage, limit: number): Promise<ReadBody> {
  // Events rather than an async iterator: a small body is usually one chunk, read in one turn.
  if (raw.readableEnded) return Promise.resolve({ bytes: Buffer.alloc(0) });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (outcome: ReadBody): void => {
      raw.off('data', onData).off('end', onEnd).off('error', onAborted).off('close', onAborted);
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        raw.pause();
        settle({ tooLarge: true });
      } else chunks.push(chunk);
    };
    const onEnd = (): void => settle({ bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size) });
    const onAborted = (): void => settle({ aborted: true });
    raw.on('data', onData).on('end', onEnd).on('error', onAborted).on('close', onAborted);
  });
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
