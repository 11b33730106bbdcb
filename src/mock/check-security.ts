import type { SecurityRequirement, SecurityScheme } from '../openapi/api-model.js';
import type { ProblemFieldError } from './problem.js';

/** The credential-bearing parts of a request, as plain records (header names lower-case). */
export interface CredentialSource {
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  cookies: Record<string, string | undefined>;
}

/** The outcome of a security check: `ok`, or why not (never the credential's value). */
export type SecurityOutcome = { ok: true } | { ok: false; detail: string; errors: ProblemFieldError[]; challenge?: string };

function single(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function credentialOf(scheme: SecurityScheme, source: CredentialSource): { value?: string; where: ProblemFieldError } {
  if (scheme.type === 'apiKey') {
    const name = scheme.in === 'header' ? scheme.name.toLowerCase() : scheme.name;
    const bag = scheme.in === 'header' ? source.headers : scheme.in === 'query' ? source.query : source.cookies;
    return { value: single(bag[name]), where: { in: scheme.in, pointer: `/${scheme.name}`, message: '' } };
  }
  const where: ProblemFieldError = { in: 'header', pointer: '/authorization', message: '' };
  if (scheme.type === 'http') {
    const header = single(source.headers.authorization);
    const prefix = `${scheme.scheme.toLowerCase()} `;
    if (!header || !header.toLowerCase().startsWith(prefix)) return { where };
    const value = header.slice(prefix.length).trim();
    return { value: value || undefined, where };
  }
  // oauth2 / openIdConnect carry a bearer token; mutualTLS cannot be checked by a mock and passes.
  if (scheme.type === 'mutualTLS') return { value: 'tls', where };
  const header = single(source.headers.authorization);
  const value = header?.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : undefined;
  return { value: value || undefined, where };
}

function describe(scheme: SecurityScheme): string {
  if (scheme.type === 'apiKey') return `API key in ${scheme.in} "${scheme.name}"`;
  if (scheme.type === 'http') return `HTTP ${scheme.scheme} credentials in the Authorization header`;
  return `${scheme.type} bearer token in the Authorization header`;
}

/**
 * Checks a request against the operation's security alternatives. Any non-empty credential passes
 * unless `tokens` is given, which then lists the only accepted values.
 */
export function checkSecurity(requirement: SecurityRequirement, source: CredentialSource, tokens?: ReadonlySet<string>): SecurityOutcome {
  if (requirement.length === 0 || requirement.some((alt) => alt.length === 0)) return { ok: true };
  let firstFailure: { errors: ProblemFieldError[]; detail: string; challenge?: string } | undefined;
  for (const alternative of requirement) {
    const errors: ProblemFieldError[] = [];
    for (const scheme of alternative) {
      const { value, where } = credentialOf(scheme, source);
      if (value === undefined) {
        errors.push({ ...where, message: `missing ${describe(scheme)}` });
      } else if (tokens && tokens.size > 0 && scheme.type !== 'mutualTLS' && !tokens.has(value)) {
        errors.push({ ...where, message: `${describe(scheme)} is not an accepted credential` });
      }
    }
    if (errors.length === 0) return { ok: true };
    if (!firstFailure) {
      const http = alternative.find((s) => s.type === 'http');
      firstFailure = {
        errors,
        detail: errors.map((e) => e.message).join('; '),
        challenge: http && http.type === 'http' ? `${http.scheme[0].toUpperCase()}${http.scheme.slice(1)} realm="iwkit"` : undefined,
      };
    }
  }
  return { ok: false, ...firstFailure! };
}

/** The first credential the request presents for the operation's schemes, with where it was read (a session's lookup key). */
export function presentedCredential(requirement: SecurityRequirement, source: CredentialSource): { value: string; where: ProblemFieldError } | undefined {
  for (const alternative of requirement) {
    for (const scheme of alternative) {
      if (scheme.type === 'mutualTLS') continue;
      const { value, where } = credentialOf(scheme, source);
      if (value !== undefined) return { value, where };
    }
  }
  return undefined;
}
