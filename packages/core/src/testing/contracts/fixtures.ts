import type { TaskRecord } from '../../domain/task-record';
import type { Priority } from '../../domain/priorities';
import { EPOCH, DAY, iso, newId } from './support';

/** A well-formed task record; the stores never look inside beyond `taskId` and `expires`. */
export const taskRecord = (
  overrides: { taskId?: string; expires?: string; priority?: Priority; retriesLeft?: number } = {},
): TaskRecord => {
  const taskId = overrides.taskId ?? newId();
  return {
    taskId,
    retriesLeft: overrides.retriesLeft ?? 5,
    runs: [],
    definition: {
      taskQueueId: 'contract-prov/contract-wt',
      provisionerId: 'contract-prov',
      workerType: 'contract-wt',
      schedulerId: '-',
      projectId: 'none',
      taskGroupId: taskId,
      dependencies: [],
      requires: 'all-completed',
      routes: ['index.contract'],
      priority: overrides.priority ?? 'lowest',
      retries: 5,
      created: iso(EPOCH),
      deadline: iso(EPOCH + DAY),
      expires: overrides.expires ?? iso(EPOCH + 365 * DAY),
      scopes: [],
      payload: { command: ['true'], nested: { list: [1, 2, 3] } },
      metadata: {
        name: 'contract',
        description: 'a task of the contract suite',
        owner: 'contract@example.com',
        source: 'https://example.com/contract',
      },
      tags: { purpose: 'contract' },
      extra: {},
    },
  };
};
