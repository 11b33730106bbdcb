// Small synthetic OpenAPI documents for the runner's media handling: request bodies of every kind,
// reserved header parameters, parameter styles and content, non-JSON responses and security schemes.

const ok = { description: 'ok' };

/** Request bodies the runner must write per media type: form, multipart, bytes, text, patch JSON. */
export const requestBodiesSpec = {
  openapi: '3.1.0',
  info: { title: 'request bodies', version: '1.0.0' },
  paths: {
    '/forms': {
      post: {
        operationId: 'postForm',
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: {
                type: 'object',
                required: ['id', 'name', 'status'],
                properties: {
                  id: { type: 'integer', minimum: 1 },
                  name: { type: 'string', minLength: 1, maxLength: 30 },
                  status: { type: 'string', enum: ['active', 'inactive'] },
                  when: { type: 'string', format: 'date-time' },
                  tags: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 10 }, minItems: 1, maxItems: 3 },
                  address: { type: 'object', required: ['city'], properties: { city: { type: 'string', minLength: 1, maxLength: 20 }, zip: { type: 'string', pattern: '^[0-9]{5}$' } }, additionalProperties: false },
                  filter: { type: 'object', required: ['kind'], properties: { kind: { type: 'string', enum: ['a', 'b'] } }, additionalProperties: false },
                  flags: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 9 }, minItems: 2, maxItems: 3 },
                },
              },
              encoding: { filter: { style: 'deepObject', explode: true }, flags: { style: 'pipeDelimited', explode: false } },
            },
          },
        },
        responses: { '201': ok, '400': ok },
      },
    },
    '/uploads': {
      post: {
        operationId: 'postUpload',
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['title', 'file', 'count'],
                properties: {
                  title: { type: 'string', minLength: 1, maxLength: 40 },
                  count: { type: 'integer', minimum: 0, maximum: 100 },
                  meta: { type: 'object', required: ['lang'], properties: { lang: { type: 'string', enum: ['en', 'fr'] } }, additionalProperties: false },
                  file: { type: 'string', format: 'binary' },
                  avatar: { type: 'string', contentMediaType: 'image/png' },
                  attachments: { type: 'array', items: { type: 'string', format: 'binary' }, minItems: 1, maxItems: 2 },
                },
              },
              encoding: { avatar: { contentType: 'image/png' }, file: { contentType: 'application/pdf' } },
            },
          },
        },
        responses: { '201': ok, '400': ok },
      },
    },
    '/blobs/{id}': {
      put: {
        operationId: 'putBlob',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1, maximum: 999 } }],
        requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        responses: { '204': ok, '400': ok },
      },
    },
    '/avatars': {
      post: {
        operationId: 'postAvatar',
        requestBody: { required: true, content: { 'image/*': { schema: { type: 'string', format: 'binary' } } } },
        responses: { '204': ok, '400': ok },
      },
    },
    '/anything': {
      post: {
        operationId: 'postAnything',
        requestBody: { required: true, content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
        responses: { '204': ok },
      },
    },
    '/notes': {
      post: {
        operationId: 'postNote',
        requestBody: { required: true, content: { 'text/plain': { schema: { type: 'string', minLength: 1, maxLength: 200 } } } },
        responses: { '204': ok, '400': ok },
      },
    },
    '/items/{id}': {
      patch: {
        operationId: 'patchItem',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z]{3,8}$' } }],
        requestBody: {
          required: true,
          content: {
            'application/xml': { schema: { $ref: '#/components/schemas/ItemPatch' } },
            'application/merge-patch+json': { schema: { $ref: '#/components/schemas/ItemPatch' } },
          },
        },
        responses: { '200': { description: 'patched', content: { 'application/json': { schema: { $ref: '#/components/schemas/ItemPatch' } } } }, '400': ok },
      },
    },
  },
  components: {
    schemas: {
      ItemPatch: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string', minLength: 1, maxLength: 20 }, size: { type: 'integer', minimum: 1, maximum: 10 } },
        additionalProperties: false,
      },
    },
  },
} as const;

/** Parameters: the three header names OpenAPI ignores, a JSON `content` header, path styles, deepObject, cookies, path keys with `#` and `?`. */
export const parametersSpec = {
  openapi: '3.1.0',
  info: { title: 'parameters', version: '1.0.0' },
  paths: {
    '/reports': {
      get: {
        operationId: 'getReports',
        parameters: [
          { name: 'Accept', in: 'header', required: true, schema: { type: 'string', enum: ['application/vnd.report+json'] } },
          { name: 'Content-Type', in: 'header', required: true, schema: { type: 'string', format: 'email' } },
          { name: 'Authorization', in: 'header', required: true, schema: { type: 'integer' } },
          { name: 'x-trace', in: 'header', required: true, schema: { type: 'string', pattern: '^[a-f0-9]{8}$' } },
          { name: 'x-meta', in: 'header', required: true, content: { 'application/json': { schema: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 20 } } } } } },
          { name: 'filter', in: 'query', required: true, style: 'deepObject', explode: true, schema: { type: 'object', required: ['kind'], properties: { kind: { type: 'string', enum: ['a', 'b'] }, max: { type: 'integer', minimum: 1, maximum: 5 } }, additionalProperties: false } },
          { name: 'ids', in: 'query', required: true, style: 'form', explode: false, schema: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 9 }, minItems: 2, maxItems: 2 } },
          { name: 'session', in: 'cookie', required: true, schema: { type: 'string', pattern: '^[a-z]{4}$' } },
        ],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } }, '400': ok },
      },
    },
    '/grid/{coords}/{tags}/{point}': {
      get: {
        operationId: 'getGrid',
        parameters: [
          { name: 'coords', in: 'path', required: true, style: 'matrix', explode: true, schema: { type: 'object', required: ['x', 'y'], properties: { x: { type: 'integer', minimum: 0, maximum: 9 }, y: { type: 'integer', minimum: 0, maximum: 9 } }, additionalProperties: false } },
          { name: 'tags', in: 'path', required: true, style: 'label', explode: false, schema: { type: 'array', items: { type: 'string', enum: ['red', 'blue'] }, minItems: 2, maxItems: 2 } },
          { name: 'point', in: 'path', required: true, style: 'matrix', explode: false, schema: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 3 }, minItems: 2, maxItems: 2 } },
        ],
        responses: { '204': ok },
      },
    },
    '/files/{file.id}#get_shared_link': {
      get: {
        operationId: 'getSharedLink',
        parameters: [{ name: 'file.id', in: 'path', required: true, schema: { type: 'string', const: 'a b/c' } }],
        responses: { '204': ok },
      },
    },
    '/search?kind=user': {
      get: {
        operationId: 'searchUsers',
        parameters: [{ name: 'q', in: 'query', required: true, schema: { type: 'string', const: 'zoë & co' } }],
        responses: { '204': ok },
      },
    },
  },
} as const;

/** Non-JSON responses, ranges and response headers, for the response checks; JSON request bodies only. */
export const responsesSpec = {
  openapi: '3.1.0',
  info: { title: 'responses', version: '1.0.0' },
  paths: {
    '/export.csv': { get: { operationId: 'getCsv', responses: { '200': { description: 'csv', content: { 'text/csv': { schema: { type: 'array', items: { type: 'object' } } } } } } } },
    '/export.xml': { get: { operationId: 'getXml', responses: { '200': { description: 'xml', content: { 'application/xml': { schema: { type: 'object', properties: { id: { type: 'integer' } } } } } } } } },
    '/logo': { get: { operationId: 'getLogo', responses: { '200': { description: 'png', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } } } } },
    '/download': { get: { operationId: 'getDownload', responses: { '200': { description: 'bytes', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } } } } },
    '/health': {
      get: {
        operationId: 'getHealth',
        responses: { '200': { description: 'text', content: { 'text/plain': { schema: { $ref: '#/components/schemas/Health' } } } }, default: { description: 'error', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
    '/things': {
      post: {
        operationId: 'createThing',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 10 } } } } } },
        responses: {
          '2XX': {
            description: 'created',
            headers: { 'x-rate-remaining': { required: true, schema: { $ref: '#/components/schemas/Remaining' } } },
            content: { 'application/json': { schema: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } } },
          },
          '4XX': { description: 'refused', content: { 'application/problem+json': { schema: { type: 'object' } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      Health: { type: 'string', enum: ['up', 'degraded'] },
      Remaining: { type: 'integer', minimum: 0, maximum: 100 },
    },
  },
} as const;

/** Every kind of security scheme, AND-combined requirements and an anonymous operation. */
export const securitySpec = {
  openapi: '3.1.0',
  info: { title: 'security', version: '1.0.0' },
  security: [{ bearer: [] }],
  paths: {
    '/header-key': { get: { operationId: 'headerKey', security: [{ headerKey: [] }], responses: { '200': ok, '401': ok } } },
    '/query-key': { get: { operationId: 'queryKey', security: [{ queryKey: [] }], responses: { '200': ok, '401': ok } } },
    '/cookie-key': { get: { operationId: 'cookieKey', security: [{ cookieKey: [] }], responses: { '200': ok, '401': ok } } },
    '/basic': { get: { operationId: 'basic', security: [{ basic: [] }], responses: { '200': ok, '401': ok } } },
    '/bearer': { get: { operationId: 'bearerDefault', responses: { '200': ok, '401': ok } } },
    '/digest': { get: { operationId: 'digest', security: [{ digest: [] }], responses: { '200': ok, '401': ok } } },
    '/oauth': { get: { operationId: 'oauth', security: [{ oauth: ['read'] }], responses: { '200': ok, '401': ok } } },
    '/oidc': { get: { operationId: 'oidc', security: [{ oidc: [] }], responses: { '200': ok, '401': ok } } },
    '/both-keys': { get: { operationId: 'bothKeys', security: [{ headerKey: [], queryKey: [] }], responses: { '200': ok, '401': ok } } },
    '/tls-or-key': { get: { operationId: 'tlsOrKey', security: [{ tls: [] }, { headerKey: [] }], responses: { '200': ok, '401': ok } } },
    '/public': { get: { operationId: 'public', security: [], responses: { '200': ok } } },
  },
  components: {
    securitySchemes: {
      headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      queryKey: { type: 'apiKey', in: 'query', name: 'api_key' },
      cookieKey: { type: 'apiKey', in: 'cookie', name: 'sid' },
      basic: { type: 'http', scheme: 'basic' },
      bearer: { type: 'http', scheme: 'bearer' },
      digest: { type: 'http', scheme: 'digest' },
      oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://auth.example/token', scopes: { read: 'read' } } } },
      oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://auth.example/.well-known/openid-configuration' },
      tls: { type: 'mutualTLS' },
    },
  },
} as const;
