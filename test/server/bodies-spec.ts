// A small spec with one operation per request media type and per response media type.

const ok = { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } } } } };

export const formSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'age'],
  properties: {
    name: { type: 'string', minLength: 1 },
    age: { type: 'integer', minimum: 0 },
    active: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    ids: { type: 'array', items: { type: 'integer' } },
    pipes: { type: 'array', items: { type: 'string' } },
    color: { type: 'object', additionalProperties: false, properties: { R: { type: 'integer' }, G: { type: 'integer' }, B: { type: 'integer' } } },
    point: { type: 'object', properties: { lat: { type: 'number' }, lng: { type: 'number' } } },
    meta: { type: 'object', properties: { level: { type: 'integer' } }, required: ['level'] },
  },
};

export const uploadSchema = {
  type: 'object',
  required: ['title', 'file'],
  properties: {
    title: { type: 'string', maxLength: 20 },
    count: { type: 'integer' },
    file: { type: 'string', format: 'binary', maxLength: 1000 },
    photos: { type: 'array', items: { type: 'string', format: 'binary' } },
    tags: { type: 'array', items: { type: 'string' } },
    meta: { type: 'object', properties: { kind: { type: 'string', enum: ['a', 'b'] } }, required: ['kind'] },
    request: { $ref: '#/components/schemas/ImageRequest' },
  },
};

const planet = { $ref: '#/components/schemas/Planet' };

export const bodiesSpec = {
  openapi: '3.1.0',
  info: { title: 'bodies', version: '1' },
  paths: {
    '/forms': {
      post: {
        operationId: 'postForm',
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: formSchema,
              encoding: {
                ids: { style: 'form', explode: false },
                pipes: { style: 'pipeDelimited', explode: false },
                color: { style: 'deepObject', explode: true },
                meta: { contentType: 'application/json' },
              },
            },
          },
        },
        responses: ok,
      },
    },
    '/upload': {
      post: {
        operationId: 'upload',
        requestBody: { required: true, content: { 'multipart/form-data': { schema: uploadSchema, encoding: { meta: { contentType: 'application/json' }, file: { contentType: 'image/png, image/jpeg' } } } } },
        responses: ok,
      },
    },
    '/either': {
      post: {
        operationId: 'either',
        requestBody: { required: true, content: { 'application/json': { schema: formSchema }, 'application/x-www-form-urlencoded': { schema: formSchema } } },
        responses: ok,
      },
    },
    '/raw': {
      put: {
        operationId: 'putRaw',
        requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary', maxLength: 100 } } } },
        responses: ok,
      },
    },
    '/image': {
      post: {
        operationId: 'postImage',
        requestBody: { required: true, content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } }, 'image/*': { schema: { type: 'string', format: 'binary' } } } },
        responses: ok,
      },
    },
    '/text': {
      post: {
        operationId: 'postText',
        requestBody: { required: true, content: { 'text/plain': { schema: { type: 'string', maxLength: 10 } } } },
        responses: ok,
      },
    },
    '/anything': {
      post: {
        operationId: 'postAnything',
        requestBody: { required: true, content: { '*/*': { schema: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' } } } } } },
        responses: ok,
      },
      patch: {
        operationId: 'patchAnything',
        requestBody: {
          required: true,
          content: {
            'application/json-patch+json': { schema: { type: 'array', items: { type: 'object', required: ['op', 'path'], properties: { op: { type: 'string' }, path: { type: 'string' } } } } },
            'application/merge-patch+json': { schema: { type: 'object' } },
            'application/apply-patch+yaml': { schema: { type: 'object' } },
          },
        },
        responses: ok,
      },
    },
    '/report': {
      get: {
        operationId: 'getReport',
        responses: {
          '200': {
            description: 'rows',
            content: {
              'application/json': { schema: { type: 'array', items: planet } },
              'text/csv': { schema: { type: 'array', minItems: 2, items: planet } },
              'application/xml': { schema: { type: 'array', minItems: 1, items: planet } },
              'text/html': { schema: { type: 'string' } },
              'image/png': { schema: { type: 'string', format: 'binary' } },
            },
          },
        },
      },
    },
    '/planet': {
      get: {
        operationId: 'getPlanet',
        responses: { '200': { description: 'one', content: { 'application/xml': { schema: planet }, 'application/yaml': { schema: planet }, 'application/x-msgpack': { schema: planet } } } },
      },
    },
    '/status': {
      get: {
        operationId: 'getStatus',
        responses: { '200': { description: 'plain', content: { 'text/plain': { schema: { type: 'string' }, example: 'OK' }, 'text/csv': { schema: { type: 'string' }, example: 'a,b\r\n1,2\r\n' } } } },
      },
    },
    '/events': {
      get: { operationId: 'getEvents', responses: { '200': { description: 'sse', content: { 'text/event-stream': { schema: planet } } } } },
    },
    '/download': {
      get: {
        operationId: 'download',
        responses: { '200': { description: 'file', content: { '*/*': { schema: { type: 'string', format: 'binary' } }, 'image/gif': { schema: { type: 'string', format: 'binary' } }, 'application/pdf': { schema: { type: 'string', format: 'binary' } } } } },
      },
    },
  },
  components: {
    schemas: {
      Planet: {
        type: 'object',
        required: ['id', 'name'],
        properties: { id: { type: 'integer', minimum: 1 }, name: { type: 'string', minLength: 1, maxLength: 30 }, moons: { type: 'array', maxItems: 3, items: { type: 'string', maxLength: 10 } } },
      },
      ImageRequest: { type: 'object', required: ['idempotency_key'], properties: { idempotency_key: { type: 'string' }, object_id: { type: 'string' } } },
    },
  },
};
