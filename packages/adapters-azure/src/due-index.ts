import { randomBytes } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import { WriteConflict } from '@taskcluster-queue/core';
import { FAN_OUT, mapLimit } from './concurrency';
import { escapeKey, padTime } from './keys';
import { partitionFilter, prefixRange } from './paging';
import { deletePair, deletePairsOf, RememberedRows } from './row-pairs';
import { decodeReceipt, encodeReceipt } from './tokens';
import { readJson, TransactionConflict, withJson, type AzureTable, type Properties, type Row } from './table-client';

const KEY = 'k.';
const DUE = 'd.';
const NEVER = padTime(0);
const MAX_ATTEMPTS = 30;

/** A fresh generation tag: every write of a due row gives it a new row key. */
const tag = () => randomBytes(6).toString('hex');
/**
 * The generation of an item's first due row (put of an absent item), so a caller that knows the
 * due time can name that row without a read (`removalGuess`). Receipts never name it: a lease
 * always writes a tagged row.
 */
const FIRST = '0';

export interface Leased<V> {
  readonly value: V;
  readonly receipt: string;
}

/**
 * Items keyed by id, each due at a time, leasable once due: the shared machinery of the claim
 * store (due at `takenUntil`) and the timer queue (due at `due`).
 *
 * Each item is two rows in the same partition (its id's shard), so every change is one atomic
 * transaction:
 * - a key row `k.<id>` (found by id: put, remove) naming the item's current due row;
 * - a due row `d.<due>.<id>.<generation>` (found by time: lease), with `leaseUntil`.
 *
 * Due rows are never modified in place: a put, and every lease, deletes the due row and creates
 * one under a new generation, and points the key row at it, in one transaction. So a due row's
 * key is its version, and a transaction that deletes it succeeds only if nobody changed the item
 * since it was read — the compare-and-swap, without the conditional deletes Azure's transaction
 * API does not offer. A lease receipt names the due row the lease created: completing it deletes
 * that row and the key row, which fails (a no-op) once the item was replaced or leased again.
 */
export class DueIndex<V> {
  /** The due row this process last wrote per item, so `put` and `remove` can skip a read. */
  private readonly remembered = new RememberedRows();

  constructor(
    private readonly table: AzureTable,
    /** Extra (filterable) properties of the key row. */
    private readonly keyProperties: (value: V) => Properties = () => ({}),
    /** Prefix of this index's row keys after `k.` / `d.`, so several indexes can share partitions. */
    private readonly namespace = '',
  ) {}

  private keyRow = (id: string) => `${KEY}${this.namespace}${escapeKey(id)}`;
  private dueRow = (id: string, due: number, generation = tag()) => `${DUE}${this.namespace}${padTime(due)}.${escapeKey(id)}.${generation}`;

  private entities(partitionKey: string, id: string, due: number, value: V, generation?: string) {
    const dueRow = this.dueRow(id, due, generation);
    const leaseUntil = NEVER;
    const json = withJson({}, value);
    return {
      key: { partitionKey, rowKey: this.keyRow(id), dueRow, ...this.keyProperties(value), ...json },
      due: { partitionKey, rowKey: dueRow, keyRow: this.keyRow(id), leaseUntil, due: padTime(due), ...json },
    };
  }

  /** Inserts or replaces the item; a replacement voids any lease (its due row is gone). */
  async put(partitionKey: string, id: string, due: number, value: V): Promise<void> {
    const remembered = `${partitionKey}|${this.keyRow(id)}`;
    const known = this.remembered.get(remembered);
    if (known !== undefined) {
      // The due row this process wrote last (a reclaim replaces the claim it made): its delete
      // succeeds only while the key row still names it, so it guards the key's replacement.
      const next = this.entities(partitionKey, id, due, value);
      try {
        await this.table.transact([
          ['delete', { partitionKey, rowKey: known }],
          ['update', next.key, 'Replace', { etag: '*' }],
          ['create', next.due],
        ]);
        this.remembered.remember(remembered, next.due.rowKey);
        return;
      } catch (error) {
        if (!(error instanceof TransactionConflict)) throw error;
      }
    }
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = attempt === 0 ? undefined : await this.table.get(partitionKey, this.keyRow(id));
      const next = this.entities(partitionKey, id, due, value, current ? undefined : FIRST);
      const actions: TransactionAction[] = current
        ? [
            ['update', next.key, 'Replace', { etag: current.etag }],
            ['delete', { partitionKey, rowKey: current.dueRow as string }],
            ['create', next.due],
          ]
        : [
            ['create', next.key],
            ['create', next.due],
          ];
      try {
        await this.table.transact(actions);
        this.remembered.remember(remembered, next.due.rowKey);
        return;
      } catch (error) {
        if (!(error instanceof TransactionConflict)) throw error;
      }
    }
    throw new WriteConflict(`${this.table.name} ${partitionKey}/${id}: too many concurrent writers`);
  }

  /** Removes the item, leased or not (no-op if absent). */
  async remove(partitionKey: string, id: string): Promise<void> {
    const keyRow = this.keyRow(id);
    await deletePair(this.table, partitionKey, keyRow, 'dueRow', this.remembered.take(`${partitionKey}|${keyRow}`));
  }

  /**
   * Leases up to `limit` items of `partitions` due at `now` and not under a live lease, earliest
   * first: each is moved to a new due row carrying `leaseUntil`, hidden from other leases until then.
   */
  async lease(partitions: readonly string[], now: number, limit: number, leaseUntil: number): Promise<Leased<V>[]> {
    if (limit <= 0) return [];
    const range = { from: `${DUE}${this.namespace}`, to: `${DUE}${this.namespace}${padTime(now + 1)}` };
    const filter = (pk: string) => `${partitionFilter(pk, range)} and leaseUntil le '${padTime(now)}'`;
    const found = await mapLimit(partitions, FAN_OUT, (pk) => this.table.query(filter(pk), limit));
    const candidates = found.flat().sort((a, b) => (a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0));
    const leased: Leased<V>[] = [];
    for (let start = 0; start < candidates.length && leased.length < limit; ) {
      const batch = candidates.slice(start, start + (limit - leased.length));
      start += batch.length;
      const results = await mapLimit(batch, FAN_OUT, (row) => this.take(row, leaseUntil));
      for (const result of results) if (result) leased.push(result);
    }
    return leased;
  }

  private async take(row: Row, leaseUntil: number): Promise<Leased<V> | undefined> {
    const { partitionKey } = row;
    const value = readJson<V>(row);
    const keyRow = row.keyRow as string;
    const dueRow = `${row.rowKey.slice(0, row.rowKey.lastIndexOf('.'))}.${tag()}`;
    try {
      await this.table.transact([
        ['delete', { partitionKey, rowKey: row.rowKey }],
        ['create', { ...withJson({ keyRow, leaseUntil: padTime(leaseUntil), due: row.due as string }, value), partitionKey, rowKey: dueRow }],
        ['update', { partitionKey, rowKey: keyRow, dueRow }, 'Merge', { etag: '*' }],
      ]);
      this.remembered.remember(`${partitionKey}|${keyRow}`, dueRow);
      return { value, receipt: encodeReceipt(partitionKey, dueRow, keyRow) };
    } catch (error) {
      if (error instanceof TransactionConflict) return undefined; // leased or changed by someone else
      throw error;
    }
  }

  /** Removes a leased item unless it was replaced or leased again since. */
  async complete(receipt: string): Promise<void> {
    const completion = this.completion(receipt);
    if (!completion) return;
    try {
      await this.table.transact(completion.actions);
    } catch (error) {
      if (!(error instanceof TransactionConflict)) throw error;
    }
  }

  /**
   * What completing a lease deletes (its due row and the key row): a transaction of these fails
   * once the item was replaced or leased again. Undefined for a receipt this index did not issue.
   */
  completion(receipt: string): { partitionKey: string; dueRow: string; actions: TransactionAction[] } | undefined {
    const leased = decodeReceipt(receipt);
    if (!leased) return undefined;
    this.remembered.take(`${leased.partitionKey}|${leased.version}`);
    return {
      partitionKey: leased.partitionKey,
      dueRow: leased.rowKey,
      actions: [
        ['delete', { partitionKey: leased.partitionKey, rowKey: leased.rowKey }],
        ['delete', { partitionKey: leased.partitionKey, rowKey: leased.version }],
      ],
    };
  }

  /**
   * The deletes that remove item `id` if it is still as its first put left it, due at `due`
   * (never leased or replaced): no read needed; a transaction of these fails otherwise.
   */
  removalGuess(partitionKey: string, id: string, due: number): TransactionAction[] {
    return [
      ['delete', { partitionKey, rowKey: this.dueRow(id, due, FIRST) }],
      ['delete', { partitionKey, rowKey: this.keyRow(id) }],
    ];
  }

  /** The deletes that remove item `id` as it is now (one read); none when it is absent. */
  async removal(partitionKey: string, id: string): Promise<TransactionAction[]> {
    const current = await this.table.get(partitionKey, this.keyRow(id));
    if (!current) return [];
    return [
      ['delete', { partitionKey, rowKey: current.dueRow as string }],
      ['delete', { partitionKey, rowKey: current.rowKey }],
    ];
  }

  /** Deletes up to `limit` items of `partitions` due before `before`; returns how many. */
  async deleteDueBefore(partitions: readonly string[], before: number, limit: number): Promise<number> {
    let deleted = 0;
    for (const partitionKey of partitions) {
      if (deleted >= limit) break;
      const range = { from: `${DUE}${this.namespace}`, to: `${DUE}${this.namespace}${padTime(before)}` };
      const rows = await this.table.query(partitionFilter(partitionKey, range), limit - deleted, {
        select: ['PartitionKey', 'RowKey', 'keyRow'],
      });
      deleted += await deletePairsOf(this.table, rows);
    }
    return deleted;
  }

  /** The key-row filter of `partitionKey` (plus `extra`, an OData condition on key properties). */
  keyFilter(partitionKey: string, extra?: string, after?: string): string {
    const base = partitionFilter(partitionKey, prefixRange(`${KEY}${this.namespace}`), after);
    return extra ? `${base} and ${extra}` : base;
  }

  /** The value stored in a key row. */
  readonly valueOf = (row: Row): V => readJson<V>(row);
}
