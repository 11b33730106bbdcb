import type { Operation } from '../../openapi/api-model.js';

/** The parameters (name → runtime expression) of the links from `from`'s 2xx responses to `to`, by operationId or operationRef. */
export function findSpecLinks(from: Operation, to: Operation): Record<string, string> {
  const pointer = `#/paths/${to.path.replace(/~/g, '~0').replace(/\//g, '~1')}/${to.method}`;
  const out: Record<string, string> = {};
  for (const response of from.responses) {
    if (!response.status.startsWith('2')) continue;
    for (const link of response.links ?? []) {
      const target = link.operationId === to.operationId || link.operationRef?.endsWith(pointer) === true;
      if (!target) continue;
      for (const [name, expression] of Object.entries(link.parameters)) {
        // `path.id` names the location; a bare name is taken as a path parameter here.
        const bare = name.replace(/^path\./, '');
        if (!/^(query|header|cookie)\./.test(name)) out[bare] ??= expression;
      }
    }
  }
  return out;
}
