import type { TransactionAction } from '@azure/data-tables';
import type { LeasedTimer, Timer, TimerKind, TimerQueue } from '@taskcluster-queue/core';
import { DueIndex } from './due-index';
import { shardLabel, shardOf } from './keys';
import { TransactionConflict, type AzureTable } from './table-client';

const KINDS: readonly TimerKind[] = ['deadline', 'resolved'];
const MAX_ATTEMPTS = 10;

/**
 * Deadline and resolved timers, one per (kind, taskId): a DueIndex (due-index.ts) per kind, both
 * in the same `shards` partitions by taskId (row keys `k.<kind>.…` and `d.<kind>.…`), so the
 * deadline timers of 30,000 tasks created at once spread over the shards, and the timers of one
 * task share a partition: completing a resolved notice deletes the task's deadline timer in the
 * same transaction. A lease reads the due rows of its kind in every shard, earliest first.
 */
export class AzureTableTimerQueue implements TimerQueue {
  private readonly indexes: ReadonlyMap<TimerKind, DueIndex<Timer>>;
  private readonly partitions: readonly string[];

  constructor(private readonly table: AzureTable, private readonly shards: number) {
    this.indexes = new Map(KINDS.map((kind) => [kind, new DueIndex<Timer>(table, () => ({}), `${kind}.`)]));
    this.partitions = Array.from({ length: shards }, (_, shard) => `t${shardLabel(shard)}`);
  }

  private index(kind: TimerKind): DueIndex<Timer> {
    const index = this.indexes.get(kind);
    if (!index) throw new Error(`unknown timer kind ${String(kind)}`);
    return index;
  }

  private partitionOf(taskId: string): string {
    return `t${shardLabel(shardOf(taskId, this.shards))}`;
  }

  async schedule(timer: Timer): Promise<void> {
    await this.index(timer.kind).put(this.partitionOf(timer.taskId), timer.taskId, timer.due, timer);
  }

  async lease(kind: TimerKind, now: number, limit: number, leaseUntil: number): Promise<readonly LeasedTimer[]> {
    const leased = await this.index(kind).lease(this.partitions, now, limit, leaseUntil);
    return leased.map(({ value, receipt }) => ({ ...value, receipt }));
  }

  /**
   * One transaction deletes the leased timer and the other: the other's first due row is named
   * from `also.due` without a read; when that guess fails (it was leased or replaced), its key
   * row is read and the transaction tried again, unless the leased one was replaced meanwhile.
   */
  async complete(timer: LeasedTimer, also?: { kind: TimerKind; due?: number }): Promise<void> {
    const own = this.index(timer.kind);
    const completion = own.completion(timer.receipt);
    if (!completion) return;
    const { partitionKey } = completion;
    const other = also && this.index(also.kind);
    let extra: TransactionAction[] =
      !other ? [] : also.due !== undefined ? other.removalGuess(partitionKey, timer.taskId, also.due) : await other.removal(partitionKey, timer.taskId);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.table.transact([...completion.actions, ...extra]);
        return;
      } catch (error) {
        if (!(error instanceof TransactionConflict)) throw error;
      }
      // Replaced or leased again since (or gone): nothing to do, not even the other timer.
      if (!other || !(await this.table.get(partitionKey, completion.dueRow)) || attempt >= MAX_ATTEMPTS) return;
      extra = await other.removal(partitionKey, timer.taskId);
    }
  }

  async remove(kind: TimerKind, taskId: string): Promise<void> {
    await this.index(kind).remove(this.partitionOf(taskId), taskId);
  }

  async deleteDueBefore(kind: TimerKind, before: number, limit: number): Promise<number> {
    return this.index(kind).deleteDueBefore(this.partitions, before, limit);
  }
}
