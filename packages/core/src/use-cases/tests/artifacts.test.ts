import { MINUTE } from '../../domain/time';
import { artifactInfo, getArtifact, listArtifacts } from '../artifacts/read-artifacts';
import { createArtifact, finishArtifact } from '../artifacts/create-artifact';
import { createTask } from '../tasks/create-task';
import { reportCompleted, reportException, reportFailed } from '../work/resolve-run';
import {
  artifactEvents,
  callerWithScopes,
  DAY,
  errorArtifact,
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
} from './artifacts.test-support';

describe('createArtifact: s3 and azure uploads', () => {
  it('posts a public s3 artifact and gets a putUrl for the public bucket', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    const res = await createArtifact(env.ctx, root, taskId, 0, 'public/build/a.txt', upload(env));
    expect(res).toEqual({
      storageType: 's3',
      contentType: 'text/plain',
      expires: inMs(env, 45 * MINUTE),
      putUrl: expect.stringContaining(`memory://public/${taskId}/0/public/build/a.txt?expires=`),
    });
    const ref = { key: `${taskId}/0/public/build/a.txt`, visibility: 'public' as const };
    expect(env.ports.blobs.s3.upload(ref)).toMatchObject({ contentType: 'text/plain' });
    // Public: the download URL is not signed.
    expect(await getArtifact(env.ctx, root, taskId, 0, 'public/build/a.txt')).toEqual({
      kind: 'redirect',
      storageType: 's3',
      url: `memory://public/${taskId}/0/public/build/a.txt`,
    });
    // The bytes arrive later by a PUT the queue never sees: no artifact-created for uploads.
    expect(artifactEvents(env)).toEqual([]);
  });

  it('posts a private s3 artifact: private bucket, signed download, get-artifact scope required', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    const res = await createArtifact(env.ctx, root, taskId, 0, 'private/secret.bin', upload(env));
    expect(res).toMatchObject({ storageType: 's3', putUrl: expect.stringContaining('memory://private/') });
    const reader = callerWithScopes(['queue:get-artifact:private/secret.bin']);
    const got = await getArtifact(env.ctx, reader, taskId, 0, 'private/secret.bin');
    expect(got).toMatchObject({ kind: 'redirect', storageType: 's3', url: expect.stringMatching(/^memory:\/\/private\/.*\?expires=/) });
    await rejectsWith(getArtifact(env.ctx, callerWithScopes([]), taskId, 0, 'private/secret.bin'), 'InsufficientScopes');
  });

  it('posts an azure artifact (30-minute putUrl)', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    const res = await createArtifact(env.ctx, root, taskId, 0, 'public/a.log', upload(env, 'azure'));
    expect(res).toMatchObject({ storageType: 'azure', expires: inMs(env, 30 * MINUTE) });
    expect(env.ports.blobs.azure.has({ key: `${taskId}/0/public/a.log`, visibility: 'public' })).toBe(true);
  });

  it('refuses a storage type the deployment has no blob store for (400)', async () => {
    const env = setup({}, (ports) => ({ s3: ports.blobs.s3 }));
    const taskId = await runningTask(env);
    await expect(createArtifact(env.ctx, root, taskId, 0, 'public/a', upload(env, 'azure'))).rejects.toMatchObject({
      code: 'InputError',
      message: expect.stringContaining('does not support azure'),
    });
  });

  it('answers a repeated upload with a fresh putUrl', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    const body = upload(env);
    const first = await createArtifact(env.ctx, root, taskId, 0, 'public/a', body);
    await env.clock.advance(MINUTE);
    const second = await createArtifact(env.ctx, root, taskId, 0, 'public/a', body);
    expect(second).toMatchObject({ storageType: 's3' });
    expect(second).not.toEqual(first);
  });
});

describe('createArtifact: reference, link and error', () => {
  it('posts an error artifact: getArtifact gives the error result, artifact-created is published', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    expect(await createArtifact(env.ctx, root, taskId, 0, 'public/build.log', errorArtifact(env))).toEqual({ storageType: 'error' });
    expect(await getArtifact(env.ctx, root, taskId, 0, 'public/build.log')).toEqual({
      kind: 'error',
      storageType: 'error',
      reason: 'file-missing-on-worker',
      message: 'no such file: build.log',
    });
    expect(await artifactInfo(env.ctx, root, taskId, 0, 'public/build.log')).toMatchObject({ contentType: 'application/json' });
    const [event] = artifactEvents(env);
    expect(event?.routingKey).toBe(`primary.${taskId}.0.wg.w1.prov.wt.-.${taskId}._`);
    expect(event?.payload).toMatchObject({
      runId: 0,
      workerGroup: 'wg',
      workerId: 'w1',
      artifact: { storageType: 'error', name: 'public/build.log', contentType: 'application/json' },
    });
  });

  it('posts a reference artifact: getArtifact redirects to its url; default contentType application/binary', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    expect(await createArtifact(env.ctx, root, taskId, 0, 'public/ref', reference(env, 'https://example.com/x'))).toEqual({
      storageType: 'reference',
    });
    expect(await getArtifact(env.ctx, root, taskId, 0, 'public/ref')).toEqual({
      kind: 'redirect',
      storageType: 'reference',
      url: 'https://example.com/x',
    });
    expect(artifactEvents(env).map((e) => e.payload.artifact)).toEqual([
      { storageType: 'reference', name: 'public/ref', expires: inMs(env, DAY), contentType: 'application/binary' },
    ]);
  });

  it('publishes artifact-created for a link, and again on an idempotent repeat', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await createArtifact(env.ctx, root, taskId, 0, 'public/target', reference(env));
    await createArtifact(env.ctx, root, taskId, 0, 'public/link', link(env, 'public/target'));
    await createArtifact(env.ctx, root, taskId, 0, 'public/link', link(env, 'public/target'));
    expect(artifactEvents(env).map((e) => (e.payload.artifact as { storageType: string }).storageType)).toEqual([
      'reference',
      'link',
      'link',
    ]);
  });

  it('requires a link target in the same run, and no self-link (400)', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await rejectsWith(createArtifact(env.ctx, root, taskId, 0, 'public/link', link(env, 'public/missing')), 'InputError');
    await rejectsWith(createArtifact(env.ctx, root, taskId, 0, 'public/self', link(env, 'public/self')), 'InputError');
  });
});

describe('createArtifact: repeating a call (idempotency)', () => {
  it('may extend the expiry, not shorten it', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await createArtifact(env.ctx, root, taskId, 0, 'public/a', reference(env, undefined, { expires: inMs(env, DAY) }));
    await createArtifact(env.ctx, root, taskId, 0, 'public/a', reference(env, undefined, { expires: inMs(env, 2 * DAY) }));
    expect((await artifactInfo(env.ctx, root, taskId, 0, 'public/a')).expires).toBe(inMs(env, 2 * DAY));
    await rejectsWith(
      createArtifact(env.ctx, root, taskId, 0, 'public/a', reference(env, undefined, { expires: inMs(env, DAY) })),
      'RequestConflict',
    );
  });

  it('may not change the content type (409)', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await createArtifact(env.ctx, root, taskId, 0, 'public/a', upload(env, 's3', { contentType: 'text/plain' }));
    await rejectsWith(
      createArtifact(env.ctx, root, taskId, 0, 'public/a', upload(env, 's3', { contentType: 'text/html' })),
      'RequestConflict',
    );
  });

  it('may not change the storage type, except reference → link', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await createArtifact(env.ctx, root, taskId, 0, 'public/s3', upload(env, 's3', { contentType: 'application/binary' }));
    await rejectsWith(createArtifact(env.ctx, root, taskId, 0, 'public/s3', reference(env)), 'RequestConflict');

    await createArtifact(env.ctx, root, taskId, 0, 'public/ref', reference(env));
    expect(await createArtifact(env.ctx, root, taskId, 0, 'public/ref', link(env, 'public/s3'))).toEqual({ storageType: 'link' });
    expect((await artifactInfo(env.ctx, root, taskId, 0, 'public/ref')).storageType).toBe('link');
    // ...and a link does not go back.
    await rejectsWith(createArtifact(env.ctx, root, taskId, 0, 'public/ref', reference(env)), 'RequestConflict');
  });

  it('lets a reference change its url; other details are fixed', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await createArtifact(env.ctx, root, taskId, 0, 'public/ref', reference(env, 'https://example.com/1'));
    await createArtifact(env.ctx, root, taskId, 0, 'public/ref', reference(env, 'https://example.com/2'));
    expect(await getArtifact(env.ctx, root, taskId, 0, 'public/ref')).toMatchObject({ url: 'https://example.com/2' });

    await createArtifact(env.ctx, root, taskId, 0, 'public/err', errorArtifact(env));
    await rejectsWith(
      createArtifact(env.ctx, root, taskId, 0, 'public/err', errorArtifact(env, { message: 'other' })),
      'RequestConflict',
    );
    await createArtifact(env.ctx, root, taskId, 0, 'public/l', link(env, 'public/ref'));
    await rejectsWith(createArtifact(env.ctx, root, taskId, 0, 'public/l', link(env, 'public/err')), 'RequestConflict');
  });
});

describe('createArtifact: run state, expiry, task and run', () => {
  it("can post after resolution 'exception' within the window, not after it", async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await reportException(env.ctx, root, taskId, 0, { reason: 'malformed-payload' });
    await env.clock.advance(20 * MINUTE);
    await createArtifact(env.ctx, root, taskId, 0, 'public/late.log', reference(env));
    await env.clock.advance(6 * MINUTE);
    await rejectsWith(createArtifact(env.ctx, root, taskId, 0, 'public/later.log', reference(env)), 'RequestConflict');
  });

  it("can't post after resolution 'completed' or 'failed'", async () => {
    const env = setup();
    const completed = await runningTask(env);
    await reportCompleted(env.ctx, root, completed, 0);
    await rejectsWith(createArtifact(env.ctx, root, completed, 0, 'public/a', reference(env)), 'RequestConflict');
    const failed = await runningTask(env);
    await reportFailed(env.ctx, root, failed, 0);
    await rejectsWith(createArtifact(env.ctx, root, failed, 0, 'public/a', reference(env)), 'RequestConflict');
  });

  it('refuses a run nobody claimed (400)', async () => {
    const env = setup();
    const taskId = slugid();
    await createTask(env.ctx, root, taskId, taskDef(env));
    await rejectsWith(createArtifact(env.ctx, root, taskId, 0, 'public/a', reference(env)), 'InputError');
  });

  it('answers 404 for a missing task or run', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await rejectsWith(createArtifact(env.ctx, root, slugid(), 0, 'public/a', reference(env)), 'ResourceNotFound');
    await rejectsWith(createArtifact(env.ctx, root, taskId, 1, 'public/a', reference(env)), 'ResourceNotFound');
  });

  it('checks expires: up to 15 minutes in the past, never after the task expires (400)', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await createArtifact(env.ctx, root, taskId, 0, 'public/a', reference(env, undefined, { expires: inMs(env, -10 * MINUTE) }));
    await rejectsWith(
      createArtifact(env.ctx, root, taskId, 0, 'public/b', reference(env, undefined, { expires: inMs(env, -16 * MINUTE) })),
      'InputError',
    );
    await rejectsWith(
      createArtifact(env.ctx, root, taskId, 0, 'public/c', reference(env, undefined, { expires: inMs(env, 31 * DAY) })),
      'InputError',
    );
  });

  it('validates the body (400 InputValidationError)', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await rejectsWith(createArtifact(env.ctx, root, taskId, 0, 'public/a', { storageType: 'object' }), 'InputValidationError');
  });

  it('authorizes with the run scope or the name scope plus the worker', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await createArtifact(env.ctx, callerWithScopes([`queue:create-artifact:${taskId}/0`]), taskId, 0, 'public/a', reference(env));
    const legacy = callerWithScopes(['queue:create-artifact:public/b', 'assume:worker-id:wg/w1']);
    await createArtifact(env.ctx, legacy, taskId, 0, 'public/b', reference(env));
    await rejectsWith(
      createArtifact(env.ctx, callerWithScopes(['queue:create-artifact:public/c']), taskId, 0, 'public/c', reference(env)),
      'InsufficientScopes',
    );
    expect((await listArtifacts(env.ctx, root, taskId, 0)).artifacts.map((a) => a.name)).toEqual(['public/a', 'public/b']);
  });
});

describe('finishArtifact', () => {
  it('is a 400 for an existing artifact (only object artifacts are finished) and a 404 for a missing one', async () => {
    const env = setup();
    const taskId = await runningTask(env);
    await createArtifact(env.ctx, root, taskId, 0, 'public/a', upload(env));
    await expect(finishArtifact(env.ctx, root, taskId, 0, 'public/a', { uploadId: 'u1' })).rejects.toMatchObject({
      code: 'InputError',
      message: expect.stringContaining('Only object artifacts are finished'),
    });
    await rejectsWith(finishArtifact(env.ctx, root, taskId, 0, 'public/b', { uploadId: 'u1' }), 'ResourceNotFound');
    await rejectsWith(finishArtifact(env.ctx, root, taskId, 0, 'public/a', {}), 'InputValidationError');
  });
});
