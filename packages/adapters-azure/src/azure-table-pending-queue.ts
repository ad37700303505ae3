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
import { pagePartition, partitionFilter } from './paging';
import { decodeReceipt, encodeReceipt } from './tokens';
import { readJson, withJson, type AzureTable, type Entity, type Row } from './table-client';

export interface PendingTables {
  /** Partition taskQueueId, row `<priority>.<inserted>.<seq>.<taskId/runId>`: claim order. */
  readonly hints: AzureTable;
  /** Partition taskId, row `<taskId/runId>`: where the hint of a run is (for add and remove by run). */
  readonly keys: AzureTable;
}

const NEVER = padTime(0);
const MAX_ATTEMPTS = 30;
/** Remembered hint locations (from add and lease), to clean up a hint whose key row is gone. */
const REMEMBERED = 10_000;
const CONTENTION_MS = 10_000;

let sequence = 0;
/** Insertion stamp: the run's `inserted` time, then this process's add order within a millisecond. */
const stamp = (inserted: string) => `${padTime(Date.parse(inserted))}.${(sequence++ % 1e12).toString().padStart(12, '0')}`;

const runId = (taskId: string, run: number) => escapeKey(`${taskId}/${run}`);
const hintRow = (priority: PendingEntry['priority'], stamped: string, taskId: string, run: number) =>
  `${PRIORITIES.indexOf(priority)}.${stamped}.${runId(taskId, run)}`;

/**
 * Pending hints on two tables. The hint rows of a task queue are one partition ordered by claim
 * order (priority, then insertion), so a lease reads the first visible rows of one partition and
 * takes each by an ETag-conditional update of its `leaseUntil`. The key rows, one per run, say
 * where its hint row is, so `remove(taskId, runId)` and `add` find it without knowing the queue.
 *
 * Azure tables have no transactions across partitions, so the key row is the authority and is
 * written first: every hint row that may exist is named by its key row (`hintRow`, or `prevRow`
 * while a priority change moves the hint). A crash can leave a key row naming a missing hint row
 * (the hint is lost, which the idempotent retry of the same call repairs: `add` recreates a
 * missing hint row), never a hint row nothing knows about.
 *
 * Counting reads the keys of the queue's partition: exact, at one request per 1,000 hints.
 * Independent rows per hint, so no write contends with another; the partition's throughput
 * (about 2,000 operations per second on Azure) is per task queue, as upstream's per-queue limit.
 */
export class AzureTablePendingQueue implements PendingQueue {
  private readonly remembered = new Map<string, { partitionKey: string; rowKey: string }>();
  /** When a lease of each task queue last lost a row to another claimer. */
  private readonly contention = new Map<string, number>();

  constructor(private readonly tables: PendingTables) {}

  private remember(id: string, partitionKey: string, rowKey: string): void {
    this.remembered.delete(id);
    this.remembered.set(id, { partitionKey, rowKey });
    if (this.remembered.size > REMEMBERED) this.remembered.delete(this.remembered.keys().next().value as string);
  }

  private hintEntity(entry: PendingEntry, rowKey: string): Entity {
    return {
      partitionKey: escapeKey(entry.taskQueueId),
      rowKey,
      ...withJson({ leaseUntil: NEVER, expires: new Date(entry.expires), keyRow: runId(entry.taskId, entry.runId) }, entry),
    };
  }

  private keyEntity(entry: PendingEntry, stamped: string, rowKey: string, prevRow: string): Entity {
    return {
      partitionKey: escapeKey(entry.taskId),
      rowKey: runId(entry.taskId, entry.runId),
      ...withJson({ stamp: stamped, hintRow: rowKey, prevRow }, entry),
    };
  }

  /** Creates a hint row, tolerating one already there (a retry after a crash). */
  private async createHint(entity: Entity): Promise<void> {
    try {
      await this.tables.hints.create(entity);
    } catch (error) {
      if (!(error instanceof WriteConflict)) throw error;
    }
  }

  async add(entry: PendingEntry): Promise<void> {
    const id = runId(entry.taskId, entry.runId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stamped = stamp(entry.inserted);
      const rowKey = hintRow(entry.priority, stamped, entry.taskId, entry.runId);
      try {
        await this.tables.keys.create(this.keyEntity(entry, stamped, rowKey, ''));
        await this.createHint(this.hintEntity(entry, rowKey));
        this.remember(id, escapeKey(entry.taskQueueId), rowKey);
        return;
      } catch (error) {
        if (!(error instanceof WriteConflict)) throw error;
      }
      const current = await this.tables.keys.get(escapeKey(entry.taskId), id);
      if (!current) continue; // removed meanwhile: insert again
      try {
        await (readJson<PendingEntry>(current).priority === entry.priority ? this.repair(current) : this.move(current, entry.priority));
        return;
      } catch (error) {
        if (!(error instanceof WriteConflict)) throw error;
      }
    }
    throw new WriteConflict(`pending hint ${entry.taskId}/${entry.runId}: too many concurrent writers`);
  }

  /** The same hint again: nothing changes, unless a crash lost its hint row, which comes back. */
  private async repair(key: Row): Promise<void> {
    const stored = readJson<PendingEntry>(key);
    const partitionKey = escapeKey(stored.taskQueueId);
    if (await this.tables.hints.get(partitionKey, key.hintRow as string)) return;
    const entity = this.hintEntity(stored, key.hintRow as string);
    await this.createHint(entity);
    try {
      // Touch the key: a `remove` that read it before our insert now fails and looks again.
      await this.tables.keys.update(this.keyEntity(stored, key.stamp as string, key.hintRow as string, key.prevRow as string), key.etag);
    } catch (error) {
      await this.tables.hints.delete(partitionKey, entity.rowKey); // removed meanwhile: undo
      throw error;
    }
  }

  /** A new priority: the key row names the new hint row first, then the hint moves (same stamp). */
  private async move(key: Row, priority: PendingEntry['priority']): Promise<void> {
    const stored = readJson<PendingEntry>(key);
    const partitionKey = escapeKey(stored.taskQueueId);
    if (key.prevRow) await this.tables.hints.delete(partitionKey, key.prevRow as string); // left by a crash
    const moved = { ...stored, priority };
    const rowKey = hintRow(priority, key.stamp as string, stored.taskId, stored.runId);
    const etag = await this.tables.keys.update(this.keyEntity(moved, key.stamp as string, rowKey, key.hintRow as string), key.etag);
    await this.tables.hints.upsert(this.hintEntity(moved, rowKey));
    await this.tables.hints.delete(partitionKey, key.hintRow as string);
    this.remember(runId(stored.taskId, stored.runId), partitionKey, rowKey);
    try {
      await this.tables.keys.update(this.keyEntity(moved, key.stamp as string, rowKey, ''), etag);
    } catch (error) {
      if (!(error instanceof WriteConflict)) throw error; // changed again meanwhile: it has its own prevRow
    }
  }

  async lease(taskQueueId: string, count: number, now: number, leaseUntil: number): Promise<readonly LeasedPendingEntry[]> {
    const partitionKey = escapeKey(taskQueueId);
    const leased: LeasedPendingEntry[] = [];
    const pageSize = Math.min(1000, Math.max(count + 32, 100));
    let after: string | undefined;
    // Strict claim order while nobody else takes the same rows; once another claimer (in this or
    // another process) is seen winning rows we were after, random rows among the first visible
    // ones, so concurrent claimers stop colliding. Remembered per queue for CONTENTION_MS.
    let contended = (this.contention.get(taskQueueId) ?? 0) > Date.now() - CONTENTION_MS;
    // Until `count` are leased or no visible row is left: concurrent leases together take every
    // visible hint (a lease that lost rows to others goes on to the next ones).
    while (leased.length < count) {
      const filter = `${partitionFilter(partitionKey, {}, after)} and leaseUntil le '${padTime(now)}'`;
      const rows = await this.tables.hints.query(filter, pageSize);
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
          this.contention.set(taskQueueId, Date.now());
        }
      }
      if (rows.length < pageSize) break;
    }
    return leased;
  }

  private async take(row: Row, leaseUntil: number): Promise<LeasedPendingEntry | undefined> {
    try {
      const etag = await this.tables.hints.update({ partitionKey: row.partitionKey, rowKey: row.rowKey, leaseUntil: padTime(leaseUntil) }, row.etag, 'Merge');
      const entry = readJson<PendingEntry>(row);
      this.remember(runId(entry.taskId, entry.runId), row.partitionKey, row.rowKey);
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
      await this.tables.hints.update({ partitionKey: leased.partitionKey, rowKey: leased.rowKey, leaseUntil: NEVER }, leased.version, 'Merge');
    } catch (error) {
      if (!(error instanceof WriteConflict)) throw error; // leased again, moved or removed since
    }
  }

  async remove(_taskQueueId: string, taskId: string, run: number): Promise<void> {
    const id = runId(taskId, run);
    const known = this.remembered.get(id);
    this.remembered.delete(id);
    if (known) {
      // This process leased or added the hint (claimWork removes what it just leased): delete that
      // row, then the key, without reading the key first. Should a concurrent priority change have
      // moved the hint meanwhile, the moved row outlives its key until someone leases it, and
      // removes it by the location the lease remembers, like this.
      await this.tables.hints.delete(known.partitionKey, known.rowKey);
      await this.tables.keys.delete(escapeKey(taskId), id);
      return;
    }
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const key = await this.tables.keys.get(escapeKey(taskId), id);
      const rows = new Map<string, { partitionKey: string; rowKey: string }>();
      if (key) {
        const partitionKey = escapeKey(readJson<PendingEntry>(key).taskQueueId);
        for (const rowKey of [key.hintRow, key.prevRow]) {
          if (typeof rowKey === 'string' && rowKey) rows.set(`${partitionKey}|${rowKey}`, { partitionKey, rowKey });
        }
      }
      await Promise.all([...rows.values()].map((hint) => this.tables.hints.delete(hint.partitionKey, hint.rowKey)));
      if (!key) return;
      try {
        await this.tables.keys.delete(key.partitionKey, key.rowKey, key.etag);
        return;
      } catch (error) {
        if (!(error instanceof WriteConflict)) throw error; // changed meanwhile: look again
      }
    }
    throw new WriteConflict(`pending hint ${taskId}/${run}: too many concurrent writers`);
  }

  async count(taskQueueId: string): Promise<number> {
    return this.tables.hints.count(odata`PartitionKey eq ${escapeKey(taskQueueId)}`);
  }

  async list(taskQueueId: string, page: PageRequest): Promise<Page<PendingEntry>> {
    return pagePartition(this.tables.hints, escapeKey(taskQueueId), page, (row) => readJson<PendingEntry>(row));
  }

  /** A scan of every queue's hints for expired deadlines; each is removed with its key row. */
  async deleteExpired({ before, limit }: ExpiredScan): Promise<number> {
    const rows = await this.tables.hints.query(odata`expires lt ${new Date(before)}`, limit);
    await mapLimit(rows, FAN_OUT, async (row) => {
      const { taskId, runId: run } = readJson<PendingEntry>(row);
      await this.remove(readJson<PendingEntry>(row).taskQueueId, taskId, run);
      await this.tables.hints.delete(row.partitionKey, row.rowKey); // in case no key row named it
    });
    return rows.length;
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
