// OpenAPI path templates (`/users/{user-id}`) become Fastify routes (`/users/:p0`): find-my-way treats `-` and `.`
// inside a parameter name as separators, so parameters get safe positional keys and are mapped back by name.

/** A Fastify route path for an OpenAPI template, plus its parameter names and a matcher for 405 detection. */
export interface RoutePath {
  url: string;
  /** Fastify param key → the spec's parameter name. */
  names: Map<string, string>;
  matcher: RegExp;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Converts an OpenAPI path template into a Fastify route path. */
export function toRoutePath(template: string): RoutePath {
  const names = new Map<string, string>();
  let url = '';
  let pattern = '';
  let index = 0;
  for (const piece of template.split(/(\{[^}]+\})/)) {
    const m = /^\{([^}]+)\}$/.exec(piece);
    if (m) {
      const key = `p${index++}`;
      names.set(key, m[1]);
      url += `:${key}`;
      pattern += '[^/]+';
    } else {
      // A literal ':' would start a Fastify parameter; '::' is its escape.
      url += piece.replace(/:/g, '::');
      pattern += escapeRegExp(piece);
    }
  }
  return { url, names, matcher: new RegExp(`^${pattern}/?$`) };
}
