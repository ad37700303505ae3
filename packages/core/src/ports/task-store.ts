import type { TaskRecord } from '../domain/task-record';
import type { ExpiredScan, Versioned } from './versioned';

/**
 * The task record is the truth: definition, runs and retries in one record, changed only by
 * compare-and-swap on its version.
 */
export interface TaskStore {
  get(taskId: string): Promise<Versioned<TaskRecord> | undefined>;
  /** Inserts a new record; throws WriteConflict when one with this taskId exists. */
  create(task: TaskRecord): Promise<Versioned<TaskRecord>>;
  /** Replaces the record if its version is still `version`; otherwise throws WriteConflict. */
  update(task: TaskRecord, version: string): Promise<Versioned<TaskRecord>>;
  /** Deletes the record if its version is still `version` (stale → WriteConflict, absent → no-op). */
  delete(taskId: string, version: string): Promise<void>;
  /** Records whose `expires` is before `scan.before`, at most `scan.limit`. */
  listExpired(scan: ExpiredScan): Promise<readonly Versioned<TaskRecord>[]>;
}
