import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AZURITE_ACCOUNT, AZURITE_KEY, AzureBlobStore, createAzurePorts, startAzurite, type AzureStoragePorts } from '@taskcluster-queue/adapters-azure';
import { embeddedS3Connection, startEmbeddedS3Server, type S3BlobStoreOptions } from '@taskcluster-queue/adapters-s3';
import type { ServiceConfig } from './config';
import type { Logger } from './log';

/** Where state lives: the storage ports (none: in memory), an S3 store, and how to stop it. */
export interface Backend {
  readonly storage?: AzureStoragePorts;
  /** S3 settings of an embedded server, used when no S3 buckets are configured. */
  readonly s3?: S3BlobStoreOptions;
  /** The store of `azure` artifacts (Blob Storage), when the backend has one. */
  readonly azureBlobs?: AzureBlobStore;
  stop(): Promise<void>;
}

/** `memory`: state in this process's in-memory adapters; nothing to start or stop. */
export const MEMORY_BACKEND: Backend = { stop: async () => undefined };

const EMBEDDED_BUCKETS = { publicBucket: 'tq-public-artifacts', privateBucket: 'tq-private-artifacts' };

const azureConnection = (config: ServiceConfig) =>
  config.AZURE_STORAGE_CONNECTION_STRING
    ? { connectionString: config.AZURE_STORAGE_CONNECTION_STRING }
    : {
        accountName: config.AZURE_STORAGE_ACCOUNT!,
        accountKey: config.AZURE_STORAGE_KEY!,
        tableEndpoint: config.AZURE_TABLE_ENDPOINT ?? `https://${config.AZURE_STORAGE_ACCOUNT}.table.core.windows.net`,
      };

/** Account name, key and blob endpoint from the configuration, for `azure` artifacts. */
const blobAccount = (config: ServiceConfig) => {
  // Keys of a connection string are case-insensitive, as the table client reads them.
  const field = (name: string) => new RegExp(`(?:^|;)\\s*${name}=([^;]+)`, 'i').exec(config.AZURE_STORAGE_CONNECTION_STRING ?? '')?.[1];
  const accountName = config.AZURE_STORAGE_ACCOUNT ?? field('AccountName');
  const accountKey = config.AZURE_STORAGE_KEY ?? field('AccountKey');
  return accountName && accountKey ? { accountName, accountKey, blobEndpoint: config.AZURE_BLOB_ENDPOINT ?? field('BlobEndpoint') } : undefined;
};

const configuredAzureBlobs = async (config: ServiceConfig): Promise<AzureBlobStore | undefined> => {
  const account = blobAccount(config);
  if (!account || !config.AZURE_ARTIFACT_PUBLIC_CONTAINER || !config.AZURE_ARTIFACT_PRIVATE_CONTAINER) return undefined;
  const store = new AzureBlobStore({
    ...account,
    publicContainer: config.AZURE_ARTIFACT_PUBLIC_CONTAINER,
    privateContainer: config.AZURE_ARTIFACT_PRIVATE_CONTAINER,
  });
  await store.ensureContainers();
  return store;
};

/**
 * `memory`: nothing to start. `azure`: tables of the configured account. `embedded`: Azurite and
 * an S3 server in this process, with their data under the data directory, so `pnpm start` keeps
 * tasks and artifacts across restarts with no cloud account.
 */
export const startBackend = async (config: ServiceConfig, logger: Logger): Promise<Backend> => {
  const tables = { prefix: config.AZURE_TABLE_PREFIX, shards: config.AZURE_TABLE_SHARDS };
  if (config.QUEUE_BACKEND === 'memory') return MEMORY_BACKEND;
  if (config.QUEUE_BACKEND === 'azure') {
    const storage = createAzurePorts({ ...azureConnection(config), ...tables });
    await storage.ensureTables();
    const azureBlobs = await configuredAzureBlobs(config);
    if (!azureBlobs) logger('info', 'azure artifacts are off: they need an account name and key and both AZURE_ARTIFACT_*_CONTAINER variables');
    return { storage, azureBlobs, stop: async () => undefined };
  }
  const azuriteDir = join(config.QUEUE_DATA_DIR, 'azurite');
  const s3Dir = join(config.QUEUE_DATA_DIR, 's3');
  await Promise.all([mkdir(azuriteDir, { recursive: true }), mkdir(s3Dir, { recursive: true })]);
  const [azurite, s3] = await Promise.all([
    startAzurite({ location: azuriteDir, services: ['table', 'blob'] }),
    startEmbeddedS3Server({ directory: s3Dir, buckets: Object.values(EMBEDDED_BUCKETS), port: config.QUEUE_EMBEDDED_S3_PORT }),
  ]);
  logger('info', 'embedded storage started', { azurite: azurite.tableEndpoint, s3: s3.endpoint, dataDir: config.QUEUE_DATA_DIR });
  const storage = createAzurePorts({ connectionString: azurite.connectionString, ...tables });
  await storage.ensureTables();
  const azureBlobs = new AzureBlobStore({
    accountName: AZURITE_ACCOUNT,
    accountKey: AZURITE_KEY,
    blobEndpoint: azurite.blobEndpoint,
    publicContainer: 'tq-public-artifacts',
    privateContainer: 'tq-private-artifacts',
  });
  await azureBlobs.ensureContainers();
  return {
    storage,
    azureBlobs,
    s3: { ...embeddedS3Connection(s3.endpoint), ...EMBEDDED_BUCKETS },
    // Azurite saves its data when it closes: stop it gracefully, after everything else.
    stop: async () => {
      await Promise.all([azurite.stop(), s3.close()]);
    },
  };
};
