import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createAzurePorts, startAzurite, type AzureStoragePorts } from '@taskcluster-queue/adapters-azure';
import { embeddedS3Connection, startEmbeddedS3Server, type S3BlobStoreOptions } from '@taskcluster-queue/adapters-s3';
import type { ServiceConfig } from './config';
import type { Logger } from './log';

/** Where state lives: the storage ports (none: in memory), an S3 store, and how to stop it. */
export interface Backend {
  readonly storage?: AzureStoragePorts;
  /** S3 settings of an embedded server, used when no S3 buckets are configured. */
  readonly s3?: S3BlobStoreOptions;
  stop(): Promise<void>;
}

export const EMBEDDED_BUCKETS = { publicBucket: 'tq-public-artifacts', privateBucket: 'tq-private-artifacts' };

const azureConnection = (config: ServiceConfig) =>
  config.AZURE_STORAGE_CONNECTION_STRING
    ? { connectionString: config.AZURE_STORAGE_CONNECTION_STRING }
    : {
        accountName: config.AZURE_STORAGE_ACCOUNT!,
        accountKey: config.AZURE_STORAGE_KEY!,
        tableEndpoint: config.AZURE_TABLE_ENDPOINT ?? `https://${config.AZURE_STORAGE_ACCOUNT}.table.core.windows.net`,
      };

/**
 * `memory`: nothing to start. `azure`: tables of the configured account. `embedded`: Azurite and
 * an S3 server in this process, with their data under the data directory, so `pnpm start` keeps
 * tasks and artifacts across restarts with no cloud account.
 */
export const startBackend = async (config: ServiceConfig, logger: Logger): Promise<Backend> => {
  const tables = { prefix: config.AZURE_TABLE_PREFIX, shards: config.AZURE_TABLE_SHARDS };
  if (config.QUEUE_BACKEND === 'memory') return { stop: async () => undefined };
  if (config.QUEUE_BACKEND === 'azure') {
    const storage = createAzurePorts({ ...azureConnection(config), ...tables });
    await storage.ensureTables();
    return { storage, stop: async () => undefined };
  }
  const azuriteDir = join(config.QUEUE_DATA_DIR, 'azurite');
  const s3Dir = join(config.QUEUE_DATA_DIR, 's3');
  await Promise.all([mkdir(azuriteDir, { recursive: true }), mkdir(s3Dir, { recursive: true })]);
  const [azurite, s3] = await Promise.all([
    startAzurite({ location: azuriteDir }),
    startEmbeddedS3Server({ directory: s3Dir, buckets: Object.values(EMBEDDED_BUCKETS), port: config.QUEUE_EMBEDDED_S3_PORT }),
  ]);
  logger('info', 'embedded storage started', { azurite: azurite.tableEndpoint, s3: s3.endpoint, dataDir: config.QUEUE_DATA_DIR });
  const storage = createAzurePorts({ connectionString: azurite.connectionString, ...tables });
  await storage.ensureTables();
  return {
    storage,
    s3: { ...embeddedS3Connection(s3.endpoint), ...EMBEDDED_BUCKETS },
    // Azurite saves its data when it closes: stop it gracefully, after everything else.
    stop: async () => {
      await Promise.all([azurite.stop(), s3.close()]);
    },
  };
};
