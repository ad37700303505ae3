import { MINUTE } from '../../domain/time';
import type { BlobRef, BlobStore } from '../../ports/blob-store';
import { createArtifact } from '../artifacts/create-artifact';
import { createTask } from '../tasks/create-task';
import { expireArtifacts } from '../jobs/expire-artifacts';
import {
  artifact,
  artifactInfo,
  getArtifact,
  getLatestArtifact,
  latestArtifact,
  latestArtifactInfo,
  listArtifacts,
  listLatestArtifacts,
} from '../artifacts/read-artifacts';
import { reportException } from '../work/resolve-run';
import { claimWork } from '../work/claim-work';
import {
  callerWithScopes,
  DAY,
  errorArtifact,
  HOUR,
  inMs,
  link,
  reference,
  rejectsWith,
  root,
  runningTask,
  setup,
  slugid,
  taskDef,
  upload,
  worker,
} from './artifacts.test-support';

describe('getArtifact and links', () => {
  it('follows link → link → reference', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await createArtifact(env.ctx, root, taskId, 0, 'public/ref', reference(env, 'https://example.com/final'));
    await createArtifact(env.ctx, root, taskId, 0, 'public/l1', link(env, 'public/ref'));
    await createArtifact(env.ctx, root, taskId, 0, 'public/l2', link(env, 'public/l1'));
    const expected = { kind: 'redirect', storageType: 'reference', url: 'https://example.com/final' };
    expect(await getArtifact(env.ctx, root, taskId, 0, 'public/l2')).toEqual(expected);
    expect(await getLatestArtifact(env.ctx, root, taskId, 'public/l2')).toEqual(expected);
    expect(await artifact(env.ctx, root, taskId, 0, 'public/l2')).toEqual({ storageType: 'reference', url: 'https://example.com/final' });
    // Info describes the link itself.
    expect(await artifactInfo(env.ctx, root, taskId, 0, 'public/l2')).toMatchObject({ storageType: 'link', name: 'public/l2' });
  });

  it('needs queue:get-artifact for every traversed name', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await createArtifact(env.ctx, root, taskId, 0, 'public/ref', reference(env));
    await createArtifact(env.ctx, root, taskId, 0, 'public/l1', link(env, 'public/ref'));
    await createArtifact(env.ctx, root, taskId, 0, 'public/l2', link(env, 'public/l1'));
    const all = ['queue:get-artifact:public/l2', 'queue:get-artifact:public/l1', 'queue:get-artifact:public/ref'];
    await getArtifact(env.ctx, callerWithScopes(all), taskId, 0, 'public/l2');
    const lacksMiddle = callerWithScopes(all.filter((s) => !s.endsWith('/l1')));
    await expect(getArtifact(env.ctx, lacksMiddle, taskId, 0, 'public/l2')).rejects.toMatchObject({
      code: 'InsufficientScopes',
      message: expect.stringContaining('queue:get-artifact:public/l1'),
    });
    await rejectsWith(latestArtifact(env.ctx, lacksMiddle, taskId, 'public/l2'), 'InsufficientScopes');
    // Authorization comes before any lookup: nothing is revealed about a name the caller may not read.
    await rejectsWith(getArtifact(env.ctx, callerWithScopes([]), slugid(), 0, 'public/x'), 'InsufficientScopes');
  });

  it('answers 400 for a link cycle', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await createArtifact(env.ctx, root, taskId, 0, 'public/a', reference(env));
    await createArtifact(env.ctx, root, taskId, 0, 'public/b', link(env, 'public/a'));
    await createArtifact(env.ctx, root, taskId, 0, 'public/a', link(env, 'public/b')); // reference → link closes the loop
    await expect(getArtifact(env.ctx, root, taskId, 0, 'public/b')).rejects.toMatchObject({
      code: 'InputError',
      message: expect.stringContaining('public/b -> public/a -> public/b'),
    });
  });

  it('answers 404 for a missing task, run or artifact, and for latest of a task without runs', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await rejectsWith(getArtifact(env.ctx, root, slugid(), 0, 'public/a'), 'ResourceNotFound');
    await rejectsWith(getArtifact(env.ctx, root, taskId, 3, 'public/a'), 'ResourceNotFound');
    await rejectsWith(getArtifact(env.ctx, root, taskId, 0, 'public/a'), 'ResourceNotFound');
    await rejectsWith(artifactInfo(env.ctx, root, taskId, 0, 'public/a'), 'ResourceNotFound');
    const blocked = slugid();
    await createTask(env.ctx, root, blocked, taskDef(env, { dependencies: [taskId] }));
    await rejectsWith(getLatestArtifact(env.ctx, root, blocked, 'public/a'), 'ResourceNotFound');
  });

  it('answers 410 for an expired artifact the expiry job has not removed yet, 404 once it has', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await createArtifact(env.ctx, root, taskId, 0, 'public/a', reference(env, undefined, { expires: inMs(env, HOUR) }));
    await createArtifact(env.ctx, root, taskId, 0, 'public/l', link(env, 'public/a'));
    await env.clock.advance(HOUR + MINUTE);
    await rejectsWith(getArtifact(env.ctx, root, taskId, 0, 'public/a'), 'ResourceExpired');
    await rejectsWith(getArtifact(env.ctx, root, taskId, 0, 'public/l'), 'ResourceExpired'); // its target expired
    await rejectsWith(latestArtifactInfo(env.ctx, root, taskId, 'public/a'), 'ResourceExpired');
    // Still listed until the expiry job runs.
    expect((await listArtifacts(env.ctx, root, taskId, 0)).artifacts.map((a) => a.name)).toEqual(['public/a', 'public/l']);
    expect(await expireArtifacts(env.ctx)).toEqual({ deleted: 1, failed: 0 });
    await rejectsWith(getArtifact(env.ctx, root, taskId, 0, 'public/a'), 'ResourceNotFound');
  });

  it('reads the latest run for the latest methods', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await createArtifact(env.ctx, root, taskId, 0, 'public/run0', errorArtifact(env));
    await reportException(env.ctx, root, taskId, 0, { reason: 'worker-shutdown' }); // retried as run 1
    await claimWork(env.ctx, root, 'prov/wt', { ...worker, tasks: 1 });
    await createArtifact(env.ctx, root, taskId, 1, 'public/run1', reference(env));
    expect(await latestArtifact(env.ctx, root, taskId, 'public/run1')).toEqual({
      storageType: 'reference',
      url: 'https://example.com/a',
    });
    await rejectsWith(getLatestArtifact(env.ctx, root, taskId, 'public/run0'), 'ResourceNotFound');
    expect(await artifact(env.ctx, root, taskId, 0, 'public/run0')).toEqual({
      storageType: 'error',
      reason: 'file-missing-on-worker',
      message: 'no such file: build.log',
    });
    expect((await listLatestArtifacts(env.ctx, root, taskId)).artifacts.map((a) => a.name)).toEqual(['public/run1']);
  });
});

describe('listArtifacts / listLatestArtifacts', () => {
  it('answers 404 for a missing task, a missing run, and latest of a task without runs', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await rejectsWith(listArtifacts(env.ctx, root, slugid(), 0), 'ResourceNotFound');
    await rejectsWith(listLatestArtifacts(env.ctx, root, slugid()), 'ResourceNotFound');
    await rejectsWith(listArtifacts(env.ctx, root, taskId, 1), 'ResourceNotFound');
    const blocked = slugid();
    await createTask(env.ctx, root, blocked, taskDef(env, { dependencies: [taskId] }));
    await rejectsWith(listLatestArtifacts(env.ctx, root, blocked), 'ResourceNotFound');
  });

  it('pages with continuationToken', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    const names = ['public/a', 'public/b', 'public/c', 'public/d', 'public/e'];
    for (const name of names) await createArtifact(env.ctx, root, taskId, 0, name, reference(env));
    for (const list of [
      (token?: string) => listArtifacts(env.ctx, root, taskId, 0, { limit: 2, continuationToken: token }),
      (token?: string) => listLatestArtifacts(env.ctx, root, taskId, { limit: 2, continuationToken: token }),
    ]) {
      const seen: string[] = [];
      let pages = 0;
      let token: string | undefined;
      do {
        const page = await list(token);
        pages++;
        seen.push(...page.artifacts.map((a) => a.name));
        token = page.continuationToken;
      } while (token !== undefined);
      expect(seen).toEqual(names);
      expect(pages).toBe(3);
    }
    const first = await listArtifacts(env.ctx, root, taskId, 0);
    expect(first.continuationToken).toBeUndefined();
    expect(first.artifacts[0]).toEqual({
      storageType: 'reference',
      name: 'public/a',
      expires: inMs(env, DAY),
      contentType: 'application/binary',
    });
  });

  it('needs queue:list-artifacts scopes', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await listArtifacts(env.ctx, callerWithScopes([`queue:list-artifacts:${taskId}:0`]), taskId, 0);
    await listLatestArtifacts(env.ctx, callerWithScopes([`queue:list-artifacts:${taskId}`]), taskId);
    await rejectsWith(listArtifacts(env.ctx, callerWithScopes([]), taskId, 0), 'InsufficientScopes');
    await rejectsWith(listLatestArtifacts(env.ctx, callerWithScopes([]), taskId), 'InsufficientScopes');
  });
});

describe('expireArtifacts', () => {
  it('deletes the blob, then the record, and keeps unexpired artifacts', async () => {
    const env = setup();
    const order: string[] = [];
    const s3 = env.ports.blobs.s3;
    const spy: BlobStore = {
      createUpload: (blob) => s3.createUpload(blob),
      downloadUrl: (blob) => s3.downloadUrl(blob),
      delete: async (blob) => {
        const [taskId = '', runId = '', ...rest] = blob.key.split('/');
        const record = await env.ports.artifacts.get(taskId, Number(runId), rest.join('/'));
        order.push(`blob ${blob.key} (record ${record ? 'present' : 'gone'})`);
        await s3.delete(blob);
      },
    };
    const ctx = { ...env.ctx, ports: { ...env.ctx.ports, blobs: { s3: spy, azure: env.ports.blobs.azure } } };
    const taskId = await runningTask(env);
    await createArtifact(ctx, root, taskId, 0, 'public/old.txt', upload(env, 's3', { expires: inMs(env, HOUR) }));
    await createArtifact(ctx, root, taskId, 0, 'public/new.txt', upload(env, 's3', { expires: inMs(env, 3 * DAY) }));
    await createArtifact(ctx, root, taskId, 0, 'public/old-ref', reference(env, undefined, { expires: inMs(env, HOUR) }));
    await createArtifact(ctx, root, taskId, 0, 'public/old.az', upload(env, 'azure', { expires: inMs(env, HOUR) }));
    await env.clock.advance(2 * HOUR);

    expect(await expireArtifacts(ctx)).toEqual({ deleted: 3, failed: 0 });
    expect(order).toEqual([`blob ${taskId}/0/public/old.txt (record present)`]);
    const deleted = (ref: BlobRef) => s3.deleted.some((d) => d.key === ref.key);
    expect(deleted({ key: `${taskId}/0/public/old.txt`, visibility: 'public' })).toBe(true);
    expect(deleted({ key: `${taskId}/0/public/new.txt`, visibility: 'public' })).toBe(false);
    expect(env.ports.blobs.azure.deleted).toEqual([{ key: `${taskId}/0/public/old.az`, visibility: 'public' }]);
    expect((await listArtifacts(ctx, root, taskId, 0)).artifacts.map((a) => a.name)).toEqual(['public/new.txt']);
    expect(await expireArtifacts(ctx)).toEqual({ deleted: 0, failed: 0 });
  });

  it('keeps the record when the blob cannot be deleted, and goes on with the others', async () => {
    const env = setup();
    const s3 = env.ports.blobs.s3;
    let broken = true;
    const flaky: BlobStore = {
      createUpload: (blob) => s3.createUpload(blob),
      downloadUrl: (blob) => s3.downloadUrl(blob),
      delete: async (blob) => {
        if (broken) throw new Error('S3 is down');
        await s3.delete(blob);
      },
    };
    const ctx = { ...env.ctx, ports: { ...env.ctx.ports, blobs: { s3: flaky } } };
    const taskId = await runningTask(env);
    await createArtifact(ctx, root, taskId, 0, 'public/a.txt', upload(env, 's3', { expires: inMs(env, HOUR) }));
    await createArtifact(ctx, root, taskId, 0, 'public/ref', reference(env, undefined, { expires: inMs(env, HOUR) }));
    await env.clock.advance(2 * HOUR);
    expect(await expireArtifacts(ctx)).toEqual({ deleted: 1, failed: 1 });
    expect((await listArtifacts(ctx, root, taskId, 0)).artifacts.map((a) => a.name)).toEqual(['public/a.txt']);
    broken = false;
    expect(await expireArtifacts(ctx)).toEqual({ deleted: 1, failed: 0 });
    expect((await listArtifacts(ctx, root, taskId, 0)).artifacts).toEqual([]);
  });

  it('works in bounded batches of config.batchSize', async () => {
    const env = setup({ batchSize: 2 });
    const taskId = await runningTask(env);
    for (const name of ['public/a', 'public/b', 'public/c']) {
      await createArtifact(env.ctx, root, taskId, 0, name, errorArtifact(env, { expires: inMs(env, HOUR) }));
    }
    await env.clock.advance(2 * HOUR);
    expect(await expireArtifacts(env.ctx)).toEqual({ deleted: 2, failed: 0 });
    expect(await expireArtifacts(env.ctx)).toEqual({ deleted: 1, failed: 0 });
  });
});
