import { odata, type TransactionAction } from '@azure/data-tables';
import {
  WriteConflict,
  type ExpiredScan,
  type Page,
  type PageRequest,
  type TaskGroup,
  type TaskGroupActivity,
  type TaskGroupMember,
  type TaskGroupStore,
  type TaskGroupWrite,
  type Versioned,
} from '@taskcluster-queue/core';
import { escapeKey } from './keys';
import { pagePartition, prefixRange } from './paging';
import { readJson, TransactionConflict, versionedOf, withJson, type AzureTable, type Entity, type Row } from './table-client';

/** Row-key prefixes of a group's partition; the active rows sort right before the group row. */
const ACTIVE = 'a.';
const GROUP = 'g.';
const MEMBER = 'm.';

const activeRow = (taskId: string) => `${ACTIVE}${escapeKey(taskId)}`;
const memberRow = (taskId: string) => `${MEMBER}${escapeKey(taskId)}`;
/** The group row repeats the id (rather than a constant) only because Azurite indexes point reads by row key first. */
const groupRow = (partitionKey: string) => `${GROUP}${partitionKey}`;

/**
 * Task groups, their members and the active set, in one table: the partition of a group
 * (its taskGroupId) holds the group row `g.<id>`, one row `m.<taskId>` per member and one row
 * `a.<taskId>` per unresolved member. Member and active rows are independent, so inserts never
 * contend; and what createTask writes to a group (the group record, the member, its active mark)
 * is one entity-group transaction.
 */
export class AzureTableTaskGroupStore implements TaskGroupStore {
  constructor(private readonly table: AzureTable) {}

  private groupEntity(group: TaskGroup): Entity {
    const key = escapeKey(group.taskGroupId);
    return { partitionKey: key, rowKey: groupRow(key), ...withJson({ expires: new Date(group.expires) }, group) };
  }

  private memberEntity(member: TaskGroupMember): Entity {
    return { partitionKey: escapeKey(member.taskGroupId), rowKey: memberRow(member.taskId), ...withJson({ expires: new Date(member.expires) }, member) };
  }

  async get(taskGroupId: string): Promise<Versioned<TaskGroup> | undefined> {
    const key = escapeKey(taskGroupId);
    return this.table.getVersioned<TaskGroup>(key, groupRow(key));
  }

  async create(group: TaskGroup): Promise<Versioned<TaskGroup>> {
    return this.table.save(this.groupEntity(group), group, null);
  }

  async update(group: TaskGroup, version: string): Promise<Versioned<TaskGroup>> {
    return this.table.save(this.groupEntity(group), group, version);
  }

  async delete(taskGroupId: string, version: string): Promise<void> {
    const key = escapeKey(taskGroupId);
    await this.table.delete(key, groupRow(key), version);
  }

  /** Scans the group rows of every partition (Azure has no secondary index); daily job only. */
  async listExpired({ before, limit }: ExpiredScan): Promise<readonly Versioned<TaskGroup>[]> {
    const filter = odata`RowKey ge ${GROUP} and RowKey lt ${'g/'} and expires lt ${new Date(before)}`;
    return (await this.table.query(filter, limit)).map((row) => versionedOf<TaskGroup>(row));
  }

  async addMember(member: TaskGroupMember): Promise<void> {
    await this.table.upsert(this.memberEntity(member));
  }

  async removeMember(taskGroupId: string, taskId: string): Promise<void> {
    await this.table.delete(escapeKey(taskGroupId), memberRow(taskId));
  }

  async isMember(taskGroupId: string, taskId: string): Promise<boolean> {
    return (await this.table.get(escapeKey(taskGroupId), memberRow(taskId))) !== undefined;
  }

  async listMembers(taskGroupId: string, page: PageRequest): Promise<Page<TaskGroupMember>> {
    return pagePartition(this.table, escapeKey(taskGroupId), page, (row) => readJson<TaskGroupMember>(row), prefixRange(MEMBER));
  }

  async listExpiredMembers({ before, limit }: ExpiredScan): Promise<readonly TaskGroupMember[]> {
    const rows = await this.table.query(odata`RowKey ge ${MEMBER} and RowKey lt ${'m/'} and expires lt ${new Date(before)}`, limit);
    return rows.map((row) => readJson<TaskGroupMember>(row));
  }

  async markActive(taskGroupId: string, taskId: string): Promise<void> {
    await this.table.upsert({ partitionKey: escapeKey(taskGroupId), rowKey: activeRow(taskId) });
  }

  async markResolved(taskGroupId: string, taskId: string): Promise<void> {
    await this.table.delete(escapeKey(taskGroupId), activeRow(taskId));
  }

  async hasActive(taskGroupId: string): Promise<boolean> {
    const filter = odata`PartitionKey eq ${escapeKey(taskGroupId)} and RowKey ge ${ACTIVE} and RowKey lt ${'a/'}`;
    return (await this.table.query(filter, 1, { select: ['RowKey'] })).length > 0;
  }

  /**
   * One transaction: the group write (insert, or replace at its ETag), the member (an insert, so
   * a member already there fails it) and the active mark. When it fails, a read of the member
   * row tells a repeat (false) from a changed group (WriteConflict).
   */
  async join(member: TaskGroupMember, group?: TaskGroupWrite): Promise<boolean> {
    const partitionKey = escapeKey(member.taskGroupId);
    const actions: TransactionAction[] = [];
    if (group) {
      const entity = this.groupEntity(group.value);
      actions.push(group.version === null ? ['create', entity] : ['update', entity, 'Replace', { etag: group.version }]);
    }
    actions.push(['create', this.memberEntity(member)], ['upsert', { partitionKey, rowKey: activeRow(member.taskId) }, 'Replace']);
    try {
      await this.table.transact(actions);
      return true;
    } catch (error) {
      if (!(error instanceof TransactionConflict)) throw error;
      if (await this.table.get(partitionKey, memberRow(member.taskId))) return false;
      throw new WriteConflict(`task group ${member.taskGroupId} changed since it was read`);
    }
  }

  /**
   * Deletes the active row, then one query answers the rest: the active rows sort right before
   * the group row, so the first row from `a.` on is an active member, else the group (or nothing).
   */
  async resolveMember(taskGroupId: string, taskId: string): Promise<TaskGroupActivity> {
    const partitionKey = escapeKey(taskGroupId);
    await this.table.delete(partitionKey, activeRow(taskId));
    const filter = odata`PartitionKey eq ${partitionKey} and RowKey ge ${ACTIVE} and RowKey le ${groupRow(partitionKey)}`;
    const [first] = await this.table.query(filter, 1);
    if (!first) return { active: false };
    if (first.rowKey.startsWith(ACTIVE)) return { active: true };
    return { active: false, group: readJson<TaskGroup>(first) };
  }
}
