import swagger, { type StaticDocumentSpec } from '@fastify/swagger';
import swaggerUi, { type FastifySwaggerUiOptions } from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Api } from '../openapi/api-model.js';
import { docsDocument, selfBaseUrl } from './docs-document.js';

/** Where the interactive docs live. */
export const docsPrefix = '/docs';

/** Where the raw spec is served, by media type. */
export const specRoutes = { json: '/openapi.json', yaml: '/openapi.yaml' } as const;

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** True when the spec itself declares a GET/HEAD operation on that path (or below it): the spec's route wins. */
function specOwns(api: Api, path: string, below = false): boolean {
  return api.operations.some(
    (o) => (o.method === 'get' || o.method === 'head') && (o.path === path || (below && o.path.startsWith(`${path}/`))),
  );
}

function selfUrl(request: FastifyRequest): string {
  return selfBaseUrl(request.protocol, request.headers.host);
}

/**
 * Serves the raw spec at /openapi.json and /openapi.yaml and Swagger UI at /docs, all from local files
 * (no CDN, no online validator). The UI's copy of the spec lists the mock itself as first server, so
 * "Try it out" calls the mock. Paths the spec declares itself are left to the spec's operations.
 */
export async function registerDocs(app: FastifyInstance, api: Api): Promise<void> {
  // Serialised once: the document never changes while the mock runs. YAML on first request only, so a
  // start never loads the YAML library for it.
  const json = JSON.stringify(api.document);
  let yaml: Promise<string> | undefined;
  const yamlText = (): Promise<string> => (yaml ??= import('yaml').then(({ stringify }) => stringify(api.document, { aliasDuplicateObjects: false })));

  // An encapsulated context keeps the swagger decorators and the static-file plugin away from the mock's routes.
  await app.register(async (docs) => {
    if (!specOwns(api, specRoutes.json)) {
      docs.get(specRoutes.json, async (_request, reply) => reply.type('application/json; charset=utf-8').send(json));
    }
    if (!specOwns(api, specRoutes.yaml)) {
      docs.get(specRoutes.yaml, async (_request, reply) => reply.type('application/yaml; charset=utf-8').send(await yamlText()));
    }
    if (specOwns(api, docsPrefix, true)) {
      app.log.warn(`the spec declares ${docsPrefix} itself; the interactive docs are not served`);
      return;
    }
    // The loader has validated the document against the OpenAPI schema; the plugin only wants its static type.
    const document = api.document as unknown as StaticDocumentSpec['document'];
    await docs.register(swagger, { mode: 'static', specification: { document } });
    const uiOptions: FastifySwaggerUiOptions = {
      routePrefix: docsPrefix,
      // The UI reads the spec from /docs/json; this is where the mock puts itself first in `servers`.
      transformSpecificationClone: false,
      transformSpecification: (document, request) => docsDocument(document as Record<string, unknown>, selfUrl(request)),
      validatorUrl: false,
      uiConfig: {
        validatorUrl: null,
        deepLinking: true,
        displayOperationId: true,
        displayRequestDuration: true,
        persistAuthorization: true,
      },
      theme: { title: escapeHtml(`${api.title} ${api.version} · iwkit mock`) },
    };
    await docs.register(swaggerUi, uiOptions);
  });
}
