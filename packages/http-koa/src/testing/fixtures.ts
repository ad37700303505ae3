import { unrestrictedCaller } from '@taskcluster-queue/core';
import { randomSlugid } from '@taskcluster-queue/core/testing';
import type { TestServer } from './test-server';

export const fromNow = (ms = 0): string => new Date(Date.now() + ms).toISOString();
export const HOUR = 3600_000;
export const slugid = randomSlugid;

/** A valid createTask body for `taskQueueId`, with `overrides` on top. */
export const taskDefinition = (taskQueueId: string, overrides: Record<string, unknown> = {}) => ({
  taskQueueId,
  created: fromNow(),
  deadline: fromNow(HOUR),
  payload: {},
  metadata: { name: 'e2e', description: 'a task of the e2e tests', owner: 'e2e@example.com', source: 'https://example.com/e2e' },
  ...overrides,
});

export interface PendingTask {
  readonly taskId: string;
  readonly taskQueueId: string;
  readonly provisionerId: string;
  readonly workerType: string;
  readonly taskGroupId: string;
}

export interface RunningTask extends PendingTask {
  readonly runId: 0;
  readonly workerGroup: string;
  readonly workerId: string;
  readonly credentials: { clientId: string; accessToken: string; certificate: string };
}

/**
 * State for a test, made in-process through the queue behind the server (not the API under
 * test). Each task gets its own task queue, so claims of one test never take another's tasks.
 */
export class Fixtures {
  private count = 0;

  constructor(readonly server: TestServer) {}

  /** A fresh task queue `e2e-prov/wt-<n>`. */
  taskQueueId(): string {
    this.count += 1;
    return `e2e-prov/wt-${this.count}`;
  }

  async pending(overrides: Record<string, unknown> = {}): Promise<PendingTask> {
    const taskId = slugid();
    const taskQueueId = (overrides['taskQueueId'] as string | undefined) ?? this.taskQueueId();
    await this.server.queue.createTask(unrestrictedCaller, taskId, taskDefinition(taskQueueId, overrides));
    const [provisionerId = '', workerType = ''] = taskQueueId.split('/');
    return { taskId, taskQueueId, provisionerId, workerType, taskGroupId: (overrides['taskGroupId'] as string | undefined) ?? taskId };
  }

  /** A task defined with defineTask: unscheduled, no runs. */
  async defined(overrides: Record<string, unknown> = {}): Promise<PendingTask> {
    const taskId = slugid();
    const taskQueueId = this.taskQueueId();
    await this.server.queue.defineTask(unrestrictedCaller, taskId, taskDefinition(taskQueueId, overrides));
    const [provisionerId = '', workerType = ''] = taskQueueId.split('/');
    return { taskId, taskQueueId, provisionerId, workerType, taskGroupId: taskId };
  }

  /** A task whose run 0 is claimed by worker `wg/w-<n>`. */
  async running(overrides: Record<string, unknown> = {}): Promise<RunningTask> {
    const task = await this.pending(overrides);
    const worker = { workerGroup: 'wg', workerId: `w-${this.count}` };
    const claim = await this.server.queue.claimTask(unrestrictedCaller, task.taskId, 0, worker);
    return { ...task, runId: 0, ...worker, credentials: claim.credentials as RunningTask['credentials'] };
  }

  async completed(overrides: Record<string, unknown> = {}): Promise<RunningTask> {
    const task = await this.running(overrides);
    await this.server.queue.reportCompleted(unrestrictedCaller, task.taskId, 0);
    return task;
  }

  async artifact(task: RunningTask, name: string, body: Record<string, unknown>): Promise<void> {
    await this.server.queue.createArtifact(unrestrictedCaller, task.taskId, task.runId, name, { expires: fromNow(HOUR), ...body });
  }

  async sealed(taskGroupId: string): Promise<void> {
    await this.server.queue.sealTaskGroup(unrestrictedCaller, taskGroupId);
  }

  /** A task group of `size` pending tasks in one fresh task queue. */
  async group(size: number, overrides: Record<string, unknown> = {}): Promise<{ taskGroupId: string; taskIds: string[] }> {
    const taskGroupId = slugid();
    const taskQueueId = this.taskQueueId();
    const taskIds: string[] = [];
    for (let i = 0; i < size; i++) taskIds.push((await this.pending({ taskGroupId, taskQueueId, ...overrides })).taskId);
    return { taskGroupId, taskIds };
  }
}
