import type { Operation, SecurityScheme } from '../openapi/api-model.js';

/** The credential value sent by "invalid credential" security cases; it is not a secret. */
export const INVALID_CREDENTIAL = 'iwkit-invalid-credential-0000';

type Sendable = Extract<SecurityScheme, { type: 'apiKey' | 'http' | 'oauth2' | 'openIdConnect' }>;

/** The schemes a request must satisfy: the first alternative that needs no TLS client certificate (else the first one), mutualTLS left out; `[]` when anonymous access is allowed. */
export function requiredSchemes(operation: Operation): Sendable[] {
  if (operation.security.length === 0 || operation.security.some((alt) => alt.length === 0)) return [];
  // A client certificate is set up outside the runner: an alternative without one is preferred.
  const chosen = operation.security.find((alt) => alt.every((s) => s.type !== 'mutualTLS')) ?? operation.security[0];
  return chosen.filter((s): s is Sendable => s.type !== 'mutualTLS');
}

/** True when the operation cannot be called anonymously (an alternative met by a TLS client certificate alone may let any request in). */
export function needsCredential(operation: Operation): boolean {
  if (operation.security.some((alt) => alt.every((s) => s.type === 'mutualTLS'))) return false;
  return requiredSchemes(operation).length > 0;
}

/** Where a credential goes in a request. */
export interface CredentialPlacement {
  headers: Record<string, string>;
  query: Record<string, string>;
  cookies: Record<string, string>;
}

/** Places `value` as each scheme asks: apiKey header/query/cookie, or an Authorization header (OAuth 2 and OpenID Connect tokens as bearer tokens). */
export function placeCredential(schemes: Sendable[], value: string): CredentialPlacement {
  const placement: CredentialPlacement = { headers: {}, query: {}, cookies: {} };
  for (const scheme of schemes) {
    if (scheme.type === 'apiKey') {
      if (scheme.in === 'header') placement.headers[scheme.name] = value;
      else if (scheme.in === 'query') placement.query[scheme.name] = value;
      else placement.cookies[scheme.name] = value;
    } else if (scheme.type !== 'http' || scheme.scheme.toLowerCase() === 'bearer') {
      placement.headers.Authorization = `Bearer ${value}`;
    } else if (scheme.scheme.toLowerCase() === 'basic') {
      // A basic credential given as user:password is encoded; one already encoded is sent as is.
      placement.headers.Authorization = `Basic ${value.includes(':') ? Buffer.from(value).toString('base64') : value}`;
    } else {
      // Other HTTP schemes (Digest, HOBA, a vendor's own) take the credential after their name, as given.
      placement.headers.Authorization = `${scheme.scheme[0].toUpperCase()}${scheme.scheme.slice(1)} ${value}`;
    }
  }
  return placement;
}

/** Header names that carry a credential for the operation, lower-case (user headers with these names are dropped in security cases). */
export function credentialHeaderNames(operation: Operation): string[] {
  const names = new Set<string>();
  for (const alt of operation.security) {
    for (const scheme of alt) {
      if (scheme.type === 'apiKey' && scheme.in === 'header') names.add(scheme.name.toLowerCase());
      if (scheme.type === 'apiKey' && scheme.in === 'cookie') names.add('cookie');
      if (scheme.type === 'http' || scheme.type === 'oauth2' || scheme.type === 'openIdConnect') names.add('authorization');
    }
  }
  return [...names];
}
