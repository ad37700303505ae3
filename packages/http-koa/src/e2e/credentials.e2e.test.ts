import { useE2e } from '../testing/e2e';
import { expectError } from '../testing/expect-error';
import { fromNow, HOUR, slugid, taskDefinition } from '../testing/fixtures';
import { bewitUrl, temporaryCredentials } from '../testing/hawk';
import { ROOT } from '../testing/test-server';

// Credentials as a program holds them, through taskcluster-client: the task credentials of a
// claim, temporary credentials made by hand (spec recipe), authorizedScopes, and bewit URLs.

const e2e = useE2e();
const reference = () => ({ storageType: 'reference', expires: fromNow(HOUR), url: 'https://example.com/log' });
const forbidden = (scope: string) => ({ statusCode: 403, code: 'InsufficientScopes', mentions: scope });

describe('task credentials', () => {
  it('work for their own run: reclaim, createArtifact, reportCompleted (and the reclaimed ones too)', async () => {
    const taskQueueId = e2e.f.taskQueueId();
    const taskId = slugid();
    await e2e.root.createTask(taskId, taskDefinition(taskQueueId));
    const { tasks } = await e2e.root.claimWork(taskQueueId, { workerGroup: 'wg', workerId: 'creds', tasks: 1 });
    const { credentials } = tasks[0];
    expect(credentials.clientId).toMatch(new RegExp(`^task-client/${taskId}/0/on/wg/creds/until/`));

    const worker = e2e.queue({ credentials });
    const reclaimed = await worker.reclaimTask(taskId, 0);
    const again = e2e.queue({ credentials: reclaimed.credentials });
    expect(await worker.createArtifact(taskId, 0, 'public/a', reference())).toEqual({ storageType: 'reference' });
    expect(await again.createArtifact(taskId, 0, 'public/b', reference())).toEqual({ storageType: 'reference' });
    expect((await again.reportCompleted(taskId, 0)).status.state).toBe('completed');
  });

  it('carry the scopes of the task, which its creator must hold', async () => {
    const { taskId: readable } = await e2e.f.pending();
    const taskQueueId = e2e.f.taskQueueId();
    const scope = `queue:get-task:${readable}`;
    const creator = e2e.queue({ credentials: e2e.newClient([`queue:create-task:highest:${taskQueueId}`, 'queue:create-task:project:none', 'queue:scheduler-id:-']) });
    await expectError(creator.createTask(slugid(), taskDefinition(taskQueueId, { scopes: [scope] })), forbidden(scope));

    const taskId = slugid();
    await e2e.root.createTask(taskId, taskDefinition(taskQueueId, { scopes: [scope] }));
    const { tasks } = await e2e.root.claimWork(taskQueueId, { workerGroup: 'wg', workerId: 'scoped', tasks: 1 });
    const worker = e2e.queue({ credentials: tasks[0].credentials });
    expect(await worker.task(readable)).toMatchObject({ metadata: { name: 'e2e' } });
    await expectError(worker.task(taskId), forbidden(`queue:get-task:${taskId}`));
  });

  it("get 403 on another task's run", async () => {
    const mine = await e2e.f.running();
    const other = await e2e.f.running();
    const worker = e2e.queue({ credentials: mine.credentials });
    await expectError(worker.reclaimTask(other.taskId, 0), forbidden(`queue:reclaim-task:${other.taskId}/0`));
    await expectError(worker.createArtifact(other.taskId, 0, 'public/x', reference()), forbidden(`queue:create-artifact:${other.taskId}/0`));
    await expectError(worker.reportCompleted(other.taskId, 0), forbidden(`queue:resolve-task:${other.taskId}/0`));
    await expectError(worker.task(other.taskId), forbidden(`queue:get-task:${other.taskId}`));
    expect((await e2e.root.status(other.taskId)).status.state).toBe('running');
  });
});

describe('temporary credentials made by hand', () => {
  it('unnamed: act with the certificate scopes, and no more', async () => {
    const { taskId } = await e2e.f.pending();
    const issuer = e2e.newClient(['queue:get-task:*', 'queue:status:*']);
    const temporary = temporaryCredentials({ issuer, scopes: [`queue:get-task:${taskId}`] });
    expect(temporary.clientId).toBe(issuer.clientId);
    const q = e2e.queue({ credentials: temporary });
    expect(await q.task(taskId)).toMatchObject({ metadata: { name: 'e2e' } });
    await expectError(q.status(taskId), forbidden(`queue:status:${taskId}`));
  });

  it('named: the issuer needs auth:create-client for the name', async () => {
    const { taskId } = await e2e.f.pending();
    const issuer = e2e.newClient(['auth:create-client:e2e/named/*', 'queue:get-task:*']);
    const temporary = temporaryCredentials({ issuer, clientId: 'e2e/named/one', scopes: ['queue:get-task:*'] });
    expect(await e2e.queue({ credentials: temporary }).task(taskId)).toMatchObject({ metadata: { name: 'e2e' } });
  });

  it.each([
    ['as upstream signs them', false],
    ['as taskcluster-client signs them', true],
  ])('with no scopes, %s: authenticated, and refused with 403', async (_, clientStyle) => {
    const { taskId } = await e2e.f.pending();
    const issuer = e2e.newClient(['queue:get-task:*']);
    const temporary = temporaryCredentials({ issuer, scopes: [], clientStyle });
    await expectError(e2e.queue({ credentials: temporary }).task(taskId), forbidden(`queue:get-task:${taskId}`));
  });
});

describe('authorizedScopes', () => {
  it('restrict the root client: a call outside them is a 403', async () => {
    const { taskId } = await e2e.f.pending();
    const restricted = e2e.queue({ credentials: ROOT, authorizedScopes: [`queue:get-task:${taskId}`] });
    expect(await restricted.task(taskId)).toMatchObject({ metadata: { name: 'e2e' } });
    await expectError(restricted.status(taskId), forbidden(`queue:status:${taskId}`));
    await expectError(restricted.cancelTask(taskId), forbidden(`queue:cancel-task:-/${taskId}/${taskId}`));
  });

  it('restrict temporary credentials further', async () => {
    const { taskId } = await e2e.f.pending();
    const issuer = e2e.newClient(['queue:*']);
    const temporary = temporaryCredentials({ issuer, scopes: ['queue:get-task:*', 'queue:status:*'] });
    const restricted = e2e.queue({ credentials: temporary, authorizedScopes: [`queue:status:${taskId}`] });
    expect((await restricted.status(taskId)).status.taskId).toBe(taskId);
    await expectError(restricted.task(taskId), forbidden(`queue:get-task:${taskId}`));
  });

  it('an empty list leaves only the anonymous scopes (authenticated, then 403)', async () => {
    const { taskId } = await e2e.f.pending();
    const nothing = e2e.queue({ credentials: ROOT, authorizedScopes: [] });
    await expectError(nothing.task(taskId), forbidden(`queue:get-task:${taskId}`));
  });
});

describe('bewit URLs', () => {
  it('buildSignedUrl: a plain GET of the URL answers 200', async () => {
    const { taskId } = await e2e.f.pending();
    const url: string = await e2e.root.buildSignedUrl('task', taskId);
    expect(url).toMatch(/[?&]bewit=/);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ metadata: { name: 'e2e' } });
    expect((await fetch(url.replace(/[?&]bewit=.*$/, ''))).status).toBe(403);
  });

  it('buildSignedUrl for getArtifact: a 303 with the location', async () => {
    const run = await e2e.f.running();
    await e2e.f.artifact(run, 'private/log.txt', { storageType: 'reference', url: 'https://example.com/private-log' });
    const url: string = await e2e.root.buildSignedUrl('getArtifact', run.taskId, 0, 'private/log.txt');
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('https://example.com/private-log');
  });

  it('signed with named temporary credentials; the holder still needs the scopes', async () => {
    const { taskId } = await e2e.f.pending();
    const issuer = e2e.newClient(['auth:create-client:e2e/bewit/*', 'queue:get-task:*', 'queue:status:*']);
    const temporary = temporaryCredentials({ issuer, clientId: 'e2e/bewit/reader', scopes: ['queue:status:*'] });
    const q = e2e.queue({ credentials: temporary });
    expect((await fetch(await q.buildSignedUrl('status', taskId))).status).toBe(200);
    expect((await fetch(await q.buildSignedUrl('task', taskId))).status).toBe(403);
  });

  it('carry authorizedScopes', async () => {
    const { taskId } = await e2e.f.pending();
    const restricted = e2e.queue({ credentials: ROOT, authorizedScopes: [`queue:get-task:${taskId}`] });
    expect((await fetch(await restricted.buildSignedUrl('task', taskId))).status).toBe(200);
    expect((await fetch(await restricted.buildSignedUrl('status', taskId))).status).toBe(403);
  });

  it('made by hand with the spec recipe', async () => {
    const { taskId } = await e2e.f.pending();
    const response = await fetch(bewitUrl({ url: `${e2e.server.rootUrl}/api/queue/v1/task/${taskId}/status`, credentials: ROOT }));
    expect(response.status).toBe(200);
  });
});
