import type { FastifyInstance, FastifyRequest } from 'fastify';

// Parsing a 1 MiB JSON body costs ~100 ms of the one event loop. Large bodies are therefore read and
// parsed a few at a time: the others wait unread (Node stops reading their sockets, so they cost a
// socket, not memory) until a place frees, and the request time-out bounds the wait. Small requests
// never wait, so a valid login is never stuck behind a queue of large uploads.

/** A body at least this large (by Content-Length, or any chunked body) waits for a parsing place. */
export const largeBodyBytes = 64 * 1024;

const heldKey = Symbol('iwkit.bodyPlace');

type GatedRequest = FastifyRequest & { [heldKey]?: boolean };

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

/** Lets at most `places` large request bodies be read and parsed at once; the rest wait their turn unread. */
export function registerBodyGate(app: FastifyInstance, places: number): void {
  const queue = new PlaceQueue(places);
  const release = (request: GatedRequest): void => {
    if (!request[heldKey]) return;
    request[heldKey] = false;
    queue.give();
  };
  app.addHook('onRequest', (request: GatedRequest, _reply, done) => {
    if (!isLarge(request)) return done();
    queue.take(() => {
      request[heldKey] = true;
      // A client that left while waiting gives its place straight back.
      if (request.raw.destroyed) release(request);
      done();
    });
  });
  app.addHook('preHandler', (request: GatedRequest, _reply, done) => {
    release(request);
    done();
  });
  app.addHook('onResponse', (request: GatedRequest, _reply, done) => {
    release(request);
    done();
  });
  app.addHook('onRequestAbort', (request: GatedRequest, done) => {
    release(request);
    done();
  });
}
