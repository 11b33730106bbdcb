import type { StaticDocumentSpec } from '@fastify/swagger';
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFoundProblem, problem } from '../mock/problem.js';
import { sendProblem } from './send-problem.js';
import type { CompiledOperation } from '../mock/compile-operation.js';
import type { Api } from '../openapi/api-model.js';
import { docsDocument, selfBaseUrl, type PreferChoices, type PreferChoicesOf } from './docs-document.js';

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

/** Each operation's Prefer choices, from the compiled operations (fixtures included) or else from the spec alone. */
function choicesOf(api: Api, operations: readonly CompiledOperation[] | undefined): PreferChoicesOf {
  const byRoute = new Map<string, PreferChoices>();
  if (operations) {
    for (const op of operations) {
      const examples = new Set<string>(op.fixtures.keys());
      for (const r of op.responses) for (const m of r.media) for (const name of m.examples.keys()) examples.add(name);
      byRoute.set(`${op.operation.method} ${op.operation.path}`, { statuses: op.responses.map((r) => r.spec.status), defaultStatus: op.defaultStatus, examples: [...examples] });
    }
  } else {
    for (const op of api.operations) byRoute.set(`${op.method} ${op.path}`, { statuses: op.responses.map((r) => r.status), examples: [] });
  }
  return (method, path) => byRoute.get(`${method} ${path}`);
}

// iwkit's own mark for the page: a small SVG favicon, a header bar naming the mock and its raw spec URLs,
// and no Swagger top bar (its "Explore" box would offer to load any URL and showed /docs/json).
const favicon = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f2a44"/><text x="16" y="22" font-family="monospace" font-size="15" font-weight="bold" fill="#7fd1b9" text-anchor="middle">iw</text></svg>';

const themeCss = `.iwkit-bar{display:flex;gap:1.2rem;align-items:baseline;padding:.6rem 1.2rem;background:#1f2a44;color:#e8ecf4;font:14px/1.4 system-ui,sans-serif}
.iwkit-bar strong{color:#7fd1b9;font-size:16px}.iwkit-bar a{color:#e8ecf4}
.swagger-ui .info hgroup.main > a{display:none}`;

function themeJs(title: string, specLinks: [string, string][]): string {
  // Built with textContent from JSON-encoded strings: a spec title can never become markup.
  const data = JSON.stringify({ title, specLinks }).replace(/</g, '\\u003c');
  return `(function () {
  var data = ${data};
  var bar = document.createElement('header');
  bar.className = 'iwkit-bar';
  var name = document.createElement('strong');
  name.textContent = 'iwkit mock';
  bar.appendChild(name);
  var what = document.createElement('span');
  what.textContent = data.title;
  bar.appendChild(what);
  data.specLinks.forEach(function (link) {
    var a = document.createElement('a');
    a.href = link[1];
    a.textContent = link[0];
    bar.appendChild(a);
  });
  document.body.insertBefore(bar, document.body.firstChild);
})();
`;
}

function selfUrl(request: FastifyRequest): string {
  return selfBaseUrl(request.protocol, request.headers.host);
}

/**
 * Serves the raw spec at /openapi.json and /openapi.yaml and Swagger UI at /docs, all from local files
 * (no CDN, no online validator). The UI's copy of the spec lists the mock itself as first server, so
 * "Try it out" calls the mock. Paths the spec declares itself are left to the spec's operations.
 */
export async function registerDocs(app: FastifyInstance, api: Api, operations?: readonly CompiledOperation[]): Promise<void> {
  const choices = choicesOf(api, operations);
  // Serialised once: the document never changes while the mock runs. YAML on first request only, so a
  // start never loads the YAML library for it.
  const json = JSON.stringify(api.document);
  let yaml: Promise<string> | undefined;
  const yamlText = (): Promise<string> => (yaml ??= import('yaml').then(({ stringify }) => stringify(api.document, { aliasDuplicateObjects: false })));

  // An encapsulated context keeps the swagger decorators and the static-file plugin away from the mock's routes.
  await app.register(async (docs) => {
    const specLinks: [string, string][] = [];
    if (!specOwns(api, specRoutes.json)) specLinks.push([`spec: ${specRoutes.json}`, specRoutes.json]);
    if (!specOwns(api, specRoutes.yaml)) specLinks.push([specRoutes.yaml, specRoutes.yaml]);
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
    const ui = swaggerUiApp(api, specLinks, choices);
    // Swagger UI and its plugins load on the first visit to /docs: they cost every start ~0.1 s, and most runs never open it.
    const forward = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      const inner = await ui();
      reply.hijack();
      // What the mock's hooks set (CORS) goes out with the inner app's answer.
      for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
      inner.routing(request.raw, reply.raw);
    };
    docs.get(docsPrefix, forward);
    docs.get(`${docsPrefix}/*`, forward);
  });
}

/** The Swagger UI app, built once on first use: its own Fastify instance, served through the mock's /docs routes. */
function swaggerUiApp(api: Api, specLinks: [string, string][], choices: PreferChoicesOf): () => Promise<FastifyInstance> {
  let built: Promise<FastifyInstance> | undefined;
  const build = async (): Promise<FastifyInstance> => {
    const [{ default: Fastify }, { default: swagger }, { default: swaggerUi }] = await Promise.all([import('fastify'), import('@fastify/swagger'), import('@fastify/swagger-ui')]);
    const docs = Fastify({ logger: false });
    // Answers under /docs that the UI does not have are the mock's own problems, as everywhere else.
    docs.setNotFoundHandler((request, reply) => sendProblem(reply, notFoundProblem(request.method, request.url.split('?')[0])));
    docs.setErrorHandler((error: FastifyError, request, reply) => {
      const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      return sendProblem(reply, problem(status, status === 500 ? 'the docs page failed to answer' : error.message));
    });
    // The loader has validated the document against the OpenAPI schema; the plugin only wants its static type.
    const document = api.document as unknown as StaticDocumentSpec['document'];
    await docs.register(swagger, { mode: 'static', specification: { document } });
    const uiOptions: FastifySwaggerUiOptions = {
      routePrefix: docsPrefix,
      // The UI reads the spec from /docs/json; this is where the mock puts itself first in `servers`.
      transformSpecificationClone: false,
      transformSpecification: (document, request) => docsDocument(document as Record<string, unknown>, selfUrl(request), choices),
      validatorUrl: false,
      uiConfig: {
        validatorUrl: null,
        deepLinking: true,
        displayOperationId: true,
        displayRequestDuration: true,
        persistAuthorization: true,
        // BaseLayout: the UI without Swagger's top bar and its Explore box.
        layout: 'BaseLayout',
      },
      theme: {
        title: escapeHtml(`${api.title} ${api.version} · iwkit mock`),
        favicon: [{ filename: 'iwkit.svg', rel: 'icon', type: 'image/svg+xml', sizes: 'any', content: favicon }],
        css: [{ filename: 'iwkit.css', content: themeCss }],
        js: [{ filename: 'iwkit.js', content: themeJs(`${api.title} ${api.version}`, specLinks) }],
      },
    };
    await docs.register(swaggerUi, uiOptions);
    await docs.ready();
    return docs;
  };
  // A failed build (a missing optional file) is tried again on the next visit rather than kept.
  return () => (built ??= build().catch((error: unknown) => {
    built = undefined;
    throw error;
  }));
}
