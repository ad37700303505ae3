#!/usr/bin/env node
import { toJsonSchemas } from '@taskcluster-queue/core';
import { createS3Client, publishDocuments } from '@taskcluster-queue/adapters-s3';
import { apiReference, exchangesReference, queueEndpoints } from '@taskcluster-queue/http-koa';
import { z } from 'zod';

/** `pnpm publish-references`: the JSON Schemas and the API and exchange references, to a bucket. */
const settings = z.object({
  REFERENCES_BUCKET: z.string().min(3).max(63),
  REFERENCES_PREFIX: z.string().default(''),
  TASKCLUSTER_ROOT_URL: z.url().default('http://localhost:8080'),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ENDPOINT: z.url().optional(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
});

/** Every document, keyed by its path below the root URL (as the service serves them). */
export const referenceDocuments = (rootUrl: string): Record<string, unknown> => {
  const endpoints = queueEndpoints({ startedAt: 0, version: {}, now: () => 0 });
  return {
    'references/queue/v1/api.json': apiReference(endpoints, rootUrl),
    'references/queue/v1/exchanges.json': exchangesReference(rootUrl),
    ...Object.fromEntries(Object.entries(toJsonSchemas()).map(([name, schema]) => [`schemas/queue/${name}.json`, schema])),
  };
};

export const publishReferences = async (env: Readonly<Record<string, string | undefined>>): Promise<string[]> => {
  const parsed = settings.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const config = parsed.data;
  const client = createS3Client({
    region: config.S3_REGION,
    endpoint: config.S3_ENDPOINT,
    forcePathStyle: config.S3_FORCE_PATH_STYLE === 'true',
    credentials:
      config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY }
        : undefined,
  });
  try {
    return await publishDocuments(client, config.REFERENCES_BUCKET, referenceDocuments(config.TASKCLUSTER_ROOT_URL.replace(/\/+$/, '')), config.REFERENCES_PREFIX);
  } finally {
    client.destroy();
  }
};

if (require.main === module) {
  publishReferences(process.env).then(
    (keys) => process.stdout.write(`published ${keys.length} documents\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
