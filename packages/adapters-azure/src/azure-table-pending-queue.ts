import { odata } from '@azure/data-tables';
import {
  PRIORITIES,
  WriteConflict,
  type ExpiredScan,
  type LeasedPendingEntry,
  type Page,
  type PageRequest,
  type PendingEntry,
  type PendingQueue,
} from '@taskcluster-queue/core';
import { FAN_OUT, mapLimit } from './concurrency';
import { escapeKey, padTime } from './keys';
import { pagePartition, partitionFilter, type KeyRange } from './paging';
import { deletePair, deletePairsOf, RememberedRows } from './row-pairs';
import { decodeReceipt, encodeReceipt } from './tokens';
import { readJson, TransactionConflict, withJson, type AzureTable, type Entity, type Row } from './table-client';

const NEVER = padTime(0);
const MAX_ATTEMPTS = 30;
/** How long a lease that lost rows to another claimer keeps picking rows at random. */
const CONTENTION_MS = 10_000;
/** Key rows `k.<taskId/runId>`; hint rows start with their priority's digit, so they sort before. */
const KEY = 'k.';
const HINTS: KeyRange = { to: KEY };

let sequence = 0;
/** Insertion stamp: the run's `inserted` time, then this process's add order within a millisecond. */
const stamp = (inserted: string) => `${padTime(Date.parse(inserted))}.${(sequence++ % 1e12).toString().padStart(12, '0')}`;

const runId = (taskId: string, run: number) => escapeKey(`${taskId}/${run}`);
const keyRow = (taskId: string, run: number) => `${KEY}${runId(taskId, run)}`;
const hintRow = (priority: PendingEntry['priority'], stamped: string, taskId: string, run: number) =>
  `${PRIORITIES.indexOf(priority)}.${stamped}.${runId(taskId, run)}`;

/**
 * Pending hints, one table partitioned by task queue. A queue's partition holds its hint rows in
 * claim order (priority, then insertion), so a lease reads the first visible rows and takes each by
 * an ETag-conditional update of its `leaseUntil`; and, after them, one key row per run
 * (`k.<taskId/runId>`) naming its hint row, so `remove` and `add` find a run's hint by key. A
 * hint row and its key row are only ever written together, in one entity-group transaction: each
 * exists exactly when the other does, so `add` is one request and `remove` one (no read when this
 * process leased the hint), and a crash leaves no half-written hint.
 *
 * Counting reads the keys of the queue's hint rows: exact, at one request per 1,000 hints.
 * Independent rows per hint, so no write contends with another; the partition's throughput
 * (about 2,000 entities per second on Azure) is per task queue, as upstream's per-queue limit.
 */
export class AzureTablePendingQueue implements PendingQueue {
  /** Hint rows this process added or leased, so claimWork's remove needs no read. */
  private readonly remembered = new RememberedRows();
  /** When a lease of each task queue last lost a row to another claimer. */
  private readonly contention = new Map<string, number>();

  constructor(private readonly table: AzureTable) {}

  private hintEntity(entry: PendingEntry, rowKey: string): Entity {
    return {
      partitionKey: escapeKey(entry.taskQueueId),
      rowKey,
      ...withJson({ leaseUntil: NEVER, expires: new Date(entry.expires), keyRow: keyRow(entry.taskId, entry.runId) }, entry),
    };
  }

  private keyEntity(entry: PendingEntry, stamped: string, rowKey: string): Entity {
    return { partitionKey: escapeKey(entry.taskQueueId), rowKey: keyRow(entry.taskId, entry.runId), ...withJson({ stamp: stamped, hintRow: rowKey }, entry) };
  }

  async add(entry: PendingEntry): Promise<void> {
    const partitionKey = escapeKey(entry.taskQueueId);
    const id = runId(entry.taskId, entry.runId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stamped = stamp(entry.inserted);
      const rowKey = hintRow(entry.priority, stamped, entry.taskId, entry.runId);
      try {
        await this.table.transact([
          ['create', this.keyEntity(entry, stamped, rowKey)],
          ['create', this.hintEntity(entry, rowKey)],
        ]);
        this.remembered.remember(`${partitionKey}|${id}`, rowKey);
        return;
      } catch (error) {
        if (!(error instanceof TransactionConflict)) throw error;
      }
      // The run has a hint: the same priority leaves it as it is; another moves it (same stamp).
      const key = await this.table.get(partitionKey, keyRow(entry.taskId, entry.runId));
      if (!key) continue; // removed meanwhile: insert again
      const stored = readJson<PendingEntry>(key);
      if (stored.priority === entry.priority) return;
      const moved = { ...stored, priority: entry.priority };
      const movedRow = hintRow(entry.priority, key.stamp as string, stored.taskId, stored.runId);
      try {
        await this.table.transact([
          ['update', this.keyEntity(moved, key.stamp as string, movedRow), 'Replace', { etag: key.etag }],
          ['delete', { partitionKey, rowKey: key.hintRow as string }],
          ['create', this.hintEntity(moved, movedRow)],
        ]);
        this.remembered.remember(`${partitionKey}|${id}`, movedRow);
        return;
      } catch (error) {
        if (!(error instanceof TransactionConflict)) throw error;
      }
    }
    throw new WriteConflict(`pending hint ${entry.taskId}/${entry.runId}: too many concurrent writers`);
  }

  async lease(taskQueueId: string, count: number, now: number, leaseUntil: number): Promise<readonly LeasedPendingEntry[]> {
    const partitionKey = escapeKey(taskQueueId);
    const leased: LeasedPendingEntry[] = [];
    const pageSize = Math.min(1000, Math.max(count + 32, 100));
    let after: string | undefined;
    // Strict claim order while nobody else takes the same rows; once another claimer (in this or
    // another process) is seen winning rows we were after, random rows among the first visible
    // ones, so concurrent claimers stop colliding. Remembered per queue for CONTENTION_MS.
    let contended = (this.contention.get(taskQueueId) ?? 0) > now - CONTENTION_MS;
    // Until `count` are leased or no visible row is left: concurrent leases together take every
    // visible hint (a lease that lost rows to others goes on to the next ones).
    while (leased.length < count) {
      const filter = `${partitionFilter(partitionKey, HINTS, after)} and leaseUntil le '${padTime(now)}'`;
      const rows = await this.table.query(filter, pageSize);
      const last = rows[rows.length - 1];
      if (!last) break;
      after = last.rowKey;
      let candidates = rows;
      while (candidates.length > 0 && leased.length < count) {
        if (contended) candidates = shuffle(candidates);
        const batch = candidates.slice(0, count - leased.length);
        candidates = candidates.slice(batch.length);
        const taken = await mapLimit(batch, FAN_OUT, (row) => this.take(row, leaseUntil));
        for (const hint of taken) if (hint) leased.push(hint);
        if (taken.includes(undefined)) {
          contended = true;
          this.contention.set(taskQueueId, now);
        }
      }
      if (rows.length < pageSize) break;
    }
    return leased;
  }

  private async take(row: Row, leaseUntil: number): Promise<LeasedPendingEntry | undefined> {
    try {
      const etag = await this.table.update({ partitionKey: row.partitionKey, rowKey: row.rowKey, leaseUntil: padTime(leaseUntil) }, row.etag, 'Merge');
      const entry = readJson<PendingEntry>(row);
      this.remembered.remember(`${row.partitionKey}|${runId(entry.taskId, entry.runId)}`, row.rowKey);
      return { ...entry, receipt: encodeReceipt(row.partitionKey, row.rowKey, etag) };
    } catch (error) {
      if (error instanceof WriteConflict) return undefined;
      throw error;
    }
  }

  async release(entry: LeasedPendingEntry): Promise<void> {
    const leased = decodeReceipt(entry.receipt);
    if (!leased) return;
    try {
      await this.table.update({ partitionKey: leased.partitionKey, rowKey: leased.rowKey, leaseUntil: NEVER }, leased.version, 'Merge');
    } catch (error) {
      if (!(error instanceof WriteConflict)) throw error; // leased again, moved or removed since
    }
  }

  async remove(taskQueueId: string, taskId: string, run: number): Promise<void> {
    const partitionKey = escapeKey(taskQueueId);
    // This process leased or added the hint (claimWork removes what it just leased): if it is still
    // that row (not moved by a priority change since), one transaction without a read.
    await deletePair(this.table, partitionKey, keyRow(taskId, run), 'hintRow', this.remembered.take(`${partitionKey}|${runId(taskId, run)}`));
  }

  async count(taskQueueId: string): Promise<number> {
    return this.table.count(partitionFilter(escapeKey(taskQueueId), HINTS));
  }

  async list(taskQueueId: string, page: PageRequest): Promise<Page<PendingEntry>> {
    return pagePartition(this.table, escapeKey(taskQueueId), page, (row) => readJson<PendingEntry>(row), HINTS);
  }

  /** A scan of every queue's hint rows (only they have `expires`); each goes with its key row. */
  async deleteExpired({ before, limit }: ExpiredScan): Promise<number> {
    const rows = await this.table.query(odata`expires lt ${new Date(before)}`, limit, { select: ['PartitionKey', 'RowKey', 'keyRow'] });
    return deletePairsOf(this.table, rows);
  }
}

const shuffle = <T>(items: readonly T[]): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};
