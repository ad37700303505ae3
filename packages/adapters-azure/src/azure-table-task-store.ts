import { odata } from '@azure/data-tables';
import type { ExpiredScan, TaskRecord, TaskStore, Versioned } from '@taskcluster-queue/core';
import { escapeKey } from './keys';
import { versionedOf, withJson, type AzureTable, type Entity } from './table-client';

/**
 * Task records. One entity per task, partitioned by taskId, so the 30,000 tasks of one group are
 * 30,000 partitions and no per-task write waits for another. The row key repeats the taskId
 * (rather than a constant) only because Azurite indexes point reads by row key first.
 *
 * The record is stored as JSON (split over several properties when large; see table-client.ts);
 * `expires` is a DateTime property for the expiry scan. The version is the entity's ETag.
 */
export class AzureTableTaskStore implements TaskStore {
  constructor(private readonly table: AzureTable) {}

  private entity(task: TaskRecord): Entity {
    const key = escapeKey(task.taskId);
    return { partitionKey: key, rowKey: key, ...withJson({ expires: new Date(task.definition.expires) }, task) };
  }

  async get(taskId: string): Promise<Versioned<TaskRecord> | undefined> {
    const key = escapeKey(taskId);
    return this.table.getVersioned<TaskRecord>(key, key);
  }

  async create(task: TaskRecord): Promise<Versioned<TaskRecord>> {
    return this.table.save(this.entity(task), task, null);
  }

  async update(task: TaskRecord, version: string): Promise<Versioned<TaskRecord>> {
    return this.table.save(this.entity(task), task, version);
  }

  async delete(taskId: string, version: string): Promise<void> {
    const key = escapeKey(taskId);
    await this.table.delete(key, key, version);
  }

  /** A scan of the whole table filtered by `expires` (Azure has no secondary index); daily job only. */
  async listExpired({ before, limit }: ExpiredScan): Promise<readonly Versioned<TaskRecord>[]> {
    const rows = await this.table.query(odata`expires lt ${new Date(before)}`, limit);
    return rows.map((row) => versionedOf<TaskRecord>(row));
  }
}
