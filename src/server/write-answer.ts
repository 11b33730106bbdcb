import type { FastifyReply } from 'fastify';
import type { MockAnswer } from '../mock/mock-answer.js';

/** The scenario label a reply carries, for the request log and the journal. */
export const scenarioKey = Symbol('iwkit.scenario');

/** The operation that answered, for the journal (a route shared by several operations names its first). */
export const operationKey = Symbol('iwkit.operation');

type LabelledReply = FastifyReply & { [scenarioKey]?: string; [operationKey]?: string };

/** How the reply was answered (`fixture:default`, `problem:400`, …): its label, else its header. */
export function scenarioOf(reply: FastifyReply): string | undefined {
  return (reply as LabelledReply)[scenarioKey] ?? (reply.getHeader('iwkit-scenario') as string | undefined);
}

/** The operation that answered the reply, when one did. */
export function operationOf(reply: FastifyReply): string | undefined {
  return (reply as LabelledReply)[operationKey];
}

/** Labels the reply for the journal and the request log. */
export function labelReply(reply: FastifyReply, answer: MockAnswer): void {
  (reply as LabelledReply)[scenarioKey] = answer.scenario;
  if (answer.operationId !== undefined) (reply as LabelledReply)[operationKey] = answer.operationId;
}

/** Bytes as Fastify sends them: a Buffer over the same memory. */
export function wireBody(body: string | Uint8Array): string | Buffer {
  return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** Writes the core's answer onto the reply: status, headers, body. */
export function writeAnswer(reply: FastifyReply, answer: MockAnswer): FastifyReply {
  reply.code(answer.status).headers(answer.headers);
  return answer.body === undefined ? reply.send() : reply.send(wireBody(answer.body));
}
