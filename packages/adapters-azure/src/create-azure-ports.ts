import type { QueuePorts } from '@taskcluster-queue/core';
import { AzureTableArtifactStore } from './azure-table-artifact-store';
import { AzureTableClaimStore } from './azure-table-claim-store';
import { AzureTableDependencyStore } from './azure-table-dependency-store';
import { AzureTablePendingQueue } from './azure-table-pending-queue';
import { AzureTableTaskGroupStore } from './azure-table-task-group-store';
import { AzureTableTaskStore } from './azure-table-task-store';
import { AzureTableTimerQueue } from './azure-table-timer-queue';
import { AzureTableWorkerInfoStore } from './azure-table-worker-info-store';
import { checkStoredLayout } from './stored-layout';
import { AzureTables, type TablesOptions } from './table-client';

export interface AzurePortsOptions extends TablesOptions {
  /**
   * Partitions of the claim and timer tables (1-100, default 4). Part of the stored layout: every
   * replica of one deployment must use the same number, and it cannot change while data exists.
   */
  readonly shards?: number;
}

/** The storage ports of the core; the service adds clock, ids, blobs, events, credentials, work. */
export type AzureStoragePorts = Pick<
  QueuePorts,
  'tasks' | 'taskGroups' | 'dependencies' | 'artifacts' | 'workerInfo' | 'pending' | 'claims' | 'timers'
>;

export interface AzurePorts extends AzureStoragePorts {
  readonly tasks: AzureTableTaskStore;
  readonly taskGroups: AzureTableTaskGroupStore;
  readonly dependencies: AzureTableDependencyStore;
  readonly artifacts: AzureTableArtifactStore;
  readonly workerInfo: AzureTableWorkerInfoStore;
  readonly pending: AzureTablePendingQueue;
  readonly claims: AzureTableClaimStore;
  readonly timers: AzureTableTimerQueue;
  /** The table names this prefix uses. */
  readonly tableNames: readonly string[];
  /**
   * Creates every table now (otherwise each is created on first use) and checks the stored data
   * is of this layout (`StorageLayoutMismatch` otherwise), marking new storage; run it at boot.
   */
  ensureTables(): Promise<void>;
  /** Deletes the tables of this prefix that this object created or used (tests, teardown). */
  dropTables(): Promise<void>;
}

/** Table names after the prefix. */
export const TABLES = {
  tasks: 'Tasks',
  taskGroups: 'TaskGroups',
  requirements: 'TaskRequirements',
  dependents: 'TaskDependents',
  artifacts: 'Artifacts',
  provisioners: 'Provisioners',
  taskQueues: 'TaskQueues',
  workers: 'Workers',
  pending: 'PendingHints',
  claims: 'Claims',
  timers: 'Timers',
  /** One row: the storage layout version (see stored-layout.ts). */
  layout: 'Layout',
} as const;

/** Every storage port of the core on Azure Table Storage, under one table-name prefix. */
export const createAzurePorts = (options: AzurePortsOptions): AzurePorts => {
  const shards = options.shards ?? 4;
  if (!Number.isInteger(shards) || shards < 1 || shards > 100) throw new Error(`shards must be an integer in 1..100, not ${shards}`);
  const tables = new AzureTables(options);
  const t = (name: keyof typeof TABLES) => tables.table(TABLES[name]);
  const all = Object.keys(TABLES).map((name) => t(name as keyof typeof TABLES));
  return {
    tasks: new AzureTableTaskStore(t('tasks')),
    taskGroups: new AzureTableTaskGroupStore(t('taskGroups')),
    dependencies: new AzureTableDependencyStore({ requirements: t('requirements'), dependents: t('dependents') }),
    artifacts: new AzureTableArtifactStore(t('artifacts')),
    workerInfo: new AzureTableWorkerInfoStore({ provisioners: t('provisioners'), taskQueues: t('taskQueues'), workers: t('workers') }),
    pending: new AzureTablePendingQueue(t('pending')),
    claims: new AzureTableClaimStore(t('claims'), shards),
    timers: new AzureTableTimerQueue(t('timers'), shards),
    tableNames: all.map((table) => table.name),
    ensureTables: async () => {
      await Promise.all(all.map((table) => table.ensure()));
      await checkStoredLayout(tables, t('layout'));
    },
    dropTables: async () => {
      await Promise.all(all.filter((table) => table.used).map((table) => table.drop()));
    },
  };
};
