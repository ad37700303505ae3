/**
 * Shared setup of this package's backend tests (kept out of the build by the `*.test-support.ts`
 * rule): the S3 servers, a queue whose s3 blobs go to an `S3BlobStore`, and HTTP helpers.
 */
// The SDK warns once per process on Node 20 that its 2027 releases need Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { embeddedS3Connection, startEmbeddedS3Server } from './embedded-s3-server';
import { createQueue, unrestrictedCaller, type Caller, type Queue } from '@taskcluster-queue/core';
import { createInMemoryPorts, randomSlugid, type FakeClock, type InMemoryPorts } from '@taskcluster-queue/core/testing';
import { S3BlobStore, type S3BlobStoreOptions } from './index';

export const MINUTE = 60 * 1000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Bucket names of one test file: 3–63 lowercase characters, unique per run. */
export const bucketNames = (prefix: string) => {
  const suffix = randomBytes(4).toString('hex');
  return { publicBucket: `${prefix}-${suffix}-public`, privateBucket: `${prefix}-${suffix}-private` };
};

export interface S3rverHandle {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** s3rver in this process on a free loopback port, in a temporary directory removed by `close`. */
export const startS3rver = async (buckets: readonly string[]): Promise<S3rverHandle> => {
  const directory = await mkdtemp(join(tmpdir(), 'tq-s3rver-'));
  try {
    const server = await startEmbeddedS3Server({ directory, buckets });
    return {
      endpoint: server.endpoint,
      close: async () => {
        await server.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
};

/** Connection options for s3rver (it checks only that the access key exists). */
export const s3rverConnection = embeddedS3Connection;

export const RGW_ENDPOINT = process.env.S3_RGW_ENDPOINT ?? 'http://127.0.0.1:7480';

/** Connection options for the Ceph RGW that scripts/rgw-up.sh starts. */
export const rgwConnection = (credentials = { accessKeyId: 'TESTAK', secretAccessKey: 'TESTSK' }) => ({
  region: 'us-east-1',
  endpoint: RGW_ENDPOINT,
  forcePathStyle: true,
  credentials,
});

/** Throws a message saying what to do when nothing answers at RGW_ENDPOINT. */
export const requireRgw = async (): Promise<void> => {
  try {
    await fetch(RGW_ENDPOINT, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    // fetch's errors come from Node's realm, not jest's: no `instanceof Error` here.
    const { message, cause } = error as { message?: string; cause?: { message?: string } };
    const reason = cause?.message ?? message ?? String(error);
    throw new Error(
      `Ceph RGW is not reachable at ${RGW_ENDPOINT} (${reason}). These tests need a real S3 server that ` +
        `checks signatures: start one with packages/adapters-s3/scripts/rgw-up.sh, or set S3_RGW_ENDPOINT.`,
    );
  }
};

export interface QueueWithS3 {
  readonly ports: InMemoryPorts;
  readonly store: S3BlobStore;
  readonly queue: Queue;
  readonly clock: FakeClock;
  readonly root: Caller;
  /** A task whose run 0 is running, ready to take artifacts. */
  runningTask(): Promise<string>;
  /** createArtifact of an s3 artifact expiring `expiresIn` from now. */
  createS3Artifact(taskId: string, name: string, contentType: string, expiresIn?: number): Promise<{ putUrl: string; expires: string; contentType: string }>;
  /** getArtifact's redirect target. */
  artifactUrl(taskId: string, name: string): Promise<string>;
}

/**
 * The core over in-memory adapters, except that s3 artifacts go to the store `makeStore` makes,
 * given the queue's (fake) clock to measure upload expiries on.
 */
export const queueWithS3 = (makeStore: (now: () => number) => S3BlobStore): QueueWithS3 => {
  const ports = createInMemoryPorts();
  const store = makeStore(() => ports.clock.now());
  const queue = createQueue({ ...ports, blobs: { ...ports.blobs, s3: store } }, { claimWorkWait: 0 });
  const root = unrestrictedCaller;
  const iso = (ms: number) => new Date(ms).toISOString();

  const runningTask = async (): Promise<string> => {
    const taskId = randomSlugid();
    const now = ports.clock.now();
    await queue.createTask(root, taskId, {
      taskQueueId: 'prov/s3-tests',
      created: iso(now),
      deadline: iso(now + DAY),
      expires: iso(now + 30 * DAY),
      payload: {},
      metadata: { name: 's3 artifacts', description: 'adapters-s3 test', owner: 'me@example.com', source: 'https://example.com/src' },
    });
    const { tasks } = await queue.claimWork(root, 'prov/s3-tests', { workerGroup: 'wg', workerId: 'w1', tasks: 1 });
    if (tasks[0]?.status.taskId !== taskId) throw new Error('runningTask: the task was not claimed');
    return taskId;
  };

  const createS3Artifact = async (taskId: string, name: string, contentType: string, expiresIn = HOUR) => {
    const response = await queue.createArtifact(root, taskId, 0, name, {
      storageType: 's3',
      expires: iso(ports.clock.now() + expiresIn),
      contentType,
    });
    if (response.storageType !== 's3' || !('putUrl' in response)) throw new Error(`unexpected createArtifact response ${JSON.stringify(response)}`);
    return response;
  };

  const artifactUrl = async (taskId: string, name: string): Promise<string> => {
    const result = await queue.getArtifact(root, taskId, 0, name);
    if (result.kind !== 'redirect') throw new Error(`getArtifact: expected a redirect, got ${JSON.stringify(result)}`);
    return result.url;
  };

  return { ports, store, queue, clock: ports.clock, root, runningTask, createS3Artifact, artifactUrl };
};

/** A plain HTTP PUT, as a worker uploads to its putUrl. */
export const put = async (url: string, body: string | Uint8Array, contentType: string) => {
  const response = await fetch(url, { method: 'PUT', body, headers: { 'content-type': contentType } });
  return { status: response.status, text: await response.text() };
};

/** A plain HTTP GET; the status and the body's bytes. */
export const get = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') };
};

/** A CORS preflight, as a browser sends it before uploading to a putUrl. */
export const preflight = async (url: string, method: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin: 'https://tc.example.com', 'access-control-request-method': method, 'access-control-request-headers': 'content-type' },
  }).then(async (response) => {
    await response.arrayBuffer();
    return { status: response.status, allowOrigin: response.headers.get('access-control-allow-origin') };
  });

export const randomBody = (bytes = 4096): Buffer => randomBytes(bytes);

export type { S3BlobStoreOptions };
