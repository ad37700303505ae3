import {
  bucketNames,
  DAY,
  get,
  HOUR,
  preflight,
  put,
  queueWithS3,
  randomBody,
  s3rverConnection,
  startS3rver,
  type S3rverHandle,
} from './s3-servers.test-support';
import { CreateBucketCommand, GetBucketCorsCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { describeBlobStoreContract } from '@taskcluster-queue/core/testing';
import { ARTIFACT_CORS_RULES, S3BlobStore, type S3BlobStoreOptions } from './index';

// s3rver does not check signatures: what depends on them is in s3-blob-store.rgw.test.ts.

const buckets = bucketNames('tq-s3rver');
let server: S3rverHandle | undefined;

const options = (extra: Partial<S3BlobStoreOptions> = {}): S3BlobStoreOptions => {
  if (!server) throw new Error('s3rver is not running');
  return { ...s3rverConnection(server.endpoint), ...buckets, ...extra };
};

/** Stores made by a test, closed after it. */
const opened: S3BlobStore[] = [];
const openStore = (extra: Partial<S3BlobStoreOptions> = {}): S3BlobStore => {
  const store = new S3BlobStore(options(extra));
  opened.push(store);
  return store;
};

beforeAll(async () => {
  server = await startS3rver([buckets.publicBucket, buckets.privateBucket]);
});
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});
afterAll(async () => {
  await server?.close();
  server = undefined;
});

const exists = async (store: S3BlobStore, visibility: 'public' | 'private', key: string): Promise<boolean> => {
  try {
    await store.client.send(new HeadObjectCommand({ Bucket: store.bucketOf(visibility), Key: key }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound') return false;
    throw error;
  }
};

describeBlobStoreContract('S3BlobStore on s3rver', async () => {
  const store = new S3BlobStore(options());
  return { store, cleanup: async () => store.close() };
});

describe('S3BlobStore on s3rver', () => {
  const key = (name: string) => `${Math.random().toString(36).slice(2)}/0/${name}`;

  it('signs a PUT to <bucket of the visibility>/<key>, with the content type and the requested expiry', async () => {
    const now = Date.UTC(2030, 0, 1);
    const store = openStore({ now: () => now });
    for (const [visibility, bucket] of [
      ['public', buckets.publicBucket],
      ['private', buckets.privateBucket],
    ] as const) {
      const ref = { key: key('public/a b/ü.txt'), visibility };
      const { putUrl } = await store.createUpload({ ...ref, contentType: 'text/plain', expires: now + 45 * 60 * 1000 });
      const url = new URL(putUrl);
      expect(url.pathname).toBe(`/${bucket}/${ref.key.split('/').map(encodeURIComponent).join('/')}`);
      expect(url.searchParams.get('X-Amz-Expires')).toBe('2700');
      expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toContain('content-type');
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
      // WHEN_REQUIRED: no checksum of an empty body baked into the URL.
      expect([...url.searchParams.keys()].filter((name) => /checksum/i.test(name))).toEqual([]);
    }
  });

  it('refuses upload expiries that are past or beyond what SigV4 allows', async () => {
    const store = openStore({ now: () => 1_000_000 });
    const ref = { key: key('public/x'), visibility: 'public' as const };
    await expect(store.createUpload({ ...ref, contentType: 'text/plain', expires: 1_000_000 })).rejects.toThrow(RangeError);
    await expect(store.createUpload({ ...ref, contentType: 'text/plain', expires: 1_000_000 + 8 * DAY })).rejects.toThrow(RangeError);
  });

  it('gives public blobs a plain URL and private blobs a URL signed for 30 minutes', async () => {
    const store = openStore();
    const publicUrl = new URL(await store.downloadUrl({ key: 'T/0/public/logs/live.log', visibility: 'public' }));
    expect(publicUrl.toString()).toBe(`${server!.endpoint}/${buckets.publicBucket}/T/0/public/logs/live.log`);
    const privateUrl = new URL(await store.downloadUrl({ key: 'T/0/private/secret.txt', visibility: 'private' }));
    expect(`${privateUrl.origin}${privateUrl.pathname}`).toBe(`${server!.endpoint}/${buckets.privateBucket}/T/0/private/secret.txt`);
    expect(privateUrl.searchParams.get('X-Amz-Expires')).toBe('1800');
    expect(privateUrl.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    await expect(openStore({ privateUrlLifetime: 5 * 60 * 1000 }).downloadUrl({ key: 'T/0/p', visibility: 'private' })).resolves.toContain(
      'X-Amz-Expires=300',
    );
  });

  it('serves public blobs from publicBaseUrl (a CDN) when configured, encoding the key', async () => {
    const store = openStore({ publicBaseUrl: 'https://cdn.example.com/artifacts/' });
    await expect(store.downloadUrl({ key: "T/0/public/a b/ü+ß?#(x)'.txt", visibility: 'public' })).resolves.toBe(
      'https://cdn.example.com/artifacts/T/0/public/a%20b/%C3%BC%2B%C3%9F%3F%23%28x%29%27.txt',
    );
    const privateUrl = await store.downloadUrl({ key: 'T/0/private/a', visibility: 'private' });
    expect(privateUrl.startsWith(`${server!.endpoint}/${buckets.privateBucket}/T/0/private/a?`)).toBe(true);
    expect(() => openStore({ publicBaseUrl: 'cdn.example.com' })).toThrow(TypeError);
  });

  it('uploads by the putUrl with plain HTTP, downloads the same bytes, and deletes them', async () => {
    const store = openStore();
    for (const visibility of ['public', 'private'] as const) {
      const ref = { key: key(`${visibility === 'public' ? 'public/' : ''}dir with space/ü+ß?.bin`), visibility };
      const bytes = randomBody();
      const { putUrl } = await store.createUpload({ ...ref, contentType: 'application/octet-stream', expires: Date.now() + HOUR });
      expect((await put(putUrl, bytes, 'application/octet-stream')).status).toBe(200);
      const got = await get(await store.downloadUrl(ref));
      expect(got.status).toBe(200);
      expect(got.body.equals(bytes)).toBe(true);
      expect(got.contentType).toBe('application/octet-stream');
      expect(await exists(store, visibility, ref.key)).toBe(true);
      await store.delete(ref);
      expect(await exists(store, visibility, ref.key)).toBe(false);
      expect((await get(await store.downloadUrl(ref))).status).toBe(404);
    }
  });

  it('fails to delete from a bucket that does not exist (so expiry keeps the record)', async () => {
    const store = openStore({ privateBucket: 'tq-no-such-bucket' });
    await expect(store.delete({ key: 'T/0/private/a', visibility: 'private' })).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('configureBuckets sets the CORS rules once, so browsers may upload and download', async () => {
    const store = openStore();
    const { putUrl } = await store.createUpload({ key: key('public/cors.txt'), visibility: 'public', contentType: 'text/plain', expires: Date.now() + HOUR });
    expect((await preflight(putUrl, 'PUT')).status).toBe(403); // no CORS configuration yet

    expect((await store.configureBuckets()).sort()).toEqual([buckets.privateBucket, buckets.publicBucket].sort());
    await expect(store.configureBuckets()).resolves.toEqual([]); // already set: nothing written
    for (const bucket of [buckets.publicBucket, buckets.privateBucket]) {
      const { CORSRules } = await store.client.send(new GetBucketCorsCommand({ Bucket: bucket }));
      const { ExposeHeaders: _none, ...wanted } = ARTIFACT_CORS_RULES[0]!;
      expect(CORSRules).toEqual([expect.objectContaining(wanted)]);
    }
    for (const method of ['PUT', 'GET', 'HEAD', 'POST', 'DELETE']) {
      expect(await preflight(putUrl, method)).toEqual({ status: 200, allowOrigin: '*' });
    }
  });
});

describe('S3 artifacts through the queue, on s3rver', () => {
  it('createArtifact → PUT → getArtifact → same bytes, public and private; expiry removes object and record', async () => {
    const env = queueWithS3((now) => openStore({ now }));
    const taskId = await env.runningTask();
    const artifacts = [
      { name: 'public/build/target.tar.gz', contentType: 'application/gzip', body: randomBody(64 * 1024), signed: false },
      { name: 'private/build/secret.json', contentType: 'application/json', body: Buffer.from('{"token":"s3cr3t"}'), signed: true },
    ];

    const urls: string[] = [];
    for (const artifact of artifacts) {
      const created = await env.createS3Artifact(taskId, artifact.name, artifact.contentType, HOUR);
      expect(created).toMatchObject({ storageType: 's3', contentType: artifact.contentType });
      expect(Date.parse(created.expires)).toBe(env.clock.now() + 45 * 60 * 1000);
      expect(new URL(created.putUrl).searchParams.get('X-Amz-Expires')).toBe('2700');
      expect(await put(created.putUrl, artifact.body, artifact.contentType)).toMatchObject({ status: 200 });

      const url = await env.artifactUrl(taskId, artifact.name);
      expect(new URL(url).searchParams.has('X-Amz-Signature')).toBe(artifact.signed);
      expect(new URL(url).pathname).toContain(`/${taskId}/0/${artifact.name}`);
      const got = await get(url);
      expect(got.status).toBe(200);
      expect(got.body.equals(artifact.body)).toBe(true);
      expect(got.contentType).toBe(artifact.contentType);
      urls.push(url);
    }

    await expect(env.queue.jobs.expireArtifacts()).resolves.toEqual({ deleted: 0, failed: 0 });
    await env.clock.advance(HOUR + 1);
    await expect(env.queue.jobs.expireArtifacts()).resolves.toEqual({ deleted: 2, failed: 0 });
    for (const [i, artifact] of artifacts.entries()) {
      expect((await get(urls[i]!)).status).toBe(404);
      await expect(env.queue.getArtifact(env.root, taskId, 0, artifact.name)).rejects.toMatchObject({ code: 'ResourceNotFound' });
      expect(await env.ports.artifacts.get(taskId, 0, artifact.name)).toBeUndefined();
    }
  });

  it('keeps the record of an artifact whose object cannot be deleted, and deletes both on a later run', async () => {
    const missingBucket = `${buckets.privateBucket}-gone`;
    const env = queueWithS3((now) => openStore({ now, privateBucket: missingBucket }));
    const taskId = await env.runningTask();
    await env.createS3Artifact(taskId, 'private/log.txt', 'text/plain', HOUR);
    await env.clock.advance(HOUR + 1);
    await expect(env.queue.jobs.expireArtifacts()).resolves.toEqual({ deleted: 0, failed: 1 });
    expect(await env.ports.artifacts.get(taskId, 0, 'private/log.txt')).toBeDefined();

    await env.store.client.send(new CreateBucketCommand({ Bucket: missingBucket }));
    await expect(env.queue.jobs.expireArtifacts()).resolves.toEqual({ deleted: 1, failed: 0 });
    expect(await env.ports.artifacts.get(taskId, 0, 'private/log.txt')).toBeUndefined();
  });
});
