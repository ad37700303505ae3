import type { ExpiredScan, Page, PageRequest, Versioned } from './versioned';

export interface TaskGroup {
  readonly taskGroupId: string;
  readonly schedulerId: string;
  readonly expires: string;
  /** When the group was sealed: no task may join it afterwards. */
  readonly sealed?: string;
}

export interface TaskGroupMember {
  readonly taskGroupId: string;
  readonly taskId: string;
  readonly expires: string;
}

/** A group record written together with a join: inserted (`version` null) or replaced at `version`. */
export interface TaskGroupWrite {
  readonly value: TaskGroup;
  readonly version: string | null;
}

/** After a member resolved: whether any member is still unresolved, else the group (if it exists). */
export type TaskGroupActivity = { readonly active: true } | { readonly active: false; readonly group?: TaskGroup };

/**
 * Task groups, their members, and the active set (members not yet resolved) from which
 * `task-group-resolved` is derived. Membership and activity are idempotent set operations.
 */
export interface TaskGroupStore {
  get(taskGroupId: string): Promise<Versioned<TaskGroup> | undefined>;
  create(group: TaskGroup): Promise<Versioned<TaskGroup>>;
  update(group: TaskGroup, version: string): Promise<Versioned<TaskGroup>>;
  delete(taskGroupId: string, version: string): Promise<void>;
  listExpired(scan: ExpiredScan): Promise<readonly Versioned<TaskGroup>[]>;

  addMember(member: TaskGroupMember): Promise<void>;
  removeMember(taskGroupId: string, taskId: string): Promise<void>;
  listMembers(taskGroupId: string, page: PageRequest): Promise<Page<TaskGroupMember>>;
  listExpiredMembers(scan: ExpiredScan): Promise<readonly TaskGroupMember[]>;

  /** Marks a member unresolved (again). */
  markActive(taskGroupId: string, taskId: string): Promise<void>;
  /** Marks a member resolved. */
  markResolved(taskGroupId: string, taskId: string): Promise<void>;
  /** Whether any member of the group is still unresolved. */
  hasActive(taskGroupId: string): Promise<boolean>;

  /**
   * Adds `member` to its group and marks it active, together with `group` when given: all or
   * nothing (createTask's writes to the group, one request where the backend can batch them).
   * A task that is a member already is left as it is (its active mark too) and the answer is
   * false; otherwise WriteConflict when `group`'s condition fails, and true once written.
   */
  join(member: TaskGroupMember, group?: TaskGroupWrite): Promise<boolean>;
  /** Whether the task is a member of the group. */
  isMember(taskGroupId: string, taskId: string): Promise<boolean>;
  /** `markResolved`, then `hasActive`, and when nothing is active the group record, in one call. */
  resolveMember(taskGroupId: string, taskId: string): Promise<TaskGroupActivity>;
}
