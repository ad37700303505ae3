import { queueEndpoints } from '../endpoints';
import { useE2e } from '../testing/e2e';

// Health endpoints and the documents generated from the endpoint table.

const e2e = useE2e();
const endpoints = queueEndpoints({ startedAt: 0, version: {}, now: () => 0 });
const getJson = async (path: string) => {
  const response = await fetch(`${e2e.server.rootUrl}${path}`);
  expect({ path, status: response.status, json: (response.headers.get('content-type') ?? '').includes('application/json') }).toEqual({
    path,
    status: 200,
    json: true,
  });
  return (await response.json()) as Record<string, unknown>;
};

describe('health', () => {
  it('answers ping, through taskcluster-client and without credentials', async () => {
    expect(await e2e.root.ping()).toEqual({ alive: true, uptime: expect.any(Number) });
    expect(await getJson('/api/queue/v1/ping')).toEqual({ alive: true, uptime: expect.any(Number) });
  });

  it('answers ping even to bad credentials (it does not authenticate)', async () => {
    const response = await fetch(`${e2e.server.rootUrl}/api/queue/v1/ping`, { headers: { authorization: 'Hawk id="x", mac="y"' } });
    expect(response.status).toBe(200);
  });

  it.each([
    ['/api/queue/v1/__heartbeat__', {}],
    ['/api/queue/v1/__lbheartbeat__', {}],
    ['/api/queue/v1/__version__', { version: '0.0.0-test' }],
    ['/__heartbeat__', {}],
    ['/__lbheartbeat__', {}],
    ['/__version__', { version: '0.0.0-test' }],
  ])('answers %s', async (path, expected) => {
    expect(await getJson(path)).toEqual(expected);
  });
});

describe('API reference', () => {
  let reference: Record<string, unknown> & { entries: Record<string, unknown>[] };
  beforeAll(async () => {
    reference = (await getJson('/references/queue/v1/api.json')) as typeof reference;
  });

  it("is in Taskcluster's api-reference-v0 shape", () => {
    expect(reference).toMatchObject({
      $schema: `${e2e.server.rootUrl}/schemas/common/api-reference-v0.json#`,
      apiVersion: 'v1',
      serviceName: 'queue',
      title: expect.any(String),
      description: expect.any(String),
    });
  });

  it('has one well-formed entry per endpoint of the table', () => {
    expect(reference.entries.map((entry) => entry['name'])).toEqual(endpoints.map((endpoint) => endpoint.name));
    for (const endpoint of endpoints) {
      const entry = reference.entries.find((e) => e['name'] === endpoint.name)!;
      const args = [...endpoint.route.matchAll(/<([A-Za-z]+)>/g)].map((m) => m[1]);
      expect(entry).toMatchObject({
        type: 'function',
        method: endpoint.method,
        route: endpoint.route,
        args,
        query: endpoint.query ?? [],
        stability: expect.stringMatching(/^(stable|experimental|deprecated)$/),
        title: expect.any(String),
        description: expect.any(String),
      });
      expect({ name: endpoint.name, hasScopes: 'scopes' in entry }).toEqual({ name: endpoint.name, hasScopes: !endpoint.public });
      if (endpoint.input) expect(entry['input']).toBe(`${endpoint.input}.json#`);
      if (endpoint.output) expect(entry['output']).toBe(`${endpoint.output}.json#`);
    }
  });

  it('points at schemas the server serves', async () => {
    const schemas = new Set(reference.entries.flatMap((entry) => [entry['input'], entry['output']].filter((s): s is string => typeof s === 'string')));
    expect(schemas.size).toBeGreaterThan(10);
    for (const schema of schemas) {
      const body = await getJson(`/schemas/queue/${schema.replace(/#$/, '')}`);
      expect(typeof body).toBe('object');
    }
  });

  it('renders scope templates with <param> placeholders', () => {
    const task = reference.entries.find((e) => e['name'] === 'task')!;
    expect(task['scopes']).toBe('queue:get-task:<taskId>');
  });
});

describe('OpenAPI document', () => {
  type Operation = { operationId: string; parameters: { name: string; in: string }[]; responses: Record<string, unknown> };
  let openapi: { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };
  beforeAll(async () => {
    openapi = (await getJson('/api/queue/v1/openapi.json')) as typeof openapi;
  });

  it('is OpenAPI 3.1 with one path per route and one operation per endpoint', () => {
    expect(openapi.openapi).toMatch(/^3\.1\./);
    const routes = new Set(endpoints.map((endpoint) => endpoint.route.replace(/<([A-Za-z]+)>/g, '{$1}')));
    expect(Object.keys(openapi.paths).sort()).toEqual([...routes].sort());
    for (const endpoint of endpoints) {
      const operation = openapi.paths[endpoint.route.replace(/<([A-Za-z]+)>/g, '{$1}')]![endpoint.method]!;
      expect(operation.operationId).toBe(endpoint.name);
      const pathParams = operation.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      expect(pathParams).toEqual([...endpoint.route.matchAll(/<([A-Za-z]+)>/g)].map((m) => m[1]));
    }
  });

  it('resolves every $ref to a component schema', () => {
    const refs = [...JSON.stringify(openapi.paths).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect({ ref, present: ref in openapi.components.schemas }).toEqual({ ref, present: true });
  });
});

describe('HEAD', () => {
  it.each(['/references/queue/v1/api.json', '/api/queue/v1/ping', '/__heartbeat__'])('answers %s as GET does, without a body', async (path) => {
    const response = await fetch(`${e2e.server.rootUrl}${path}`, { method: 'HEAD' });
    expect({ status: response.status, type: response.headers.get('content-type'), body: await response.text() }).toEqual({
      status: 200,
      type: 'application/json; charset=utf-8',
      body: '',
    });
  });
});
