import type { LeasedTimer, Timer, TimerKind, TimerQueue } from '@taskcluster-queue/core';
import { DueIndex } from './due-index';
import { shardLabel, shardOf } from './keys';
import type { AzureTable } from './table-client';

/**
 * Deadline and resolved timers, one per (kind, taskId): a DueIndex (due-index.ts) per kind, in
 * `shards` partitions by taskId, so the deadline timers of 30,000 tasks created at once spread
 * over the shards. A lease reads the due rows of every shard of the kind, earliest first.
 */
export class AzureTableTimerQueue implements TimerQueue {
  private readonly index: DueIndex<Timer>;

  constructor(table: AzureTable, private readonly shards: number) {
    this.index = new DueIndex<Timer>(table);
  }

  private partitionOf(kind: TimerKind, taskId: string): string {
    return `${kind}.${shardLabel(shardOf(taskId, this.shards))}`;
  }

  private partitions(kind: TimerKind): string[] {
    return Array.from({ length: this.shards }, (_, shard) => `${kind}.${shardLabel(shard)}`);
  }

  async schedule(timer: Timer): Promise<void> {
    await this.index.put(this.partitionOf(timer.kind, timer.taskId), timer.taskId, timer.due, timer);
  }

  async lease(kind: TimerKind, now: number, limit: number, leaseUntil: number): Promise<readonly LeasedTimer[]> {
    const leased = await this.index.lease(this.partitions(kind), now, limit, leaseUntil);
    return leased.map(({ value, receipt }) => ({ ...value, receipt }));
  }

  async complete(timer: LeasedTimer): Promise<void> {
    await this.index.complete(timer.receipt);
  }

  async deleteDueBefore(kind: TimerKind, before: number, limit: number): Promise<number> {
    return this.index.deleteDueBefore(this.partitions(kind), before, limit);
  }
}
