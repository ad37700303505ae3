import type { ExpiredScan, Page, PageRequest } from './versioned';

export interface Dependency {
  /** The task that waits. */
  readonly dependentTaskId: string;
  /** The task it waits for. */
  readonly requiredTaskId: string;
  /** `completed`: only a completed run satisfies it; `resolved`: any resolution does. */
  readonly require: 'completed' | 'resolved';
  readonly satisfied: boolean;
  readonly expires: string;
}

/** Edges between dependent and required tasks, readable from both ends. */
export interface DependencyStore {
  /** Inserts edges; an existing edge is left as it is (idempotent). */
  add(edges: readonly Dependency[]): Promise<void>;
  /** Marks one edge satisfied (idempotent; missing edge → no-op). */
  satisfy(dependentTaskId: string, requiredTaskId: string): Promise<void>;
  /** Whether any unsatisfied edge leaves `dependentTaskId` waiting. */
  isBlocked(dependentTaskId: string): Promise<boolean>;
  /** The edges of tasks that wait for `requiredTaskId`. */
  listDependents(requiredTaskId: string, page: PageRequest): Promise<Page<Dependency>>;
  /** Removes the edges of `dependentTaskId` (for a createTask that lost its race). */
  removeDependent(dependentTaskId: string): Promise<void>;
  /** Deletes up to `scan.limit` edges that expired before `scan.before`; returns how many. */
  deleteExpired(scan: ExpiredScan): Promise<number>;
}
