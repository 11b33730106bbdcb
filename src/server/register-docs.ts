import type { FastifyInstance } from 'fastify';
import type { Api } from '../openapi/api-model.js';

/** Placeholder: serves nothing until the docs page lands. */
export async function registerDocs(_app: FastifyInstance, _api: Api): Promise<void> {}
