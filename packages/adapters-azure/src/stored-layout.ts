import { WriteConflict } from '@taskcluster-queue/core';
import type { AzureTable, AzureTables } from './table-client';

/**
 * The version of the table layout this adapter reads and writes. 2: a task group, its members
 * and its active set in one partition of `TaskGroups`; hints with their key rows in
 * `PendingHints`; a task's timers in one partition of `Timers`. Layout 1 (the first release)
 * kept members, active sets and hint keys in tables of their own.
 */
export const STORAGE_LAYOUT = 2;

/** Tables only layout 1 had: rows in any of them, and no marker, mean data of that layout. */
const LAYOUT_1_TABLES = ['TaskGroupMembers', 'TaskGroupActiveSets', 'PendingKeys'];

const MARKER = { partitionKey: 'layout', rowKey: 'version' } as const;

export class StorageLayoutMismatch extends Error {
  constructor(prefix: string, found: number) {
    super(
      `The tables with prefix ${JSON.stringify(prefix)} hold data of storage layout ${found}; this version reads and ` +
        `writes layout ${STORAGE_LAYOUT} and has no migration. Use another table prefix (AZURE_TABLE_PREFIX), or ` +
        `delete those tables (the embedded default: the data directory) to start empty.`,
    );
    this.name = 'StorageLayoutMismatch';
  }
}

const versionOf = async (marker: AzureTable): Promise<number | undefined> => {
  const row = await marker.get(MARKER.partitionKey, MARKER.rowKey);
  return row === undefined ? undefined : Number(row['layout']);
};

/**
 * Refuses to run over data of another layout; marks new storage with this one. Run at boot
 * (`ensureTables`), before any port touches a table, so old rows are never misread.
 */
export const checkStoredLayout = async (tables: AzureTables, marker: AzureTable): Promise<void> => {
  const { prefix } = tables.options;
  let found = await versionOf(marker);
  if (found === undefined) {
    for (const name of LAYOUT_1_TABLES) {
      if (await tables.table(name).holdsRows()) throw new StorageLayoutMismatch(prefix, 1);
    }
    try {
      await marker.create({ ...MARKER, layout: STORAGE_LAYOUT });
      return;
    } catch (error) {
      if (!(error instanceof WriteConflict)) throw error;
      found = await versionOf(marker); // another replica marked it first
    }
  }
  if (found !== STORAGE_LAYOUT) throw new StorageLayoutMismatch(prefix, found ?? Number.NaN);
};
