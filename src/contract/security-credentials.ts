import type { Operation, SecurityScheme } from '../openapi/api-model.js';

/** The credential value sent by "invalid credential" security cases; it is not a secret. */
export const INVALID_CREDENTIAL = 'iwkit-invalid-credential-0000';

type Supported = Extract<SecurityScheme, { type: 'apiKey' | 'http' | 'oauth2' | 'openIdConnect' }>;

// OAuth 2 and OpenID Connect access tokens travel as bearer tokens: --token is the access token.
function supported(scheme: SecurityScheme): scheme is Supported {
  return (
    scheme.type === 'apiKey' ||
    scheme.type === 'oauth2' ||
    scheme.type === 'openIdConnect' ||
    (scheme.type === 'http' && ['bearer', 'basic'].includes(scheme.scheme.toLowerCase()))
  );
}

/** The schemes a request must satisfy: the first alternative iwkit can fill, or `[]` when anonymous access is allowed or nothing is supported. */
export function requiredSchemes(operation: Operation): Supported[] {
  if (operation.security.length === 0 || operation.security.some((alt) => alt.length === 0)) return [];
  const usable = operation.security.find((alt) => alt.every(supported));
  return (usable ?? []) as Supported[];
}

/** True when the operation cannot be called anonymously. */
export function needsCredential(operation: Operation): boolean {
  return requiredSchemes(operation).length > 0;
}

/** Where a credential goes in a request. */
export interface CredentialPlacement {
  headers: Record<string, string>;
  query: Record<string, string>;
  cookies: Record<string, string>;
}

/** Places `value` as each scheme asks: apiKey header/query/cookie, or an Authorization header. */
export function placeCredential(schemes: Supported[], value: string): CredentialPlacement {
  const placement: CredentialPlacement = { headers: {}, query: {}, cookies: {} };
  for (const scheme of schemes) {
    if (scheme.type === 'apiKey') {
      if (scheme.in === 'header') placement.headers[scheme.name] = value;
      else if (scheme.in === 'query') placement.query[scheme.name] = value;
      else placement.cookies[scheme.name] = value;
    } else if (scheme.type !== 'http' || scheme.scheme.toLowerCase() === 'bearer') {
      placement.headers.Authorization = `Bearer ${value}`;
    } else {
      // A basic credential given as user:password is encoded; one already encoded is sent as is.
      placement.headers.Authorization = `Basic ${value.includes(':') ? Buffer.from(value).toString('base64') : value}`;
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
