import {
  bucketNames,
  get,
  HOUR,
  preflight,
  put,
  queueWithS3,
  randomBody,
  requireRgw,
  RGW_ENDPOINT,
  rgwConnection,
} from './s3-servers.test-support';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { S3BlobStore, type S3BlobStoreOptions } from './index';

// What s3rver cannot show, against Ceph RGW (scripts/rgw-up.sh): S3 checks the signatures and
// expiry of the URLs this store makes. RGW creates its pools lazily, so its first calls take
// seconds: generous timeouts, and no assertion on time anywhere.
jest.setTimeout(120_000);

const buckets = bucketNames('tq-rgw');
let admin: S3BlobStore | undefined;
const opened: S3BlobStore[] = [];

const openStore = (extra: Partial<S3BlobStoreOptions> = {}): S3BlobStore => {
  const store = new S3BlobStore({ ...rgwConnection(), ...buckets, ...extra });
  opened.push(store);
  return store;
};

beforeAll(async () => {
  await requireRgw();
  admin = new S3BlobStore({ ...rgwConnection(), ...buckets });
  for (const bucket of [buckets.publicBucket, buckets.privateBucket]) {
    await admin.client.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  // What the deployment does for the public bucket (the queue only sets CORS): anyone may read.
  await admin.client.send(
    new PutBucketPolicyCommand({
      Bucket: buckets.publicBucket,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: ['*'] }, Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${buckets.publicBucket}/*`] },
        ],
      }),
    }),
  );
});

afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

const emptyAndDelete = async (client: S3Client, bucket: string) => {
  for (;;) {
    const { Contents = [], IsTruncated } = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    for (const { Key } of Contents) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
    if (!IsTruncated) break;
  }
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
};

afterAll(async () => {
  if (!admin) return;
  try {
    for (const bucket of [buckets.publicBucket, buckets.privateBucket]) {
      await emptyAndDelete(admin.client, bucket).catch((error: { name?: string }) => {
        if (error.name !== 'NoSuchBucket') throw error;
      });
    }
  } finally {
    admin.close();
    admin = undefined;
  }
});

const exists = async (visibility: 'public' | 'private', key: string): Promise<boolean> => {
  try {
    await admin!.client.send(new HeadObjectCommand({ Bucket: admin!.bucketOf(visibility), Key: key }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound') return false;
    throw error;
  }
};

const newKey = (name: string) => `${Math.random().toString(36).slice(2)}/0/${name}`;

/** The same URL with one query parameter replaced. */
const withParam = (url: string, name: string, value: string): string => {
  const changed = new URL(url);
  changed.searchParams.set(name, value);
  return changed.toString();
};
/** The same URL with the last hex digit of its signature changed. */
const tamperedSignature = (url: string): string => {
  const signature = new URL(url).searchParams.get('X-Amz-Signature')!;
  const last = signature.at(-1) === '0' ? '1' : '0';
  return withParam(url, 'X-Amz-Signature', signature.slice(0, -1) + last);
};
/** The same URL (signature included) for another key. */
const withKey = (url: string, from: string, to: string): string => url.replace(`/${from}?`, `/${to}?`);
const unsigned = (url: string): string => url.split('?')[0]!;

/** Waits until an X-Amz-Date/X-Amz-Expires URL is past its expiry (plus a margin), by the wall clock. */
const outlive = async (url: string) => {
  const params = new URL(url).searchParams;
  const date = params.get('X-Amz-Date')!.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z');
  const expiry = Date.parse(date) + Number(params.get('X-Amz-Expires')) * 1000;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiry - Date.now()) + 1500));
};

describe(`S3BlobStore on Ceph RGW (${RGW_ENDPOINT})`, () => {
  it('uploads by the putUrl and reads by the download URL, public and private (the baseline)', async () => {
    const store = openStore();
    for (const visibility of ['public', 'private'] as const) {
      const ref = { key: newKey(`${visibility === 'public' ? 'public/' : ''}dir with space/ü+ß?.bin`), visibility };
      const bytes = randomBody();
      const { putUrl } = await store.createUpload({ ...ref, contentType: 'application/octet-stream', expires: Date.now() + HOUR });
      expect(await put(putUrl, bytes, 'application/octet-stream')).toMatchObject({ status: 200 });
      const got = await get(await store.downloadUrl(ref));
      expect(got.status).toBe(200);
      expect(got.body.equals(bytes)).toBe(true);
    }
  });

  it('refuses a tampered putUrl: signature, key, expiry or content type changed', async () => {
    const store = openStore();
    const ref = { key: newKey('private/upload.txt'), visibility: 'private' as const };
    const { putUrl } = await store.createUpload({ ...ref, contentType: 'text/plain', expires: Date.now() + HOUR });
    const otherKey = newKey('private/elsewhere.txt');

    expect((await put(tamperedSignature(putUrl), 'x', 'text/plain')).status).toBe(403);
    expect((await put(withKey(putUrl, ref.key, otherKey), 'x', 'text/plain')).status).toBe(403);
    expect((await put(withParam(putUrl, 'X-Amz-Expires', '604800'), 'x', 'text/plain')).status).toBe(403);
    expect((await put(putUrl, 'x', 'text/html')).status).toBe(403);
    expect(await exists('private', ref.key)).toBe(false);
    expect(await exists('private', otherKey)).toBe(false);

    expect((await put(putUrl, 'fine', 'text/plain')).status).toBe(200);
    expect(await exists('private', ref.key)).toBe(true);
  });

  it('refuses a tampered download URL: signature, key or expiry changed', async () => {
    const store = openStore();
    const [mine, theirs] = [newKey('private/mine.txt'), newKey('private/theirs.txt')];
    for (const key of [mine, theirs]) {
      const { putUrl } = await store.createUpload({ key, visibility: 'private', contentType: 'text/plain', expires: Date.now() + HOUR });
      expect((await put(putUrl, `bytes of ${key}`, 'text/plain')).status).toBe(200);
    }
    const url = await store.downloadUrl({ key: mine, visibility: 'private' });
    expect((await get(url)).status).toBe(200);
    expect((await get(tamperedSignature(url))).status).toBe(403);
    expect((await get(withKey(url, mine, theirs))).status).toBe(403);
    expect((await get(withParam(url, 'X-Amz-Expires', '604800'))).status).toBe(403);
  });

  it('refuses expired presigned URLs, for upload and for download', async () => {
    const store = openStore({ privateUrlLifetime: 1000 });
    const ref = { key: newKey('private/short-lived.txt'), visibility: 'private' as const };
    const { putUrl: shortPutUrl } = await store.createUpload({ ...ref, contentType: 'text/plain', expires: Date.now() + 2000 });
    const { putUrl } = await store.createUpload({ ...ref, contentType: 'text/plain', expires: Date.now() + HOUR });
    expect((await put(putUrl, 'bytes', 'text/plain')).status).toBe(200);
    const shortGetUrl = await store.downloadUrl(ref);
    expect(new URL(shortGetUrl).searchParams.get('X-Amz-Expires')).toBe('1');

    await outlive(shortPutUrl);
    await outlive(shortGetUrl);
    expect((await put(shortPutUrl, 'late', 'text/plain')).status).toBe(403);
    expect((await get(shortGetUrl)).status).toBe(403);
    // The object is untouched and still readable by a fresh URL.
    const fresh = await get(await openStore().downloadUrl(ref));
    expect(fresh).toMatchObject({ status: 200 });
    expect(fresh.body.toString()).toBe('bytes');
  });

  it('keeps private objects private: no unsigned read, no read signed by a wrong secret', async () => {
    const store = openStore();
    const ref = { key: newKey('private/secret.txt'), visibility: 'private' as const };
    const { putUrl } = await store.createUpload({ ...ref, contentType: 'text/plain', expires: Date.now() + HOUR });
    expect((await put(putUrl, 's3cr3t', 'text/plain')).status).toBe(200);
    const url = await store.downloadUrl(ref);
    expect((await get(url)).status).toBe(200);
    expect((await get(unsigned(url))).status).toBe(403);

    const forger = openStore({ credentials: { accessKeyId: 'TESTAK', secretAccessKey: 'not-the-secret' } });
    expect((await get(await forger.downloadUrl(ref))).status).toBe(403);
    const { putUrl: forgedPut } = await forger.createUpload({ ...ref, contentType: 'text/plain', expires: Date.now() + HOUR });
    expect((await put(forgedPut, 'overwritten', 'text/plain')).status).toBe(403);
    expect((await get(url)).body.toString()).toBe('s3cr3t');
  });

  it('configureBuckets sets CORS rules RGW answers preflights with', async () => {
    const store = openStore();
    const { putUrl } = await store.createUpload({ key: newKey('public/cors.txt'), visibility: 'public', contentType: 'text/plain', expires: Date.now() + HOUR });
    expect((await preflight(putUrl, 'PUT')).allowOrigin).toBeNull(); // no CORS configuration yet
    await store.configureBuckets();
    await expect(store.configureBuckets()).resolves.toEqual([]);
    for (const method of ['PUT', 'GET', 'HEAD', 'POST', 'DELETE']) {
      const answer = await preflight(putUrl, method);
      expect(answer.status).toBe(200);
      // RGW echoes the origin where S3 answers `*`; both allow it.
      expect(['*', 'https://tc.example.com']).toContain(answer.allowOrigin);
    }
  });
});

describe(`S3 artifacts through the queue, on Ceph RGW (${RGW_ENDPOINT})`, () => {
  it('a private artifact is read only by its signed URL; a public one by its plain URL; expiry removes both', async () => {
    const env = queueWithS3((now) => openStore({ now }));
    const taskId = await env.runningTask();
    const artifacts = [
      { name: 'public/logs/live.log', body: randomBody(), signed: false },
      { name: 'private/logs/secret.log', body: randomBody(), signed: true },
    ];
    for (const artifact of artifacts) {
      const { putUrl } = await env.createS3Artifact(taskId, artifact.name, 'text/plain', HOUR);
      expect((await put(putUrl, artifact.body, 'text/plain')).status).toBe(200);
      const url = await env.artifactUrl(taskId, artifact.name);
      const got = await get(url);
      expect(got.status).toBe(200);
      expect(got.body.equals(artifact.body)).toBe(true);
      expect((await get(unsigned(url))).status).toBe(artifact.signed ? 403 : 200);
    }

    await env.clock.advance(HOUR + 1);
    await expect(env.queue.jobs.expireArtifacts()).resolves.toEqual({ deleted: 2, failed: 0 });
    for (const artifact of artifacts) {
      const visibility = artifact.signed ? 'private' : 'public';
      expect(await exists(visibility, `${taskId}/0/${artifact.name}`)).toBe(false);
      expect(await env.ports.artifacts.get(taskId, 0, artifact.name)).toBeUndefined();
    }
  });
});
