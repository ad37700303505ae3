import { PRIORITIES, type Priority } from '../domain/priorities';
import { ms } from '../domain/time';
import type { LeasedPendingEntry, PendingEntry, PendingQueue } from '../ports/pending-queue';
import type { ExpiredScan, Page, PageRequest } from '../ports/versioned';
import { pageByKey } from './paging';

interface Lease {
  readonly receipt: string;
  /** Hidden from other leases while this has not passed. */
  readonly until: number;
}

interface Slot {
  entry: PendingEntry;
  /** Insertion order (renewed when the priority changes: the hint joins the end of its new priority). */
  seq: number;
  /** The current lease, if any. */
  lease: Lease | undefined;
}

/** A task's hints: the one slot (the usual case), or its slots by runId. */
type TaskSlots = Slot | Map<number, Slot>;

/**
 * Pending hints per task queue: one insertion-ordered set per (taskQueueId, priority), taken
 * highest priority first. A lease walks those sets from the front and skips entries under a live
 * lease, so its cost grows with the hints it returns and the leased ones ahead of them, never
 * with the number of hints waiting.
 */
export class InMemoryPendingQueue implements PendingQueue {
  /** taskId → its slot(s), keyed by the taskId the entry already holds (no key per hint). */
  private readonly slots = new Map<string, TaskSlots>();
  private readonly queues = new Map<string, Map<Priority, Set<Slot>>>();
  private seq = 0;
  private receipts = 0;

  async add(entry: PendingEntry): Promise<void> {
    const slot = this.find(entry.taskId, entry.runId);
    if (!slot) {
      const created: Slot = { entry, seq: this.seq++, lease: undefined };
      this.keep(created);
      this.bucket(entry.taskQueueId, entry.priority).add(created);
      return;
    }
    if (slot.entry.priority === entry.priority) return;
    this.unbucket(slot);
    slot.entry = { ...slot.entry, priority: entry.priority };
    slot.seq = this.seq++;
    this.bucket(slot.entry.taskQueueId, slot.entry.priority).add(slot);
  }

  async lease(taskQueueId: string, count: number, now: number, leaseUntil: number): Promise<readonly LeasedPendingEntry[]> {
    const leased: LeasedPendingEntry[] = [];
    const buckets = this.queues.get(taskQueueId);
    if (!buckets) return leased;
    for (const priority of PRIORITIES) {
      for (const slot of buckets.get(priority) ?? []) {
        if (leased.length >= count) return leased;
        if (slot.lease !== undefined && slot.lease.until > now) continue;
        const receipt = `pending-${++this.receipts}`;
        slot.lease = { receipt, until: leaseUntil };
        leased.push(leasedEntry(slot.entry, receipt));
      }
    }
    return leased;
  }

  async release(entry: LeasedPendingEntry): Promise<void> {
    const slot = this.find(entry.taskId, entry.runId);
    if (!slot || slot.lease?.receipt !== entry.receipt) return;
    slot.lease = undefined;
  }

  async remove(taskQueueId: string, taskId: string, runId: number): Promise<void> {
    const slot = this.find(taskId, runId);
    if (!slot || slot.entry.taskQueueId !== taskQueueId) return;
    this.forget(slot);
    this.unbucket(slot);
  }

  async count(taskQueueId: string): Promise<number> {
    let total = 0;
    for (const bucket of this.queues.get(taskQueueId)?.values() ?? []) total += bucket.size;
    return total;
  }

  async list(taskQueueId: string, page: PageRequest): Promise<Page<PendingEntry>> {
    const slots: Slot[] = [];
    const buckets = this.queues.get(taskQueueId);
    for (const priority of PRIORITIES) slots.push(...(buckets?.get(priority) ?? []));
    const listed = pageByKey(slots, claimOrderKey, page);
    return { ...listed, items: listed.items.map((slot) => slot.entry) };
  }

  async deleteExpired({ before, limit }: ExpiredScan): Promise<number> {
    const doomed: Slot[] = [];
    scan: for (const slots of this.slots.values()) {
      for (const slot of slots instanceof Map ? slots.values() : [slots]) {
        if (doomed.length >= limit) break scan;
        if (ms(slot.entry.expires) < before) doomed.push(slot);
      }
    }
    for (const slot of doomed) {
      this.forget(slot);
      this.unbucket(slot);
    }
    return doomed.length;
  }

  private find(taskId: string, runId: number): Slot | undefined {
    const slots = this.slots.get(taskId);
    if (slots === undefined || !(slots instanceof Map)) return slots?.entry.runId === runId ? slots : undefined;
    return slots.get(runId);
  }

  /** Indexes a slot no other of its (taskId, runId) holds. */
  private keep(slot: Slot): void {
    const { taskId, runId } = slot.entry;
    const slots = this.slots.get(taskId);
    if (slots === undefined) this.slots.set(taskId, slot);
    else if (slots instanceof Map) slots.set(runId, slot);
    else this.slots.set(taskId, new Map([[slots.entry.runId, slots], [runId, slot]]));
  }

  private forget(slot: Slot): void {
    const { taskId, runId } = slot.entry;
    const slots = this.slots.get(taskId);
    if (slots === slot) {
      this.slots.delete(taskId);
    } else if (slots instanceof Map) {
      slots.delete(runId);
      if (slots.size === 0) this.slots.delete(taskId);
    }
  }

  private bucket(taskQueueId: string, priority: Priority): Set<Slot> {
    let buckets = this.queues.get(taskQueueId);
    if (!buckets) this.queues.set(taskQueueId, (buckets = new Map()));
    let bucket = buckets.get(priority);
    if (!bucket) buckets.set(priority, (bucket = new Set()));
    return bucket;
  }

  private unbucket(slot: Slot): void {
    const { taskQueueId, priority } = slot.entry;
    const buckets = this.queues.get(taskQueueId);
    const bucket = buckets?.get(priority);
    bucket?.delete(slot);
    if (bucket?.size === 0) buckets?.delete(priority);
    if (buckets?.size === 0) this.queues.delete(taskQueueId);
  }
}

/** Priority (highest first), then insertion; fixed-width so the keys sort as strings. */
const claimOrderKey = (slot: Slot): string =>
  `${PRIORITIES.indexOf(slot.entry.priority)}:${slot.seq.toString().padStart(16, '0')}`;

/** Written out rather than `{ ...entry, receipt }`, which V8 (Node 20) builds on a slow path. */
const leasedEntry = (entry: PendingEntry, receipt: string): LeasedPendingEntry => ({
  taskQueueId: entry.taskQueueId,
  priority: entry.priority,
  taskId: entry.taskId,
  runId: entry.runId,
  inserted: entry.inserted,
  expires: entry.expires,
  receipt,
});
