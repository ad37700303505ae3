import type { Endpoint } from './endpoint';

const p = (params: Readonly<Record<string, string>>, name: string) => params[name] ?? '';
const page = ['continuationToken', 'limit'];

/** Provisioners, worker types, task queues and workers. */
export const workerEndpoints: readonly Endpoint[] = [
  {
    name: 'listProvisioners', method: 'get', route: '/provisioners', query: page, output: 'v1/list-provisioners-response',
    scopes: 'listProvisioners', stability: 'deprecated', title: 'Get a list of all active provisioners', description: 'Provisioners, paged.',
    handle: ({ queue, caller, query }) => queue.listProvisioners(caller, query),
  },
  {
    name: 'getProvisioner', method: 'get', route: '/provisioners/<provisionerId>', output: 'v1/provisioner-response',
    scopes: 'getProvisioner', stability: 'deprecated', title: 'Get an active provisioner', description: 'One provisioner.',
    handle: ({ queue, caller, params }) => queue.getProvisioner(caller, p(params, 'provisionerId')),
  },
  {
    name: 'declareProvisioner', method: 'put', route: '/provisioners/<provisionerId>', input: 'v1/update-provisioner-request',
    output: 'v1/provisioner-response', scopes: 'declareProvisioner', stability: 'deprecated',
    title: 'Update a provisioner', description: 'Creates or updates a provisioner; each property needs its scope.',
    handle: ({ queue, caller, params, body }) => queue.declareProvisioner(caller, p(params, 'provisionerId'), body),
  },
  {
    name: 'pendingTasks', method: 'get', route: '/pending/<taskQueueId>', output: 'v1/pending-tasks-response', scopes: 'pendingTasks',
    stability: 'deprecated', title: 'Get Number of Pending Tasks', description: 'How many runs of the task queue are pending.',
    handle: ({ queue, caller, params }) => queue.pendingTasks(caller, p(params, 'taskQueueId')),
  },
  {
    name: 'taskQueueCounts', method: 'get', route: '/task-queues/<taskQueueId>/counts', output: 'v1/task-queue-counts-response',
    scopes: 'taskQueueCounts', stability: 'stable',
    title: 'Get Number of Pending and Claimed Tasks', description: 'Pending and claimed runs of the task queue.',
    handle: ({ queue, caller, params }) => queue.taskQueueCounts(caller, p(params, 'taskQueueId')),
  },
  {
    name: 'listPendingTasks', method: 'get', route: '/task-queues/<taskQueueId>/pending', query: page,
    output: 'v1/list-pending-tasks-response', scopes: 'listPendingTasks', stability: 'experimental',
    title: 'List Pending Tasks', description: 'Pending runs of the task queue in claim order, paged.',
    handle: ({ queue, caller, params, query }) => queue.listPendingTasks(caller, p(params, 'taskQueueId'), query),
  },
  {
    name: 'listClaimedTasks', method: 'get', route: '/task-queues/<taskQueueId>/claimed', query: page,
    output: 'v1/list-claimed-tasks-response', scopes: 'listClaimedTasks', stability: 'experimental',
    title: 'List Claimed Tasks', description: 'Claimed runs of the task queue, paged.',
    handle: ({ queue, caller, params, query }) => queue.listClaimedTasks(caller, p(params, 'taskQueueId'), query),
  },
  {
    name: 'listWorkerTypes', method: 'get', route: '/provisioners/<provisionerId>/worker-types', query: page,
    output: 'v1/list-workertypes-response', scopes: 'listWorkerTypes', stability: 'deprecated',
    title: 'Get a list of all active worker-types', description: 'Worker types of a provisioner, paged.',
    handle: ({ queue, caller, params, query }) => queue.listWorkerTypes(caller, p(params, 'provisionerId'), query),
  },
  {
    name: 'getWorkerType', method: 'get', route: '/provisioners/<provisionerId>/worker-types/<workerType>',
    output: 'v1/workertype-response', scopes: 'getWorkerType', stability: 'deprecated',
    title: 'Get a worker-type', description: 'One worker type.',
    handle: ({ queue, caller, params }) => queue.getWorkerType(caller, p(params, 'provisionerId'), p(params, 'workerType')),
  },
  {
    name: 'declareWorkerType', method: 'put', route: '/provisioners/<provisionerId>/worker-types/<workerType>',
    input: 'v1/update-workertype-request', output: 'v1/workertype-response', scopes: 'declareWorkerType', stability: 'deprecated',
    title: 'Update a worker-type', description: 'Creates or updates a worker type; each property needs its scope.',
    handle: ({ queue, caller, params, body }) =>
      queue.declareWorkerType(caller, p(params, 'provisionerId'), p(params, 'workerType'), body),
  },
  {
    name: 'listTaskQueues', method: 'get', route: '/task-queues', query: page, output: 'v1/list-taskqueues-response',
    scopes: 'listTaskQueues', stability: 'stable', title: 'Get a list of all active task queues', description: 'Task queues, paged.',
    handle: ({ queue, caller, query }) => queue.listTaskQueues(caller, query),
  },
  {
    name: 'getTaskQueue', method: 'get', route: '/task-queues/<taskQueueId>', output: 'v1/taskqueue-response', scopes: 'getTaskQueue',
    stability: 'stable', title: 'Get a task queue', description: 'One task queue.',
    handle: ({ queue, caller, params }) => queue.getTaskQueue(caller, p(params, 'taskQueueId')),
  },
  {
    name: 'listWorkers', method: 'get', route: '/provisioners/<provisionerId>/worker-types/<workerType>/workers',
    query: [...page, 'quarantined'], output: 'v1/list-workers-response', scopes: 'listWorkers', stability: 'deprecated',
    title: 'Get a list of all active workers of a workerType', description: 'Workers of a worker type, paged.',
    handle: ({ queue, caller, params, query }) =>
      queue.listWorkers(caller, p(params, 'provisionerId'), p(params, 'workerType'), query as never),
  },
  {
    name: 'getWorker', method: 'get', route: '/provisioners/<provisionerId>/worker-types/<workerType>/workers/<workerGroup>/<workerId>',
    output: 'v1/worker-response', scopes: 'getWorker', stability: 'deprecated', title: 'Get a worker', description: 'One worker.',
    handle: ({ queue, caller, params }) =>
      queue.getWorker(caller, p(params, 'provisionerId'), p(params, 'workerType'), p(params, 'workerGroup'), p(params, 'workerId')),
  },
  {
    name: 'quarantineWorker', method: 'put',
    route: '/provisioners/<provisionerId>/worker-types/<workerType>/workers/<workerGroup>/<workerId>',
    input: 'v1/quarantine-worker-request', output: 'v1/worker-response', scopes: 'quarantineWorker', stability: 'experimental',
    title: 'Quarantine a worker', description: 'A quarantined worker gets no work until quarantineUntil.',
    handle: ({ queue, caller, params, body }) =>
      queue.quarantineWorker(caller, p(params, 'provisionerId'), p(params, 'workerType'), p(params, 'workerGroup'), p(params, 'workerId'), body),
  },
  {
    name: 'declareWorker', method: 'put', route: '/provisioners/<provisionerId>/worker-types/<workerType>/<workerGroup>/<workerId>',
    input: 'v1/update-worker-request', output: 'v1/worker-response', scopes: 'declareWorker', stability: 'experimental',
    title: 'Declare a worker', description: 'Creates or updates a worker; each property needs its scope.',
    handle: ({ queue, caller, params, body }) =>
      queue.declareWorker(caller, p(params, 'provisionerId'), p(params, 'workerType'), p(params, 'workerGroup'), p(params, 'workerId'), body),
  },
];
