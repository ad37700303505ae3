import { fromNow, HOUR } from '../fixtures';
import type { EndpointCases } from './case';

const DAY = 24 * HOUR;
const badLimit = { statusCode: 400, code: 'InvalidRequestArguments', mentions: 'limit' };
const names = <T>(items: T[], key: keyof T) => items.map((item) => item[key]);

/** Provisioners, worker types, task queues and workers (a claim registers all of them). */
export const workerCases: EndpointCases = {
  listProvisioners: {
    happy: async (f) => {
      const { provisionerId } = await f.running();
      return { call: (q) => q.listProvisioners(), check: (r) => expect(names(r.provisioners, 'provisionerId')).toContain(provisionerId) };
    },
    error: async () => ({ call: (q) => q.listProvisioners({ limit: '0' }), expected: badLimit }),
  },
  getProvisioner: {
    happy: async (f) => {
      const { provisionerId } = await f.running();
      return { call: (q) => q.getProvisioner(provisionerId), check: (r) => expect(r).toMatchObject({ provisionerId, actions: [] }) };
    },
    error: async () => ({ call: (q) => q.getProvisioner('never-seen'), expected: { statusCode: 404, code: 'ResourceNotFound' } }),
  },
  declareProvisioner: {
    happy: async () => ({
      call: (q) => q.declareProvisioner('declared-prov', { description: 'declared', stability: 'stable' }),
      check: (r) => expect(r).toMatchObject({ provisionerId: 'declared-prov', description: 'declared', stability: 'stable' }),
    }),
    error: async () => ({
      call: (q) => q.declareProvisioner('declared-prov', { stability: 'rock-solid' }),
      expected: { statusCode: 400, code: 'InputValidationError', mentions: 'stability' },
    }),
  },
  pendingTasks: {
    happy: async (f) => {
      const { taskQueueId } = await f.pending();
      return { call: (q) => q.pendingTasks(taskQueueId), check: (r) => expect(r).toMatchObject({ taskQueueId, pendingTasks: 1 }) };
    },
    error: async () => ({
      call: (q) => q.pendingTasks('e2e-prov/Upper-Case'),
      expected: { statusCode: 400, code: 'InvalidRequestArguments', mentions: 'taskQueueId' },
    }),
  },
  taskQueueCounts: {
    happy: async (f) => {
      const { taskQueueId } = await f.running();
      return {
        call: (q) => q.taskQueueCounts(taskQueueId),
        check: (r) => expect(r).toEqual({ taskQueueId, pendingTasks: 0, claimedTasks: 1 }),
      };
    },
    error: async () => ({
      call: (q) => q.taskQueueCounts('e2e-prov/wt/extra'),
      expected: { statusCode: 400, code: 'InvalidRequestArguments', mentions: 'taskQueueId' },
    }),
  },
  listPendingTasks: {
    happy: async (f) => {
      const { taskId, taskQueueId } = await f.pending();
      return { call: (q) => q.listPendingTasks(taskQueueId), check: (r) => expect(names(r.tasks, 'taskId')).toEqual([taskId]) };
    },
    error: async (f) => {
      const taskQueueId = f.taskQueueId();
      return { call: (q) => q.listPendingTasks(taskQueueId, { limit: '-1' }), expected: badLimit };
    },
  },
  listClaimedTasks: {
    happy: async (f) => {
      const { taskId, taskQueueId, workerId } = await f.running();
      return { call: (q) => q.listClaimedTasks(taskQueueId), check: (r) => expect(r.tasks).toMatchObject([{ taskId, workerId }]) };
    },
    error: async () => ({
      call: (q) => q.listClaimedTasks('e2e-prov/'),
      expected: { statusCode: 400, code: 'InvalidRequestArguments', mentions: 'taskQueueId' },
    }),
  },
  listWorkerTypes: {
    happy: async (f) => {
      const { provisionerId, workerType } = await f.running();
      return { call: (q) => q.listWorkerTypes(provisionerId), check: (r) => expect(names(r.workerTypes, 'workerType')).toContain(workerType) };
    },
    error: async () => ({
      call: (q) => q.listWorkerTypes('no spaces allowed'),
      expected: { statusCode: 400, code: 'InvalidRequestArguments', mentions: 'provisionerId' },
    }),
  },
  getWorkerType: {
    happy: async (f) => {
      const { provisionerId, workerType } = await f.running();
      return { call: (q) => q.getWorkerType(provisionerId, workerType), check: (r) => expect(r).toMatchObject({ provisionerId, workerType }) };
    },
    error: async () => ({ call: (q) => q.getWorkerType('e2e-prov', 'never-seen'), expected: { statusCode: 404, code: 'ResourceNotFound' } }),
  },
  declareWorkerType: {
    happy: async () => ({
      call: (q) => q.declareWorkerType('declared-prov', 'declared-wt', { description: 'declared' }),
      check: (r) => expect(r).toMatchObject({ provisionerId: 'declared-prov', workerType: 'declared-wt', description: 'declared' }),
    }),
    error: async () => ({
      call: (q) => q.declareWorkerType('declared-prov', 'declared-wt', { colour: 'blue' }),
      expected: { statusCode: 400, code: 'InputValidationError', mentions: 'colour' },
    }),
  },
  listTaskQueues: {
    happy: async (f) => {
      const { taskQueueId } = await f.running();
      return { call: (q) => q.listTaskQueues(), check: (r) => expect(names(r.taskQueues, 'taskQueueId')).toContain(taskQueueId) };
    },
    error: async () => ({ call: (q) => q.listTaskQueues({ limit: 'many' }), expected: badLimit }),
  },
  getTaskQueue: {
    happy: async (f) => {
      const { taskQueueId } = await f.running();
      return { call: (q) => q.getTaskQueue(taskQueueId), check: (r) => expect(r).toMatchObject({ taskQueueId }) };
    },
    error: async () => ({ call: (q) => q.getTaskQueue('e2e-prov/never-seen'), expected: { statusCode: 404, code: 'ResourceNotFound' } }),
  },
  listWorkers: {
    happy: async (f) => {
      const { taskId, provisionerId, workerType, workerId } = await f.running();
      return {
        call: (q) => q.listWorkers(provisionerId, workerType),
        check: (r) => expect(r.workers).toMatchObject([{ workerGroup: 'wg', workerId, latestTask: { taskId, runId: 0 } }]),
      };
    },
    error: async (f) => {
      const { provisionerId, workerType } = await f.running();
      return {
        call: (q) => q.listWorkers(provisionerId, workerType, { quarantined: 'maybe' }),
        expected: { statusCode: 400, code: 'InvalidRequestArguments', mentions: 'quarantined' },
      };
    },
  },
  getWorker: {
    happy: async (f) => {
      const { taskId, provisionerId, workerType, workerId } = await f.running();
      return {
        call: (q) => q.getWorker(provisionerId, workerType, 'wg', workerId),
        check: (r) => expect(r).toMatchObject({ workerId, recentTasks: [{ taskId, runId: 0 }] }),
      };
    },
    error: async (f) => {
      const { provisionerId, workerType } = await f.running();
      return { call: (q) => q.getWorker(provisionerId, workerType, 'wg', 'nobody'), expected: { statusCode: 404, code: 'ResourceNotFound' } };
    },
  },
  quarantineWorker: {
    happy: async (f) => {
      const { provisionerId, workerType, workerId } = await f.running();
      const quarantineUntil = fromNow(HOUR);
      return {
        call: (q) => q.quarantineWorker(provisionerId, workerType, 'wg', workerId, { quarantineUntil, quarantineInfo: 'flaky' }),
        check: (r) => expect(r).toMatchObject({ quarantineUntil, quarantineDetails: [expect.objectContaining({ quarantineInfo: 'flaky' })] }),
      };
    },
    error: async (f) => {
      const { provisionerId, workerType } = await f.running();
      return {
        call: (q) => q.quarantineWorker(provisionerId, workerType, 'wg', 'nobody', { quarantineUntil: fromNow(HOUR) }),
        expected: { statusCode: 404, code: 'ResourceNotFound' },
      };
    },
  },
  declareWorker: {
    happy: async (f) => {
      const taskQueueId = f.taskQueueId();
      const [provisionerId = '', workerType = ''] = taskQueueId.split('/');
      const expires = fromNow(2 * DAY);
      return {
        call: (q) => q.declareWorker(provisionerId, workerType, 'wg', 'declared', { expires }),
        check: (r) => expect(r).toMatchObject({ provisionerId, workerType, workerId: 'declared', expires }),
      };
    },
    error: async (f) => {
      const { provisionerId, workerType, workerId } = await f.running();
      return {
        call: (q) => q.declareWorker(provisionerId, workerType, 'wg', workerId, { quarantineUntil: fromNow(HOUR) }),
        expected: { statusCode: 400, code: 'InputValidationError', mentions: 'quarantineUntil' },
      };
    },
  },
};
