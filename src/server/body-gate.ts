import type { FastifyReply, FastifyRequest } from 'fastify';

// Parsing a 1 MiB JSON body costs ~100 ms of the one event loop. Large bodies are therefore read a few
// at a time (each is parsed the moment its last byte arrives, before the next one's bytes are read): the
// others wait unread (Node stops reading their sockets, so they cost a socket, not memory) until a place
// frees, and the request time-out bounds the wait. Small requests never wait, so a valid login is never
// stuck behind a queue of large uploads.

/** A body at least this large (by Content-Length, or any chunked body) waits for a parsing place. */
export const largeBodyBytes = 64 * 1024;

/** A first-come queue of places. */
class PlaceQueue {
  private free: number;
  private waiting: (() => void)[] = [];

  constructor(places: number) {
    this.free = places;
  }

  take(then: () => void): void {
    if (this.free > 0) {
      this.free -= 1;
      then();
    } else {
      this.waiting.push(then);
    }
  }

  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}

function isLarge(request: FastifyRequest): boolean {
  const length = Number(request.headers['content-length'] ?? 0);
  return length >= largeBodyBytes || (request.headers['transfer-encoding'] !== undefined && request.headers['content-length'] === undefined);
}

/**
 * Lets at most `places` large request bodies be read at once; the rest wait their turn unread. Returns
 * the onRequest step: small requests pass straight on, and only a held one carries listeners, which
 * give its place back once its body is read or its exchange ends (answered, refused or abandoned).
 */
export function createBodyGate(places: number): (request: FastifyRequest, reply: FastifyReply, done: () => void) => void {
  const queue = new PlaceQueue(places);
  return function gateBody(request, reply, done) {
    if (!isLarge(request)) return done();
    queue.take(() => {
      let held = true;
      const release = (): void => {
        if (!held) return;
        held = false;
        queue.give();
      };
      // A client that left while waiting gives its place straight back.
      if (request.raw.destroyed || reply.raw.destroyed) release();
      else {
        request.raw.once('end', release);
        reply.raw.once('close', release);
      }
      done();
    });
  };
}
