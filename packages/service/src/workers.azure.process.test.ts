import { randomBytes } from 'node:crypto';
import { randomSlugid } from '@taskcluster-queue/core/testing';
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
  let env: Record<string, string>;
  beforeAll(async () => {
    azurite = await startAzurite();
    port = await freePort();
    env = {
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
  const create = (taskId: string, deadlineMs: number, retries: number, extra: Record<string, unknown> = {}) =>
    api(`/task/${taskId}`, {
      method: 'PUT',
      body: JSON.stringify({
        taskQueueId: 'prov/wt',
        created: new Date().toISOString(),
        deadline: new Date(Date.now() + deadlineMs).toISOString(),
        retries,
        payload: {},
        metadata: { name: 'n', description: 'd', owner: 'o', source: 'https://example.com' },
        ...extra,
      }),
    });
  const claimOne = async (taskQueueId: string) => {
    const { tasks } = await api(`/claim-work/${encodeURIComponent(taskQueueId)}`, { method: 'POST', body: JSON.stringify({ workerGroup: 'g', workerId: 'w', tasks: 1 }) });
    return (tasks as { status: { taskId: string }; runId: number }[])[0]!;
  };
  const settle = (taskId: string, done: (runs: string[]) => boolean, what: string) =>
    eventually(async () => (done(await runsOf(taskId)) ? true : undefined), 60_000, what);
  const freshId = () => randomSlugid();
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

  it('expires a claim without retry when none is left; resolves running and unscheduled tasks at their deadline, leaves completed ones', async () => {
    const noRetry = freshId();
    await create(noRetry, 3_600_000, 0, { taskQueueId: 'prov/two' });
    expect((await claimOne('prov/two')).status.taskId).toBe(noRetry);
    await settle(noRetry, (runs) => runs[0] === 'exception/claim-expired', 'the claim to expire');
    expect(await runsOf(noRetry)).toEqual(['exception/claim-expired']);

    const required = freshId();
    const running = freshId();
    const unscheduled = freshId();
    const completed = freshId();
    const q = { taskQueueId: 'prov/three' };
    await create(required, 3_600_000, 0, q);
    await create(unscheduled, 4_000, 0, { ...q, dependencies: [required] });
    await create(running, 4_000, 0, q);
    await create(completed, 4_000, 0, q);
    const claims = [await claimOne('prov/three'), await claimOne('prov/three'), await claimOne('prov/three')];
    const done = claims.find((c) => c.status.taskId === completed)!;
    await api(`/task/${completed}/runs/${done.runId}/completed`, { method: 'POST' });
    // Keep `running` claimed (the claim timeout is shorter than its deadline) until the
    // deadline makes reclaims fail.
    const runningClaim = claims.find((c) => c.status.taskId === running)!;
    const reclaimUrl = `http://127.0.0.1:${port}/api/queue/v1/task/${running}/runs/${runningClaim.runId}/reclaim`;
    await eventually(async () => ((await fetch(reclaimUrl, { method: 'POST' })).status === 409 ? true : undefined), 60_000, 'the deadline');
    for (const taskId of [running, unscheduled]) {
      await settle(taskId, (runs) => runs.at(-1) === 'exception/deadline-exceeded', `${taskId} to pass its deadline`);
    }
    expect(await runsOf(completed)).toEqual(['completed/completed']);
  }, 120_000);

  it('schedules dependents once the workers process handles the resolved notice', async () => {
    const required = freshId();
    const q = { taskQueueId: 'prov/four' };
    await create(required, 3_600_000, 0, q);
    const dependent = 'dSlITZ4yQgmvxxAi4A8fQQ';
    await create(dependent, 3_600_000, 0, { ...q, dependencies: [required] });
    const claim = await claimOne('prov/four');
    expect(claim.status.taskId).toBe(required);
    await api(`/task/${required}/runs/${claim.runId}/completed`, { method: 'POST' });
    await settle(dependent, (runs) => runs[0] === 'pending/scheduled', 'the dependent to be scheduled');
  }, 120_000);

  it('runs an expiry job as its own process: expired tasks go, others stay, and a killed run is safe to repeat', async () => {
    const q = { taskQueueId: 'prov/five' };
    const expiring = freshId();
    const lasting = freshId();
    await create(expiring, 1_000, 0, { ...q, expires: new Date(Date.now() + 2_000).toISOString() });
    await create(lasting, 3_600_000, 0, q);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const killed = startService(['run', 'expire-tasks'], { ...env, PORT: '0' });
    killed.child.kill('SIGKILL');
    await killed.exited;
    const run = startService(['run', 'expire-tasks'], { ...env, PORT: '0' });
    expect(await run.exited).toBe(0);
    const status = (taskId: string) => fetch(`http://127.0.0.1:${port}/api/queue/v1/task/${taskId}/status`).then((r) => r.status);
    expect(await status(expiring)).toBe(404);
    expect(await status(lasting)).toBe(200);
  }, 120_000);
});
