import type { EndpointCases } from './case';

/** The worker interface: claiming, reclaiming and resolving runs. */
export const workCases: EndpointCases = {
  claimWork: {
    happy: async (f) => {
      const { taskId, taskQueueId } = await f.pending();
      return {
        call: (q) => q.claimWork(taskQueueId, { workerGroup: 'wg', workerId: 'claimer', tasks: 4 }),
        check: (r) => {
          expect(r.tasks).toHaveLength(1);
          expect(r.tasks[0]).toMatchObject({ runId: 0, workerGroup: 'wg', workerId: 'claimer', status: { taskId, state: 'running' } });
        },
      };
    },
    error: async (f) => {
      const taskQueueId = f.taskQueueId();
      return {
        call: (q) => q.claimWork(taskQueueId, { workerGroup: 'wg' }),
        expected: { statusCode: 400, code: 'InputValidationError', mentions: 'workerId' },
      };
    },
  },
  claimTask: {
    happy: async (f) => {
      const { taskId } = await f.pending();
      return {
        call: (q) => q.claimTask(taskId, 0, { workerGroup: 'wg', workerId: 'claimer' }),
        check: (r) => expect(r).toMatchObject({ runId: 0, workerId: 'claimer', status: { state: 'running' } }),
      };
    },
    error: async (f) => {
      const { taskId } = await f.running();
      return {
        call: (q) => q.claimTask(taskId, 0, { workerGroup: 'wg', workerId: 'another' }),
        expected: { statusCode: 409, code: 'RequestConflict' },
      };
    },
  },
  reclaimTask: {
    happy: async (f) => {
      const { taskId } = await f.running();
      return {
        call: (q) => q.reclaimTask(taskId, 0),
        check: (r) => expect(r).toMatchObject({ runId: 0, takenUntil: expect.any(String), credentials: expect.any(Object) }),
      };
    },
    error: async (f) => {
      const { taskId } = await f.completed();
      return { call: (q) => q.reclaimTask(taskId, 0), expected: { statusCode: 409, code: 'RequestConflict' } };
    },
  },
  reportCompleted: {
    happy: async (f) => {
      const { taskId } = await f.running();
      return { call: (q) => q.reportCompleted(taskId, 0), check: (r) => expect(r.status.state).toBe('completed') };
    },
    error: async (f) => {
      const { taskId } = await f.running();
      return { call: (q) => q.reportCompleted(taskId, 3), expected: { statusCode: 404, code: 'ResourceNotFound' } };
    },
  },
  reportFailed: {
    happy: async (f) => {
      const { taskId } = await f.running();
      return { call: (q) => q.reportFailed(taskId, 0), check: (r) => expect(r.status.state).toBe('failed') };
    },
    error: async (f) => {
      const { taskId } = await f.completed();
      return { call: (q) => q.reportFailed(taskId, 0), expected: { statusCode: 409, code: 'RequestConflict' } };
    },
  },
  reportException: {
    happy: async (f) => {
      const { taskId } = await f.running();
      return {
        call: (q) => q.reportException(taskId, 0, { reason: 'malformed-payload' }),
        check: (r) => expect(r.status.runs[0]).toMatchObject({ state: 'exception', reasonResolved: 'malformed-payload' }),
      };
    },
    error: async (f) => {
      const { taskId } = await f.running();
      return {
        call: (q) => q.reportException(taskId, 0, { reason: 'bored' }),
        expected: { statusCode: 400, code: 'InputValidationError', mentions: 'reason' },
      };
    },
  },
};
