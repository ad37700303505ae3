import type { Endpoint } from '../endpoints';
import { createRouter } from './routes';

const endpoint = (name: string, method: Endpoint['method'], route: string): Endpoint => ({
  name,
  method,
  route,
  stability: 'stable',
  title: name,
  description: name,
  handle: async () => ({}),
});

const endpoints = [
  endpoint('claimWork', 'post', '/claim-work/<taskQueueId>'),
  endpoint('task', 'get', '/task/<taskId>'),
  endpoint('status', 'get', '/task/<taskId>/status'),
  endpoint('createTask', 'put', '/task/<taskId>'),
  endpoint('artifact', 'get', '/task/<taskId>/runs/<runId>/artifacts/<name>'),
  endpoint('artifacts', 'get', '/task/<taskId>/runs/<runId>/artifacts'),
  endpoint('heartbeat', 'get', '/__heartbeat__'),
];
const router = createRouter(endpoints, '/api/v1', [endpoints[6]!]);
const match = (method: string, path: string) => {
  const found = router.match(method, path);
  return found && { name: found.endpoint.name, params: found.params };
};

describe('the router of the endpoint table', () => {
  it('matches by method and path, decoding parameters', () => {
    expect(match('GET', '/api/v1/task/abc')).toEqual({ name: 'task', params: { taskId: 'abc' } });
    expect(match('PUT', '/api/v1/task/abc')).toEqual({ name: 'createTask', params: { taskId: 'abc' } });
    expect(match('GET', '/api/v1/task/a%20b/status')).toEqual({ name: 'status', params: { taskId: 'a b' } });
    expect(match('POST', '/api/v1/task/abc')).toBeUndefined();
    expect(match('GET', '/api/v1/task/abc/')).toBeUndefined();
    expect(match('GET', '/api/v1/TASK/abc')).toBeUndefined();
    expect(match('GET', '/other/task/abc')).toBeUndefined();
  });

  it('takes a task queue id with %2F or a plain slash, and an artifact name to the end', () => {
    const claim = { name: 'claimWork', params: { taskQueueId: 'prov/wt' } };
    expect(match('POST', '/api/v1/claim-work/prov%2Fwt')).toEqual(claim);
    expect(match('POST', '/api/v1/claim-work/prov%2fwt')).toEqual(claim);
    expect(match('POST', '/api/v1/claim-work/prov/wt')).toEqual(claim);
    expect(match('POST', '/api/v1/claim-work/a/b/c')).toBeUndefined();
    const name = { taskId: 'T', runId: '0', name: 'public/logs/live.log' };
    expect(match('GET', '/api/v1/task/T/runs/0/artifacts/public/logs/live.log')).toEqual({ name: 'artifact', params: name });
    expect(match('GET', '/api/v1/task/T/runs/0/artifacts/public%2Flogs%2Flive.log')).toEqual({ name: 'artifact', params: name });
    expect(match('GET', '/api/v1/task/T/runs/0/artifacts')).toEqual({ name: 'artifacts', params: { taskId: 'T', runId: '0' } });
  });

  it('passes a malformed parameter on (second pass) for the use case to refuse by name', () => {
    expect(match('POST', '/api/v1/claim-work/prov')).toEqual({ name: 'claimWork', params: { taskQueueId: 'prov' } });
    expect(match('GET', '/api/v1/task/%ZZ')).toEqual({ name: 'task', params: { taskId: '%ZZ' } });
  });

  it('answers HEAD with the GET routes, but not in the second pass', () => {
    expect(match('HEAD', '/api/v1/task/abc')).toEqual({ name: 'task', params: { taskId: 'abc' } });
    expect(match('HEAD', '/api/v1/claim-work/prov')).toBeUndefined();
  });

  it('serves the root routes at the root too, in any case and with a trailing slash', () => {
    for (const path of ['/api/v1/__heartbeat__', '/__heartbeat__', '/__heartbeat__/', '/__HEARTBEAT__']) {
      expect(match('GET', path)).toEqual({ name: 'heartbeat', params: {} });
    }
    expect(match('HEAD', '/__heartbeat__')?.name).toBe('heartbeat');
    expect(match('POST', '/__heartbeat__')).toBeUndefined();
    expect(match('GET', '/__heartbeat__//')).toBeUndefined();
  });
});
