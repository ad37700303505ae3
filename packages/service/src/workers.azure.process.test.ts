import { randomBytes } from 'node:crypto';
import { startAzurite, type Azurite } from '@taskcluster-queue/adapters-azure';
import { eventually, freePort, startService, type Service } from './process.test-support';

/**
 * The production shape on Azurite: a `web` process and a separate `workers` process sharing one
 * storage account, with real timers (a 2 s claim timeout): the workers process expires claims
 * and deadlines of tasks the web process handed out.
 */
describe('web + workers processes on Azure storage (Azurite)', () => {
  let azurite: Azurite;
  let web: Service;
  let workers: Service;
  let port: number;
  beforeAll(async () => {
    azurite = await startAzurite();
    port = await freePort();
    const env = {
      QUEUE_BACKEND: 'azure',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      AZURE_TABLE_PREFIX: `w${randomBytes(4).toString('hex')}`,
      QUEUE_CLAIM_TIMEOUT: '2',
      QUEUE_REAPER_INTERVAL: '0.5',
      QUEUE_ANONYMOUS_SCOPES: '["*"]',
      PORT: String(port),
    };
    web = startService(['web'], env);
    workers = startService(['workers'], { ...env, PORT: '0' });
    await web.waitFor('TASKCLUSTER_ACCESS_TOKEN=');
  }, 60_000);
  afterAll(async () => {
    expect(await web?.stop()).toBe(0);
    expect(await workers?.stop()).toBe(0);
    await azurite?.stop();
  }, 60_000);

  const api = async (path: string, init?: RequestInit) => {
    const response = await fetch(`http://127.0.0.1:${port}/api/queue/v1${path}`, {
      headers: { 'content-type': 'application/json' },
      ...init,
    });
    return response.json() as Promise<Record<string, unknown> & { status?: { runs: { state: string; reasonResolved?: string; reasonCreated: string }[] } }>;
  };
  const create = (taskId: string, deadlineMs: number, retries: number) =>
    api(`/task/${taskId}`, {
      method: 'PUT',
      body: JSON.stringify({
        taskQueueId: 'prov/wt',
        created: new Date().toISOString(),
        deadline: new Date(Date.now() + deadlineMs).toISOString(),
        retries,
        payload: {},
        metadata: { name: 'n', description: 'd', owner: 'o', source: 'https://example.com' },
      }),
    });
  const runsOf = async (taskId: string) =>
    ((await api(`/task/${taskId}/status`)).status?.runs ?? []).map((r) => `${r.state}/${r.reasonResolved ?? r.reasonCreated}`);

  it('expires an unreclaimed claim (retry run pending), and resolves a task past its deadline', async () => {
    await create('dSlITZ4yQgmvxxAi4A8fHQ', 3_600_000, 1);
    const claimed = await api('/claim-work/prov%2Fwt', { method: 'POST', body: JSON.stringify({ workerGroup: 'g', workerId: 'w', tasks: 1 }) });
    expect((claimed.tasks as unknown[]).length).toBe(1);
    await eventually(
      async () => ((await runsOf('dSlITZ4yQgmvxxAi4A8fHQ')).length === 2 ? true : undefined),
      60_000,
      'the claim to expire',
    );
    expect(await runsOf('dSlITZ4yQgmvxxAi4A8fHQ')).toEqual(['exception/claim-expired', 'pending/retry']);

    await create('fN1SbArXTPSVFNUvaOlinQ', 3_000, 0);
    await eventually(
      async () => ((await runsOf('fN1SbArXTPSVFNUvaOlinQ'))[0]?.startsWith('exception') ? true : undefined),
      60_000,
      'the deadline to pass',
    );
    expect(await runsOf('fN1SbArXTPSVFNUvaOlinQ')).toEqual(['exception/deadline-exceeded']);
  }, 120_000);
});
