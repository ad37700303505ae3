import { odata } from '@azure/data-tables';
import { WriteConflict, type Dependency, type DependencyStore, type ExpiredScan, type Page, type PageRequest } from '@taskcluster-queue/core';
import type { TransactionAction } from '@azure/data-tables';
import { FAN_OUT, mapLimit } from './concurrency';
import { escapeKey } from './keys';
import { pagePartition } from './paging';
import { TransactionConflict, type AzureTable, type Entity, type Row } from './table-client';

export interface DependencyTables {
  /** Partition dependentTaskId, row requiredTaskId: what a task waits for (`isBlocked`). */
  readonly requirements: AzureTable;
  /** Partition requiredTaskId, row dependentTaskId: who waits for a task (`listDependents`). */
  readonly dependents: AzureTable;
}

const BATCH = 100;

/**
 * Dependency edges, stored once from each end. Writes go to `requirements` first and are removed
 * from it last, so a crash half-way leaves a requirement row (which the expiry scan, reading that
 * table, still finds) and never a dependents row nothing would clean up.
 */
export class AzureTableDependencyStore implements DependencyStore {
  constructor(private readonly tables: DependencyTables) {}

  private entity(partitionKey: string, rowKey: string, edge: Dependency): Entity {
    return {
      partitionKey: escapeKey(partitionKey),
      rowKey: escapeKey(rowKey),
      dependentTaskId: edge.dependentTaskId,
      requiredTaskId: edge.requiredTaskId,
      require: edge.require,
      satisfied: edge.satisfied,
      expires: new Date(edge.expires),
      expiresAt: edge.expires,
    };
  }

  private read = (row: Row): Dependency => ({
    dependentTaskId: row.dependentTaskId as string,
    requiredTaskId: row.requiredTaskId as string,
    require: row.require as Dependency['require'],
    satisfied: row.satisfied === true,
    expires: row.expiresAt as string,
  });

  async add(edges: readonly Dependency[]): Promise<void> {
    const byDependent = new Map<string, Dependency[]>();
    for (const edge of edges) {
      const list = byDependent.get(edge.dependentTaskId) ?? [];
      if (!list.some((e) => e.requiredTaskId === edge.requiredTaskId)) list.push(edge);
      byDependent.set(edge.dependentTaskId, list);
    }
    for (const [dependent, list] of byDependent) {
      for (let i = 0; i < list.length; i += BATCH) {
        const batch = list.slice(i, i + BATCH);
        await this.insertAll(this.tables.requirements, batch.map((e) => this.entity(dependent, e.requiredTaskId, e)));
      }
    }
    await mapLimit([...byDependent.values()].flat(), FAN_OUT, (edge) =>
      insertIfAbsent(this.tables.dependents, this.entity(edge.requiredTaskId, edge.dependentTaskId, edge)),
    );
  }

  /** Inserts rows of one partition in one transaction; when some exist, each absent one alone. */
  private async insertAll(table: AzureTable, entities: Entity[]): Promise<void> {
    try {
      await table.transact(entities.map((entity): TransactionAction => ['create', entity]));
    } catch (error) {
      if (!(error instanceof TransactionConflict)) throw error;
      await mapLimit(entities, FAN_OUT, (entity) => insertIfAbsent(table, entity));
    }
  }

  async satisfy(dependentTaskId: string, requiredTaskId: string): Promise<void> {
    const [dependent, required] = [escapeKey(dependentTaskId), escapeKey(requiredTaskId)];
    await Promise.all([
      mergeIfPresent(this.tables.requirements, { partitionKey: dependent, rowKey: required, satisfied: true }),
      mergeIfPresent(this.tables.dependents, { partitionKey: required, rowKey: dependent, satisfied: true }),
    ]);
  }

  async isBlocked(dependentTaskId: string): Promise<boolean> {
    const filter = odata`PartitionKey eq ${escapeKey(dependentTaskId)} and satisfied eq ${false}`;
    return (await this.tables.requirements.query(filter, 1, { select: ['RowKey'] })).length > 0;
  }

  async listDependents(requiredTaskId: string, page: PageRequest): Promise<Page<Dependency>> {
    return pagePartition(this.tables.dependents, escapeKey(requiredTaskId), page, this.read);
  }

  async removeDependent(dependentTaskId: string): Promise<void> {
    const rows = await this.tables.requirements.query(odata`PartitionKey eq ${escapeKey(dependentTaskId)}`, Number.MAX_SAFE_INTEGER);
    await mapLimit(rows, FAN_OUT, (row) => this.remove(this.read(row)));
  }

  private async remove(edge: Dependency): Promise<void> {
    await this.tables.dependents.delete(escapeKey(edge.requiredTaskId), escapeKey(edge.dependentTaskId));
    await this.tables.requirements.delete(escapeKey(edge.dependentTaskId), escapeKey(edge.requiredTaskId));
  }

  async deleteExpired({ before, limit }: ExpiredScan): Promise<number> {
    const rows = await this.tables.requirements.query(odata`expires lt ${new Date(before)}`, limit);
    await mapLimit(rows, FAN_OUT, (row) => this.remove(this.read(row)));
    return rows.length;
  }
}

const insertIfAbsent = async (table: AzureTable, entity: Entity): Promise<void> => {
  try {
    await table.create(entity);
  } catch (error) {
    if (!(error instanceof WriteConflict)) throw error;
  }
};

const mergeIfPresent = async (table: AzureTable, entity: Entity): Promise<void> => {
  try {
    await table.update(entity, '*', 'Merge');
  } catch (error) {
    if (!(error instanceof WriteConflict)) throw error;
  }
};
