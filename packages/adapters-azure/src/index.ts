export { createAzurePorts, TABLES, type AzurePorts, type AzurePortsOptions, type AzureStoragePorts } from './create-azure-ports';
export { STORAGE_LAYOUT, StorageLayoutMismatch } from './stored-layout';
export {
  AzureTables,
  AzureTable,
  RequestCounter,
  MAX_ENTITY_BYTES,
  type AzureConnectionOptions,
  type StorageRequest,
  type TablesOptions,
} from './table-client';
export { withRetry, isTransient, type RetryOptions } from './retry';
export { AzureTableTaskStore } from './azure-table-task-store';
export { AzureTableTaskGroupStore } from './azure-table-task-group-store';
export { AzureTableDependencyStore, type DependencyTables } from './azure-table-dependency-store';
export { AzureTableArtifactStore } from './azure-table-artifact-store';
export { AzureTableWorkerInfoStore, type WorkerInfoTables } from './azure-table-worker-info-store';
export { AzureTablePendingQueue } from './azure-table-pending-queue';
export { AzureTableClaimStore } from './azure-table-claim-store';
export { AzureTableTimerQueue } from './azure-table-timer-queue';
export { startAzurite, AZURITE_ACCOUNT, AZURITE_KEY, type Azurite, type AzuriteService } from './embedded-azurite';
export { AzureBlobStore, type AzureBlobStoreOptions } from './azure-blob-store';
