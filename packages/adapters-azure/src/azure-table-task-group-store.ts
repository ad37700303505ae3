import { odata } from '@azure/data-tables';
import type {
  ExpiredScan,
  Page,
  PageRequest,
  TaskGroup,
  TaskGroupMember,
  TaskGroupStore,
  Versioned,
} from '@taskcluster-queue/core';
import { escapeKey } from './keys';
import { pagePartition } from './paging';
import { readJson, withJson, type AzureTable, type Row } from './table-client';

export interface TaskGroupTables {
  /** One entity per group (partition = row key = taskGroupId). */
  readonly groups: AzureTable;
  /** Partition taskGroupId, row taskId: one independent row per member, so inserts never contend. */
  readonly members: AzureTable;
  /** Same keys; a row present = that member is unresolved. */
  readonly active: AzureTable;
}

/** Task groups (compare-and-swap on the ETag), their members, and the active set. */
export class AzureTableTaskGroupStore implements TaskGroupStore {
  constructor(private readonly tables: TaskGroupTables) {}

  private groupEntity(group: TaskGroup) {
    const key = escapeKey(group.taskGroupId);
    return { partitionKey: key, rowKey: key, ...withJson({ expires: new Date(group.expires) }, group) };
  }

  private readGroup = (row: Row): Versioned<TaskGroup> => ({ value: readJson<TaskGroup>(row), version: row.etag });

  async get(taskGroupId: string): Promise<Versioned<TaskGroup> | undefined> {
    const key = escapeKey(taskGroupId);
    const row = await this.tables.groups.get(key, key);
    return row && this.readGroup(row);
  }

  async create(group: TaskGroup): Promise<Versioned<TaskGroup>> {
    return { value: group, version: await this.tables.groups.create(this.groupEntity(group)) };
  }

  async update(group: TaskGroup, version: string): Promise<Versioned<TaskGroup>> {
    return { value: group, version: await this.tables.groups.update(this.groupEntity(group), version) };
  }

  async delete(taskGroupId: string, version: string): Promise<void> {
    const key = escapeKey(taskGroupId);
    await this.tables.groups.delete(key, key, version);
  }

  async listExpired({ before, limit }: ExpiredScan): Promise<readonly Versioned<TaskGroup>[]> {
    return (await this.tables.groups.query(odata`expires lt ${new Date(before)}`, limit)).map(this.readGroup);
  }

  async addMember(member: TaskGroupMember): Promise<void> {
    await this.tables.members.upsert({
      partitionKey: escapeKey(member.taskGroupId),
      rowKey: escapeKey(member.taskId),
      ...withJson({ expires: new Date(member.expires) }, member),
    });
  }

  async removeMember(taskGroupId: string, taskId: string): Promise<void> {
    await this.tables.members.delete(escapeKey(taskGroupId), escapeKey(taskId));
  }

  async listMembers(taskGroupId: string, page: PageRequest): Promise<Page<TaskGroupMember>> {
    return pagePartition(this.tables.members, escapeKey(taskGroupId), page, (row) => readJson<TaskGroupMember>(row));
  }

  async listExpiredMembers({ before, limit }: ExpiredScan): Promise<readonly TaskGroupMember[]> {
    const rows = await this.tables.members.query(odata`expires lt ${new Date(before)}`, limit);
    return rows.map((row) => readJson<TaskGroupMember>(row));
  }

  async markActive(taskGroupId: string, taskId: string): Promise<void> {
    await this.tables.active.upsert({ partitionKey: escapeKey(taskGroupId), rowKey: escapeKey(taskId) });
  }

  async markResolved(taskGroupId: string, taskId: string): Promise<void> {
    await this.tables.active.delete(escapeKey(taskGroupId), escapeKey(taskId));
  }

  async hasActive(taskGroupId: string): Promise<boolean> {
    const rows = await this.tables.active.query(odata`PartitionKey eq ${escapeKey(taskGroupId)}`, 1, { select: ['RowKey'] });
    return rows.length > 0;
  }
}
