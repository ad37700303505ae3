import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startService } from './process.test-support';

/** The embedded default (`pnpm start`): Azurite and an S3 server in the process, data on disk. */
describe('QUEUE_BACKEND=embedded', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tq-embedded-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const taskId = 'dSlITZ4yQgmvxxAi4A8fHQ';
  const start = async (port: number) => {
    // Anonymous callers hold `*` here so the test needs no Hawk; the other tests cover auth.
    const service = startService(['all'], { QUEUE_BACKEND: 'embedded', PORT: String(port), QUEUE_ANONYMOUS_SCOPES: '["*"]' }, { dataDir });
    await service.waitFor('TASKCLUSTER_ACCESS_TOKEN=');
    return service;
  };
  const api = (port: number, path: string, init?: RequestInit) =>
    fetch(`http://127.0.0.1:${port}/api/queue/v1${path}`, { headers: { 'content-type': 'application/json' }, ...init });

  it('keeps a task across a restart, claimable, with its s3 and azure artifacts', async () => {
    const port = await freePort();
    const first = await start(port);
    const now = Date.now();
    const created = await api(port, `/task/${taskId}`, {
      method: 'PUT',
      body: JSON.stringify({
        taskQueueId: 'prov/wt',
        created: new Date(now).toISOString(),
        deadline: new Date(now + 3_600_000).toISOString(),
        payload: {},
        metadata: { name: 'n', description: 'd', owner: 'o', source: 'https://example.com' },
      }),
    });
    expect(created.status).toBe(200);
    expect(await first.stop()).toBe(0);

    const second = await start(port);
    const status = await api(port, `/task/${taskId}/status`);
    expect(((await status.json()) as { status: { state: string } }).status.state).toBe('pending');
    const claim = await api(port, '/claim-work/prov%2Fwt', { method: 'POST', body: JSON.stringify({ workerGroup: 'g', workerId: 'w', tasks: 1 }) });
    const { tasks } = (await claim.json()) as { tasks: { status: { taskId: string } }[] };
    expect(tasks.map((t) => t.status.taskId)).toEqual([taskId]);

    const expires = new Date(now + 1_800_000).toISOString();
    const artifact = await api(port, `/task/${taskId}/runs/0/artifacts/public%2Fhello.txt`, {
      method: 'POST',
      body: JSON.stringify({ storageType: 's3', expires, contentType: 'text/plain' }),
    });
    const { putUrl } = (await artifact.json()) as { putUrl: string };
    expect((await fetch(putUrl, { method: 'PUT', body: 'hello', headers: { 'content-type': 'text/plain' } })).status).toBe(200);
    const redirect = await api(port, `/task/${taskId}/runs/0/artifacts/public%2Fhello.txt`, { redirect: 'manual' });
    expect(redirect.status).toBe(303);
    expect(await (await fetch(redirect.headers.get('location')!)).text()).toBe('hello');

    const blob = await api(port, `/task/${taskId}/runs/0/artifacts/private%2Fhello.txt`, {
      method: 'POST',
      body: JSON.stringify({ storageType: 'azure', expires, contentType: 'text/plain' }),
    });
    const upload = (await blob.json()) as { putUrl: string };
    const put = await fetch(upload.putUrl, { method: 'PUT', body: 'private hello', headers: { 'content-type': 'text/plain', 'x-ms-blob-type': 'BlockBlob' } });
    expect(put.status).toBe(201);
    const signed = await api(port, `/task/${taskId}/runs/0/artifacts/private%2Fhello.txt`, { redirect: 'manual' });
    expect(signed.status).toBe(303);
    expect(await (await fetch(signed.headers.get('location')!)).text()).toBe('private hello');
    expect(await second.stop()).toBe(0);
  }, 120_000);
});
