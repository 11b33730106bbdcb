import type { Operation } from '../../openapi/api-model.js';

// The loader does not normalise OpenAPI `links` yet, so they are read from the bundled document it keeps.

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function follow(document: Record<string, unknown>, value: unknown): unknown {
  // Only local component references: a bundled document has no others.
  if (isObject(value) && typeof value.$ref === 'string' && value.$ref.startsWith('#/')) {
    let node: unknown = document;
    for (const token of value.$ref.slice(2).split('/')) node = isObject(node) ? node[token.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    return node;
  }
  return value;
}

/** The parameters (name → runtime expression) of the links from `from`'s 2xx responses to `to`, by operationId or operationRef. */
export function findSpecLinks(document: Record<string, unknown>, from: Operation, to: Operation): Record<string, string> {
  const paths = follow(document, document.paths);
  const item = isObject(paths) ? follow(document, paths[from.path]) : undefined;
  const op = isObject(item) ? follow(document, item[from.method]) : undefined;
  const responses = isObject(op) ? follow(document, op.responses) : undefined;
  const out: Record<string, string> = {};
  if (!isObject(responses)) return out;
  const pointer = `#/paths/${to.path.replace(/~/g, '~0').replace(/\//g, '~1')}/${to.method}`;
  for (const [status, raw] of Object.entries(responses)) {
    if (!status.startsWith('2')) continue;
    const response = follow(document, raw);
    const links = isObject(response) ? follow(document, response.links) : undefined;
    if (!isObject(links)) continue;
    for (const rawLink of Object.values(links)) {
      const link = follow(document, rawLink);
      if (!isObject(link)) continue;
      const target = link.operationId === to.operationId || (typeof link.operationRef === 'string' && link.operationRef.endsWith(pointer));
      if (!target || !isObject(link.parameters)) continue;
      for (const [name, expression] of Object.entries(link.parameters)) {
        if (typeof expression !== 'string') continue;
        // `path.id` names the location; a bare name is taken as a path parameter here.
        const bare = name.replace(/^path\./, '');
        if (!/^(query|header|cookie)\./.test(name)) out[bare] ??= expression;
      }
    }
  }
  return out;
}
