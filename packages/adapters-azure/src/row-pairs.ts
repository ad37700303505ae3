import { WriteConflict } from '@taskcluster-queue/core';
import { FAN_OUT, mapLimit } from './concurrency';
import { TransactionConflict, type AzureTable, type Row } from './table-client';

/*
 * Row pairs: the pending hints and the due index (claims, timers) keep each item as a key row,
 * found by id, that names a second row (its property `pointer`), found by order; the second row
 * names its key row back (`keyRow`). Both are only ever written together, in one transaction,
 * and the second row exists exactly while the key row names it: deleting it guards the key's
 * delete, the compare-and-swap of a pair.
 */

const MAX_ATTEMPTS = 30;
const REMEMBERED = 10_000;

/** The second row this process last wrote per pair (bounded), so removing it needs no read. */
export class RememberedRows {
  private readonly rows = new Map<string, string>();

  remember(pair: string, rowKey: string): void {
    this.rows.delete(pair);
    this.rows.set(pair, rowKey);
    if (this.rows.size > REMEMBERED) this.rows.delete(this.rows.keys().next().value as string);
  }

  get(pair: string): string | undefined {
    return this.rows.get(pair);
  }

  /** The remembered row, forgotten (it is about to be deleted). */
  take(pair: string): string | undefined {
    const rowKey = this.rows.get(pair);
    this.rows.delete(pair);
    return rowKey;
  }
}

/**
 * Deletes the pair whose key row is `keyRow` (no-op if absent): in one transaction with `known`,
 * the second row this process wrote last, when it is still the current one; otherwise as the key
 * row names it now, reading it again whenever someone moved the pair meanwhile.
 */
export const deletePair = async (table: AzureTable, partitionKey: string, keyRow: string, pointer: string, known?: string): Promise<void> => {
  if (known !== undefined && (await tryDelete(table, partitionKey, [known, keyRow]))) return;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await table.get(partitionKey, keyRow);
    if (!current) return;
    if (await tryDelete(table, partitionKey, [current[pointer] as string, keyRow])) return;
  }
  throw new WriteConflict(`${table.name} ${partitionKey}/${keyRow}: too many concurrent writers`);
};

/** Deletes each of `rows` (second rows, read with `keyRow`) with its key row; returns how many were still there. */
export const deletePairsOf = async (table: AzureTable, rows: readonly Row[]): Promise<number> => {
  const done = await mapLimit(rows, FAN_OUT, (row) => tryDelete(table, row.partitionKey, [row.rowKey, row.keyRow as string]));
  return done.filter(Boolean).length;
};

/** Deletes `rowKeys` of a partition in one transaction; false when one was gone (moved or removed meanwhile). */
const tryDelete = async (table: AzureTable, partitionKey: string, rowKeys: readonly string[]): Promise<boolean> => {
  try {
    await table.transact(rowKeys.map((rowKey) => ['delete', { partitionKey, rowKey }]));
    return true;
  } catch (error) {
    if (error instanceof TransactionConflict) return false;
    throw error;
  }
};
