// One table of status names for the mock's problem bodies. Each row gives the status's HTTP name
// (what a scripted answer with that status is called: `urn:iwkit:scenario:<slug>`) and, for the
// statuses the mock answers on its own, the title of its own problem (`urn:iwkit:problem:<slug>`),
// which says what the mock found rather than what the status is called: its own 400 and 422 only
// ever mean the request breaks the spec, hence "Invalid request" where the HTTP name is "Bad request".

type SlugAndTitle = [slug: string, title: string];

/** A status's HTTP name and, when the mock answers it itself, its own problem's name. */
export interface StatusTitle {
  name?: SlugAndTitle;
  own?: SlugAndTitle;
}

/** Names by status. */
export const statusTitles: Readonly<Record<number, StatusTitle>> = {
  400: { name: ['bad-request', 'Bad request'], own: ['invalid-request', 'Invalid request'] },
  401: { name: ['unauthorized', 'Unauthorized'], own: ['unauthorized', 'Missing or invalid credentials'] },
  403: { name: ['forbidden', 'Forbidden'] },
  404: { name: ['not-found', 'Not found'], own: ['not-found', 'No such path'] },
  405: { own: ['method-not-allowed', 'Method not allowed'] },
  406: { own: ['not-acceptable', 'No acceptable media type'] },
  408: { name: ['request-timeout', 'Request timeout'] },
  409: { name: ['conflict', 'Conflict'] },
  410: { name: ['gone', 'Gone'] },
  413: { own: ['payload-too-large', 'Request body too large'] },
  415: { own: ['unsupported-media-type', 'Unsupported content type'] },
  422: { name: ['unprocessable-content', 'Unprocessable content'], own: ['invalid-request', 'Invalid request'] },
  429: { name: ['too-many-requests', 'Too many requests'] },
  500: { name: ['internal-server-error', 'Internal server error'], own: ['internal-error', 'Internal mock error'] },
  501: { own: ['not-served', 'Operation not served'] },
  502: { name: ['bad-gateway', 'Bad gateway'] },
  503: { name: ['service-unavailable', 'Service unavailable'] },
  504: { name: ['gateway-timeout', 'Gateway timeout'] },
};
