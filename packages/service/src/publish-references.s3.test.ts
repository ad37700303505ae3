import { GetObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createS3Client, embeddedS3Connection, startEmbeddedS3Server, type EmbeddedS3Server } from '@taskcluster-queue/adapters-s3';
import { wireSchemas } from '@taskcluster-queue/core';
import { publishReferences } from './publish-references';

describe('pnpm publish-references', () => {
  let directory: string;
  let server: EmbeddedS3Server;
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tq-references-'));
    server = await startEmbeddedS3Server({ directory, buckets: ['tq-references'] });
  });
  afterAll(async () => {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('uploads every schema and both references as JSON', async () => {
    const keys = await publishReferences({
      REFERENCES_BUCKET: 'tq-references',
      REFERENCES_PREFIX: 'queue-docs/',
      TASKCLUSTER_ROOT_URL: 'https://tc.example.com',
      S3_ENDPOINT: server.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
    expect(keys).toHaveLength(Object.keys(wireSchemas).length + 2);
    const client = createS3Client(embeddedS3Connection(server.endpoint));
    const read = async (key: string) => {
      const object = await client.send(new GetObjectCommand({ Bucket: 'tq-references', Key: key }));
      expect(object.ContentType).toBe('application/json');
      return JSON.parse(await object.Body!.transformToString()) as Record<string, unknown>;
    };
    const api = await read('queue-docs/references/queue/v1/api.json');
    expect(api).toMatchObject({ serviceName: 'queue', apiVersion: 'v1' });
    expect((api.entries as { name: string }[]).map((e) => e.name)).toContain('claimWork');
    expect(await read('queue-docs/references/queue/v1/exchanges.json')).toMatchObject({ exchangePrefix: 'exchange/taskcluster-queue/v1/' });
    expect(await read('queue-docs/schemas/queue/v1/create-task-request.json')).toMatchObject({ $id: 'v1/create-task-request.json#' });
    client.destroy();
  });

  it('names a missing bucket setting', async () => {
    await expect(publishReferences({})).rejects.toThrow('REFERENCES_BUCKET');
  });
});
