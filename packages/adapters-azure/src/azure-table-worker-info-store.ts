import { odata } from '@azure/data-tables';
import {
  WriteConflict,
  type ExpiredScan,
  type Page,
  type PageRequest,
  type Provisioner,
  type TaskQueueInfo,
  type Versioned,
  type Worker,
  type WorkerInfoStore,
} from '@taskcluster-queue/core';
import { escapeKey, prefixEnd } from './keys';
import { pagePartition } from './paging';
import { readJson, withJson, type AzureTable, type Properties } from './table-client';

export interface WorkerInfoTables {
  /** One partition (few rows, rarely written): row = provisionerId, so they list in id order. */
  readonly provisioners: AzureTable;
  /** One partition: row = taskQueueId; a provisioner's queues are the row range `<id>/…`. */
  readonly taskQueues: AzureTable;
  /** Partition taskQueueId, row `<workerGroup>\0<workerId>` (escaped). */
  readonly workers: AzureTable;
}

const PROVISIONERS = 'provisioners';
const TASK_QUEUES = 'task-queues';
const workerRow = (workerGroup: string, workerId: string) => escapeKey(`${workerGroup}\u0000${workerId}`);

/** Provisioners, task queues and workers, each written by compare-and-swap on its ETag. */
export class AzureTableWorkerInfoStore implements WorkerInfoStore {
  constructor(private readonly tables: WorkerInfoTables) {}

  async getProvisioner(provisionerId: string): Promise<Versioned<Provisioner> | undefined> {
    return this.tables.provisioners.getVersioned<Provisioner>(PROVISIONERS, escapeKey(provisionerId));
  }

  async saveProvisioner(provisioner: Provisioner, version: string | null): Promise<Versioned<Provisioner>> {
    return save(this.tables.provisioners, PROVISIONERS, escapeKey(provisioner.provisionerId), provisioner, { expires: new Date(provisioner.expires) }, version);
  }

  async listProvisioners(page: PageRequest): Promise<Page<Provisioner>> {
    return pagePartition(this.tables.provisioners, PROVISIONERS, page, (row) => readJson<Provisioner>(row));
  }

  async getTaskQueue(taskQueueId: string): Promise<Versioned<TaskQueueInfo> | undefined> {
    return this.tables.taskQueues.getVersioned<TaskQueueInfo>(TASK_QUEUES, escapeKey(taskQueueId));
  }

  async saveTaskQueue(taskQueue: TaskQueueInfo, version: string | null): Promise<Versioned<TaskQueueInfo>> {
    return save(this.tables.taskQueues, TASK_QUEUES, escapeKey(taskQueue.taskQueueId), taskQueue, { expires: new Date(taskQueue.expires) }, version);
  }

  async listTaskQueues(page: PageRequest, provisionerId?: string): Promise<Page<TaskQueueInfo>> {
    // escapeKey preserves order, so the ids starting with `<provisionerId>/` are one key range.
    const range = provisionerId === undefined ? {} : { from: escapeKey(`${provisionerId}/`), to: escapeKey(prefixEnd(`${provisionerId}/`)) };
    return pagePartition(this.tables.taskQueues, TASK_QUEUES, page, (row) => readJson<TaskQueueInfo>(row), range);
  }

  async getWorker(taskQueueId: string, workerGroup: string, workerId: string): Promise<Versioned<Worker> | undefined> {
    return this.tables.workers.getVersioned<Worker>(escapeKey(taskQueueId), workerRow(workerGroup, workerId));
  }

  async saveWorker(worker: Worker, version: string | null): Promise<Versioned<Worker>> {
    const properties = { expires: new Date(worker.expires), quarantineUntil: new Date(worker.quarantineUntil) };
    return save(this.tables.workers, escapeKey(worker.taskQueueId), workerRow(worker.workerGroup, worker.workerId), worker, properties, version);
  }

  async listWorkers(taskQueueId: string, page: PageRequest): Promise<Page<Worker>> {
    return pagePartition(this.tables.workers, escapeKey(taskQueueId), page, (row) => readJson<Worker>(row));
  }

  /**
   * Scans each table for what expired (workers quarantined past `before` are kept) and deletes it
   * on the ETag it was read with, so a record refreshed meanwhile survives and is not counted.
   */
  async deleteExpired({ before, limit }: ExpiredScan): Promise<number> {
    const date = new Date(before);
    const scans: [AzureTable, string][] = [
      [this.tables.provisioners, odata`expires lt ${date}`],
      [this.tables.taskQueues, odata`expires lt ${date}`],
      [this.tables.workers, odata`expires lt ${date} and quarantineUntil le ${date}`],
    ];
    let deleted = 0;
    for (const [table, filter] of scans) {
      if (deleted >= limit) break;
      for (const row of await table.query(filter, limit - deleted, { select: ['PartitionKey', 'RowKey'] })) {
        try {
          if (await table.delete(row.partitionKey, row.rowKey, row.etag)) deleted++;
        } catch (error) {
          if (!(error instanceof WriteConflict)) throw error;
        }
      }
    }
    return deleted;
  }
}

/** The entity of a record: its JSON, and `properties` (filterable) beside it. */
const save = <T>(table: AzureTable, partitionKey: string, rowKey: string, value: T, properties: Properties, version: string | null): Promise<Versioned<T>> =>
  table.save({ partitionKey, rowKey, ...withJson(properties, value) }, value, version);
