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
}
