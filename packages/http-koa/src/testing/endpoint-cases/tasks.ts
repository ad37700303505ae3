import { fromNow, HOUR, slugid, taskDefinition } from '../fixtures';
import type { TestQueue } from '../test-queue';
import type { EndpointCases } from './case';

/** Reading, creating and managing tasks and task groups. */
export const taskCases: EndpointCases = {
  task: {
    happy: async (f) => {
      const { taskId, taskQueueId } = await f.pending();
      return { call: (q) => q.task(taskId), check: (task) => expect(task).toMatchObject({ taskQueueId, metadata: { name: 'e2e' } }) };
    },
    error: async () => ({
      call: (q) => q.task('not-a-slugid'),
      expected: { statusCode: 400, code: 'InvalidRequestArguments', mentions: 'taskId' },
    }),
  },
  tasks: {
    happy: async (f) => {
      const taskIds = [(await f.pending()).taskId, (await f.pending()).taskId];
      return {
        call: (q) => q.tasks({ taskIds }),
        check: (r) => expect(r.tasks.map((t: { taskId: string }) => t.taskId).sort()).toEqual([...taskIds].sort()),
      };
    },
    error: async () => ({
      call: (q) => q.tasks({ taskIds: 'one' }),
      expected: { statusCode: 400, code: 'InputValidationError', mentions: 'taskIds' },
    }),
  },
  statuses: {
    happy: async (f) => {
      const { taskId } = await f.pending();
      return {
        call: (q) => q.statuses({ taskIds: [taskId] }),
        check: (r) => expect(r.statuses).toEqual([{ taskId, status: expect.objectContaining({ state: 'pending' }) }]),
      };
    },
    error: async () => ({
      call: (q) => q.statuses({ taskIds: ['bad'] }),
      expected: { statusCode: 400, code: 'InputValidationError', mentions: 'taskIds.0' },
    }),
  },
  status: {
    happy: async (f) => {
      const { taskId } = await f.running();
      return { call: (q) => q.status(taskId), check: (r) => expect(r.status).toMatchObject({ taskId, state: 'running' }) };
    },
    error: async () => ({ call: (q) => q.status(slugid()), expected: { statusCode: 404, code: 'ResourceNotFound' } }),
  },
  listTaskGroup: {
    happy: async (f) => {
      const { taskGroupId, taskIds } = await f.group(2);
      return {
        call: (q) => q.listTaskGroup(taskGroupId),
        check: (r) => expect(r.tasks.map((t: { status: { taskId: string } }) => t.status.taskId).sort()).toEqual(taskIds.sort()),
      };
    },
    error: async () => ({ call: (q) => q.listTaskGroup(slugid()), expected: { statusCode: 404, code: 'ResourceNotFound' } }),
  },
  getTaskGroup: {
    happy: async (f) => {
      const { taskGroupId } = await f.group(1);
      return { call: (q) => q.getTaskGroup(taskGroupId), check: (r) => expect(r).toMatchObject({ taskGroupId, schedulerId: '-' }) };
    },
    error: async () => ({
      call: (q) => q.getTaskGroup('bad-group'),
      expected: { statusCode: 400, code: 'InvalidRequestArguments', mentions: 'taskGroupId' },
    }),
  },
  sealTaskGroup: {
    happy: async (f) => {
      const { taskGroupId } = await f.group(1);
      return { call: (q) => q.sealTaskGroup(taskGroupId), check: (r) => expect(r.sealed).toEqual(expect.any(String)) };
    },
    error: async () => ({ call: (q) => q.sealTaskGroup(slugid()), expected: { statusCode: 404, code: 'ResourceNotFound' } }),
  },
  cancelTaskGroup: {
    happy: async (f) => {
      const { taskGroupId, taskIds } = await f.group(2);
      await f.sealed(taskGroupId);
      return {
        call: (q) => q.cancelTaskGroup(taskGroupId),
        check: (r) => expect(r).toMatchObject({ taskGroupId, taskGroupSize: 2, cancelledCount: 2, taskIds: expect.arrayContaining(taskIds) }),
      };
    },
    error: async (f) => {
      const { taskGroupId } = await f.group(1);
      return {
        call: (q) => q.cancelTaskGroup(taskGroupId),
        expected: { statusCode: 409, code: 'RequestConflict', mentions: 'sealed' },
      };
    },
  },
  listDependentTasks: {
    happy: async (f) => {
      const required = await f.pending();
      const dependent = await f.pending({ dependencies: [required.taskId] });
      return {
        call: (q) => q.listDependentTasks(required.taskId),
        check: (r) => expect(r.tasks.map((t: { status: { taskId: string } }) => t.status.taskId)).toEqual([dependent.taskId]),
      };
    },
    error: async () => ({ call: (q) => q.listDependentTasks(slugid()), expected: { statusCode: 404, code: 'ResourceNotFound' } }),
  },
  createTask: {
    happy: async (f) => {
      const taskId = slugid();
      const definition = taskDefinition(f.taskQueueId());
      return { call: (q) => q.createTask(taskId, definition), check: (r) => expect(r.status).toMatchObject({ taskId, state: 'pending' }) };
    },
    error: async (f) => {
      const { metadata: _, ...definition } = taskDefinition(f.taskQueueId());
      return {
        call: (q) => q.createTask(slugid(), definition),
        expected: { statusCode: 400, code: 'InputValidationError', mentions: 'metadata' },
      };
    },
  },
  defineTask: {
    happy: async (f) => {
      const taskId = slugid();
      const definition = taskDefinition(f.taskQueueId());
      return {
        call: (q: TestQueue) => q.defineTask(taskId, definition),
        check: (r) => expect(r.status).toMatchObject({ taskId, state: 'unscheduled', runs: [] }),
      };
    },
    error: async (f) => {
      const { taskId, taskQueueId } = await f.defined();
      return {
        call: (q) => q.defineTask(taskId, taskDefinition(taskQueueId, { deadline: fromNow(2 * HOUR) })),
        expected: { statusCode: 409, code: 'RequestConflict', mentions: taskId },
      };
    },
  },
  scheduleTask: {
    happy: async (f) => {
      const { taskId } = await f.defined();
      return { call: (q) => q.scheduleTask(taskId), check: (r) => expect(r.status).toMatchObject({ taskId, state: 'pending' }) };
    },
    error: async () => ({ call: (q) => q.scheduleTask(slugid()), expected: { statusCode: 404, code: 'ResourceNotFound' } }),
  },
  rerunTask: {
    happy: async (f) => {
      const { taskId } = await f.completed();
      return {
        call: (q) => q.rerunTask(taskId),
        check: (r) => expect(r.status.runs.map((run: { reasonCreated: string }) => run.reasonCreated)).toEqual(['scheduled', 'rerun']),
      };
    },
    error: async () => ({
      call: (q) => q.rerunTask('not/a-slugid'),
      expected: { statusCode: 400, code: 'InvalidRequestArguments', mentions: 'taskId' },
    }),
  },
  cancelTask: {
    happy: async (f) => {
      const { taskId } = await f.pending();
      return {
        call: (q) => q.cancelTask(taskId),
        check: (r) => expect(r.status.runs[0]).toMatchObject({ state: 'exception', reasonResolved: 'canceled' }),
      };
    },
    error: async () => ({ call: (q) => q.cancelTask(slugid()), expected: { statusCode: 404, code: 'ResourceNotFound' } }),
  },
  changeTaskPriority: {
    happy: async (f) => {
      const { taskId } = await f.pending();
      return { call: (q) => q.changeTaskPriority(taskId, { newPriority: 'high' }), check: (r) => expect(r.status.taskId).toBe(taskId) };
    },
    error: async (f) => {
      const { taskId } = await f.pending();
      return {
        call: (q) => q.changeTaskPriority(taskId, { newPriority: 'urgent' }),
        expected: { statusCode: 400, code: 'InputValidationError', mentions: 'newPriority' },
      };
    },
  },
};
