import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { problem, problemContentType } from '../mock/problem.js';

// Bytes Node's HTTP parser rejects never reach Fastify's handlers, so the answer is written to the socket
// here; it is still a problem+json like every other error the mock makes.

/** Answers a request Node could not parse as HTTP/1.1 (bad request line, header overflow, ...) with a problem, then closes. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const detail = status === 431 ? 'the request headers are too large' : status === 408 ? 'the request took too long to arrive' : `the request is not valid HTTP/1.1 (${error.code ?? 'parse error'})`;
  const body = JSON.stringify(problem(status, detail, [{ in: 'request', pointer: '', message: detail }]));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\ncontent-type: ${problemContentType}\r\n` +
      `iwkit-scenario: problem:${status}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
