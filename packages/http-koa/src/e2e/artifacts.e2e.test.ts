import { API_PREFIX } from '../http/app';
import { useE2e } from '../testing/e2e';
import { expectError } from '../testing/expect-error';
import { fromNow, HOUR, type RunningTask } from '../testing/fixtures';
import { ROOT } from '../testing/test-server';
import { signedFetch } from '../testing/signed-fetch';
import type { TestQueue } from '../testing/test-queue';

// Artifacts of every storage type the core has, created with the run's own credentials through
// taskcluster-client: s3 and azure (in-memory blob stores), reference, link and error.

const e2e = useE2e();
let task: RunningTask;
let worker: TestQueue;
const expires = () => fromNow(HOUR);

beforeAll(async () => {
  task = await e2e.f.running();
  worker = e2e.queue({ credentials: task.credentials });
});

describe.each(['s3', 'azure'] as const)('%s artifacts', (storageType) => {
  it('answers with an upload URL, then redirects readers to the blob (public names unsigned)', async () => {
    const name = `public/${storageType}/build.tar.gz`;
    const created = await worker.createArtifact(task.taskId, 0, name, { storageType, expires: expires(), contentType: 'application/gzip' });
    expect(created).toMatchObject({ storageType, contentType: 'application/gzip', putUrl: expect.stringMatching(/^memory:\/\/public\//) });
    expect(e2e.server.ports.blobs[storageType].has({ key: `${task.taskId}/0/${name}`, visibility: 'public' })).toBe(true);

    const redirect = await e2e.root.getArtifact(task.taskId, 0, name);
    expect(redirect).toEqual({ storageType, url: `memory://public/${task.taskId}/0/public/${storageType}/build.tar.gz` });
    expect(await e2e.root.getLatestArtifact(task.taskId, name)).toEqual(redirect);
    expect(await e2e.root.artifact(task.taskId, 0, name)).toEqual(redirect);
    expect(await e2e.root.latestArtifact(task.taskId, name)).toEqual(redirect);
    expect(await e2e.root.artifactInfo(task.taskId, 0, name)).toEqual({ storageType, name, contentType: 'application/gzip', expires: expect.any(String) });
  });

  it('signs the download URL of a private name', async () => {
    const name = `private/${storageType}.bin`;
    await worker.createArtifact(task.taskId, 0, name, { storageType, expires: expires(), contentType: 'application/octet-stream' });
    const { url } = await e2e.root.getArtifact(task.taskId, 0, name);
    expect(url).toMatch(new RegExp(`^memory://private/.*\\?expires=\\d+$`));
  });
});

it('redirects to a reference artifact, whose URL may change', async () => {
  const name = 'public/reference.log';
  await worker.createArtifact(task.taskId, 0, name, { storageType: 'reference', expires: expires(), url: 'https://example.com/1' });
  expect(await e2e.root.getArtifact(task.taskId, 0, name)).toEqual({ storageType: 'reference', url: 'https://example.com/1' });
  await worker.createArtifact(task.taskId, 0, name, { storageType: 'reference', expires: expires(), url: 'https://example.com/2' });
  expect(await e2e.root.getLatestArtifact(task.taskId, name)).toEqual({ storageType: 'reference', url: 'https://example.com/2' });

  const response = await signedFetch(`${e2e.server.rootUrl}${API_PREFIX}/task/${task.taskId}/runs/0/artifacts/${encodeURIComponent(name)}`, {
    credentials: ROOT,
  });
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('https://example.com/2');
  expect(response.headers.get('x-taskcluster-artifact-storage-type')).toBe('reference');
});

it('follows a link to its target, and needs the scopes of both names', async () => {
  const target = 'public/target.txt';
  await worker.createArtifact(task.taskId, 0, target, { storageType: 'reference', expires: expires(), url: 'https://example.com/target' });
  await worker.createArtifact(task.taskId, 0, 'public/link.txt', { storageType: 'link', expires: expires(), artifact: target });
  expect(await e2e.root.getArtifact(task.taskId, 0, 'public/link.txt')).toEqual({ storageType: 'reference', url: 'https://example.com/target' });
  expect(await e2e.root.latestArtifact(task.taskId, 'public/link.txt')).toEqual({ storageType: 'reference', url: 'https://example.com/target' });
  expect(await e2e.root.artifactInfo(task.taskId, 0, 'public/link.txt')).toMatchObject({ storageType: 'link' });

  const linkOnly = e2e.queue({ credentials: e2e.newClient(['queue:get-artifact:public/link.txt']) });
  await expectError(linkOnly.getArtifact(task.taskId, 0, 'public/link.txt'), {
    statusCode: 403,
    code: 'InsufficientScopes',
    mentions: `queue:get-artifact:${target}`,
  });
});

it('answers an error artifact with 424 {reason, message}, and its content as data', async () => {
  const name = 'public/missing.log';
  const body = { storageType: 'error', expires: expires(), reason: 'file-missing-on-worker', message: 'the log was not there' };
  expect(await worker.createArtifact(task.taskId, 0, name, body)).toEqual({ storageType: 'error' });
  const error = await expectError(e2e.root.getArtifact(task.taskId, 0, name), { statusCode: 424 });
  expect(error.body).toEqual({ reason: 'file-missing-on-worker', message: 'the log was not there' });
  await expectError(e2e.root.getLatestArtifact(task.taskId, name), { statusCode: 424, mentions: 'the log was not there' });
  expect(await e2e.root.artifact(task.taskId, 0, name)).toEqual({
    storageType: 'error',
    reason: 'file-missing-on-worker',
    message: 'the log was not there',
  });
  expect(await e2e.root.artifactInfo(task.taskId, 0, name)).toMatchObject({ storageType: 'error', contentType: 'application/json' });
});

it('lists the artifacts of a run page by page, in name order', async () => {
  const run = await e2e.f.running();
  const runWorker = e2e.queue({ credentials: run.credentials });
  const names = ['public/c', 'public/a', 'public/b'];
  for (const name of names) {
    await runWorker.createArtifact(run.taskId, 0, name, { storageType: 'reference', expires: expires(), url: 'https://example.com/' });
  }
  const first = await e2e.root.listArtifacts(run.taskId, 0, { limit: 2 });
  expect(first.artifacts.map((a: { name: string }) => a.name)).toEqual(['public/a', 'public/b']);
  const second = await e2e.root.listArtifacts(run.taskId, 0, { continuationToken: first.continuationToken });
  expect(second.artifacts.map((a: { name: string }) => a.name)).toEqual(['public/c']);
  expect(second.continuationToken).toBeUndefined();
  const latest = await e2e.root.listLatestArtifacts(run.taskId);
  expect(latest.artifacts.map((a: { name: string }) => a.name)).toEqual(['public/a', 'public/b', 'public/c']);
});

it('answers a repeated createArtifact as before, and a changed one with 409', async () => {
  const name = 'public/same.txt';
  const body = { storageType: 's3', expires: expires(), contentType: 'text/plain' };
  await worker.createArtifact(task.taskId, 0, name, body);
  expect(await worker.createArtifact(task.taskId, 0, name, body)).toMatchObject({ storageType: 's3' });
  await expectError(worker.createArtifact(task.taskId, 0, name, { ...body, contentType: 'text/html' }), {
    statusCode: 409,
    code: 'RequestConflict',
  });
});

it('answers 410 for an artifact past its expiry that is not removed yet', async () => {
  const name = 'public/expired.txt';
  const body = { storageType: 'reference', expires: fromNow(-60_000), url: 'https://example.com/old' };
  await worker.createArtifact(task.taskId, 0, name, body);
  await expectError(e2e.root.getArtifact(task.taskId, 0, name), { statusCode: 410, code: 'ResourceExpired' });
  await expectError(e2e.root.artifact(task.taskId, 0, name), { statusCode: 410, code: 'ResourceExpired' });
});
