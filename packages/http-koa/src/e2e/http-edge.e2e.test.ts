import { API_PREFIX } from '../http/app';
import { useE2e } from '../testing/e2e';
import { expectError } from '../testing/expect-error';
import { fromNow, HOUR, slugid, taskDefinition } from '../testing/fixtures';
import { signedFetch, type SignedFetchOptions } from '../testing/signed-fetch';
import { ROOT } from '../testing/test-server';

// The HTTP edge: body parsing and limits, path forms, proxies, unexpected errors, claimWork's
// timeout. A small body limit and a short claimWork wait keep these quick.

const BODY_LIMIT = 4096;
const e2e = useE2e({ bodyLimit: BODY_LIMIT, config: { claimWorkWait: 100 } });
const api = (path: string) => `${e2e.server.rootUrl}${API_PREFIX}${path}`;
const asRoot = (path: string, options: SignedFetchOptions = {}) => signedFetch(api(path), { credentials: ROOT, ...options });

const expectAnswer = async (response: Response, status: number, code: string) => {
  const body = (await response.json()) as { code: string; message: string; requestInfo: unknown };
  expect({ status: response.status, code: body.code }).toEqual({ status, code });
  expect(body).toEqual({ code, message: expect.any(String), requestInfo: expect.any(Object) });
  return body;
};

describe('request bodies', () => {
  it('answers malformed JSON with 400 MalformedPayload, before looking at credentials', async () => {
    const body = '{"taskQueueId": ';
    await expectAnswer(await asRoot(`/task/${slugid()}`, { method: 'PUT', body }), 400, 'MalformedPayload');
    await expectAnswer(await signedFetch(api(`/task/${slugid()}`), { method: 'PUT', body }), 400, 'MalformedPayload');
  });

  it('answers a body over the limit with 413 InputTooLarge', async () => {
    const definition = taskDefinition(e2e.f.taskQueueId(), { payload: { padding: 'x'.repeat(BODY_LIMIT) } });
    await expectAnswer(await asRoot(`/task/${slugid()}`, { method: 'PUT', body: definition }), 413, 'InputTooLarge');
    await expectError(e2e.root.createTask(slugid(), definition), { statusCode: 413, code: 'InputTooLarge' });
    const small = taskDefinition(e2e.f.taskQueueId());
    expect((await e2e.root.createTask(slugid(), small)).status.state).toBe('pending');
  });

  it('answers a chunked body over the limit with 413 too, not a dropped connection', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) => (sent++ < 8 ? controller.enqueue(chunk) : controller.close()),
    });
    const init = { method: 'PUT', body, duplex: 'half', headers: { 'content-type': 'application/json' } };
    await expectAnswer(await fetch(api(`/task/${slugid()}`), init as RequestInit), 413, 'InputTooLarge');
  });

  it('names the field and rule of an invalid body', async () => {
    const definition = taskDefinition(e2e.f.taskQueueId(), { retries: -1 });
    const body = await expectAnswer(await asRoot(`/task/${slugid()}`, { method: 'PUT', body: definition }), 400, 'InputValidationError');
    expect(body.message).toMatch(/retries/);
  });
});

describe('path forms', () => {
  it.each([
    ['percent-encoded', (q: string) => encodeURIComponent(q)],
    ['plain-slash', (q: string) => q],
  ])('routes /claim-work/<taskQueueId> %s', async (_, form) => {
    const { taskId, taskQueueId } = await e2e.f.pending();
    const response = await asRoot(`/claim-work/${form(taskQueueId)}`, { method: 'POST', body: { workerGroup: 'wg', workerId: 'paths', tasks: 1 } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { tasks: { status: { taskId: string } }[] }).tasks.map((t) => t.status.taskId)).toEqual([taskId]);
    expect((await asRoot(`/pending/${form(taskQueueId)}`)).status).toBe(200);
  });

  it('routes artifact names with slashes in both forms', async () => {
    const task = await e2e.f.running();
    const name = 'public/logs/live.log';
    const body = { storageType: 'reference', expires: fromNow(HOUR), url: 'https://example.com/live' };
    const created = await asRoot(`/task/${task.taskId}/runs/0/artifacts/${name}`, { method: 'POST', body });
    expect(created.status).toBe(200);
    expect(await e2e.root.artifactInfo(task.taskId, 0, name)).toMatchObject({ name });
    for (const path of [name, encodeURIComponent(name)]) {
      const response = await asRoot(`/task/${task.taskId}/runs/0/artifacts/${path}`);
      expect({ path, status: response.status, location: response.headers.get('location') }).toEqual({
        path,
        status: 303,
        location: 'https://example.com/live',
      });
      expect((await asRoot(`/task/${task.taskId}/artifact-info/${path}`)).status).toBe(200);
    }
  });

  it('keeps spaces and percent signs of artifact names through taskcluster-client', async () => {
    const task = await e2e.f.running();
    const name = 'public/100% done/a b.txt';
    const body = { storageType: 'reference', expires: fromNow(HOUR), url: 'https://example.com/odd' };
    await e2e.queue({ credentials: task.credentials }).createArtifact(task.taskId, 0, name, body);
    expect((await e2e.root.listArtifacts(task.taskId, 0)).artifacts.map((a: { name: string }) => a.name)).toEqual([name]);
    expect(await e2e.root.getArtifact(task.taskId, 0, name)).toEqual({ storageType: 'reference', url: 'https://example.com/odd' });
  });

  it('answers an unknown path with 404 ResourceNotFound', async () => {
    await expectAnswer(await asRoot('/no/such/endpoint'), 404, 'ResourceNotFound');
  });
});

describe('behind a proxy', () => {
  let taskId: string;
  beforeAll(async () => {
    taskId = (await e2e.f.pending()).taskId;
  });

  it('honours x-forwarded-proto: https (signed for port 443)', async () => {
    const hawk = { port: 443 };
    expect((await asRoot(`/task/${taskId}`, { hawk, headers: { 'x-forwarded-proto': 'https' } })).status).toBe(200);
    expect((await asRoot(`/task/${taskId}`, { hawk })).status).toBe(401);
  });

  it('honours x-forwarded-port and x-forwarded-host', async () => {
    const headers = { 'x-forwarded-port': '8443', 'x-forwarded-host': 'queue.example.com' };
    const hawk = { port: 8443, host: 'queue.example.com' };
    expect((await asRoot(`/task/${taskId}`, { hawk, headers })).status).toBe(200);
    expect((await asRoot(`/task/${taskId}`, { hawk: { port: 8443 }, headers })).status).toBe(401);
  });
});

describe('authorization without credentials', () => {
  it('answers a request without credentials that needs scopes with 403, not 401', async () => {
    const { taskId } = await e2e.f.pending();
    await expectError(e2e.queue().task(taskId), { statusCode: 403, code: 'InsufficientScopes', mentions: `queue:get-task:${taskId}` });
  });
});

describe('unexpected errors', () => {
  it('answers 500 InternalServerError without internals, and reports the error', async () => {
    const { taskId } = await e2e.f.pending();
    const secret = new Error('connection string: password=hunter2 at TableClient.get');
    const spy = jest.spyOn(e2e.server.ports.tasks, 'get').mockRejectedValueOnce(secret);
    try {
      const response = await asRoot(`/task/${taskId}`);
      const text = await response.text();
      expect(response.status).toBe(500);
      expect(JSON.parse(text)).toMatchObject({ code: 'InternalServerError', requestInfo: expect.any(Object) });
      expect(text).not.toMatch(/hunter2|TableClient|at .*\.(js|ts)/);
      expect(e2e.server.reportedErrors).toContain(secret);
    } finally {
      spy.mockRestore();
    }
    expect((await e2e.root.task(taskId)).metadata.name).toBe('e2e');
  });
});

describe('claimWork', () => {
  it('answers {tasks: []} when no work comes before the wait runs out', async () => {
    const taskQueueId = e2e.f.taskQueueId();
    expect(await e2e.root.claimWork(taskQueueId, { workerGroup: 'wg', workerId: 'idle', tasks: 1 })).toEqual({ tasks: [] });
  });
});
