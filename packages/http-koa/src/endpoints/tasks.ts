import type { Endpoint } from './endpoint';

const p = (params: Readonly<Record<string, string>>, name: string) => params[name] ?? '';

/** Reading, creating and managing tasks and task groups. */
export const taskEndpoints: readonly Endpoint[] = [
  {
    name: 'task', method: 'get', route: '/task/<taskId>', output: 'v1/task', scopes: 'task', stability: 'stable',
    title: 'Get Task Definition', description: 'The task definition, with every default filled in.',
    handle: ({ queue, caller, params }) => queue.task(caller, p(params, 'taskId')),
  },
  {
    name: 'tasks', method: 'post', route: '/tasks', query: ['continuationToken', 'limit'], input: 'v1/tasks-request',
    output: 'v1/tasks-response', scopes: 'tasks', stability: 'experimental',
    title: 'Get Multiple Task Definitions', description: 'The definitions of the given tasks that exist, paged.',
    handle: ({ queue, caller, body, query }) => queue.tasks(caller, body, query),
  },
  {
    name: 'statuses', method: 'post', route: '/tasks/status', query: ['continuationToken', 'limit'], input: 'v1/tasks-request',
    output: 'v1/tasks-statuses-response', scopes: 'statuses', stability: 'experimental',
    title: 'Get Multiple Task Statuses', description: 'The statuses of the given tasks that exist, paged.',
    handle: ({ queue, caller, body, query }) => queue.statuses(caller, body, query),
  },
  {
    name: 'status', method: 'get', route: '/task/<taskId>/status', output: 'v1/task-status-response', scopes: 'status',
    stability: 'stable', title: 'Get Task Status', description: 'The status of a task: its state and runs.',
    handle: ({ queue, caller, params }) => queue.status(caller, p(params, 'taskId')),
  },
  {
    name: 'listTaskGroup', method: 'get', route: '/task-group/<taskGroupId>/list', query: ['continuationToken', 'limit'],
    output: 'v1/list-task-group-response', scopes: 'listTaskGroup', stability: 'stable',
    title: 'List Task Group', description: 'The tasks of a task group with their statuses, paged.',
    handle: ({ queue, caller, params, query }) => queue.listTaskGroup(caller, p(params, 'taskGroupId'), query),
  },
  {
    name: 'cancelTaskGroup', method: 'post', route: '/task-group/<taskGroupId>/cancel', output: 'v1/cancel-task-group-response',
    scopes: 'cancelTaskGroup', stability: 'experimental',
    title: 'Cancel Task Group', description: 'Cancels every unresolved task of a sealed task group.',
    handle: ({ queue, caller, params }) => queue.cancelTaskGroup(caller, p(params, 'taskGroupId')),
  },
  {
    name: 'getTaskGroup', method: 'get', route: '/task-group/<taskGroupId>', output: 'v1/task-group-response',
    scopes: 'getTaskGroup', stability: 'stable', title: 'Get Task Group', description: 'A task group: its scheduler, expiry and seal.',
    handle: ({ queue, caller, params }) => queue.getTaskGroup(caller, p(params, 'taskGroupId')),
  },
  {
    name: 'sealTaskGroup', method: 'post', route: '/task-group/<taskGroupId>/seal', output: 'v1/task-group-response',
    scopes: 'sealTaskGroup', stability: 'experimental',
    title: 'Seal Task Group', description: 'No task may join the group afterwards.',
    handle: ({ queue, caller, params }) => queue.sealTaskGroup(caller, p(params, 'taskGroupId')),
  },
  {
    name: 'listDependentTasks', method: 'get', route: '/task/<taskId>/dependents', query: ['continuationToken', 'limit'],
    output: 'v1/list-dependent-tasks-response', scopes: 'listDependentTasks', stability: 'stable',
    title: 'List Dependent Tasks', description: 'Tasks that depend on this one, paged.',
    handle: ({ queue, caller, params, query }) => queue.listDependentTasks(caller, p(params, 'taskId'), query),
  },
  {
    name: 'createTask', method: 'put', route: '/task/<taskId>', input: 'v1/create-task-request', output: 'v1/task-status-response',
    scopes: 'createTask', stability: 'stable',
    title: 'Create New Task',
    description: 'Creates a task; the same definition again answers the same, another is a 409.',
    handle: ({ queue, caller, params, body }) => queue.createTask(caller, p(params, 'taskId'), body),
  },
  {
    name: 'defineTask', method: 'post', route: '/task/<taskId>/define', input: 'v1/create-task-request',
    output: 'v1/task-status-response', scopes: 'defineTask', stability: 'deprecated',
    title: 'Define Task', description: 'Like createTask, but the task stays unscheduled until scheduleTask.',
    handle: ({ queue, caller, params, body }) => queue.defineTask(caller, p(params, 'taskId'), body),
  },
  {
    name: 'scheduleTask', method: 'post', route: '/task/<taskId>/schedule', output: 'v1/task-status-response',
    scopes: 'scheduleTask', stability: 'stable',
    title: 'Schedule Defined Task', description: 'Makes an unscheduled task pending, whatever its dependencies.',
    handle: ({ queue, caller, params }) => queue.scheduleTask(caller, p(params, 'taskId')),
  },
  {
    name: 'rerunTask', method: 'post', route: '/task/<taskId>/rerun', output: 'v1/task-status-response', scopes: 'rerunTask',
    stability: 'stable', title: 'Rerun a Resolved Task', description: 'Adds a pending run to a resolved task (at most 50 runs).',
    handle: ({ queue, caller, params }) => queue.rerunTask(caller, p(params, 'taskId')),
  },
  {
    name: 'cancelTask', method: 'post', route: '/task/<taskId>/cancel', output: 'v1/task-status-response', scopes: 'cancelTask',
    stability: 'stable', title: 'Cancel Task', description: 'Resolves an unresolved task as exception/canceled.',
    handle: ({ queue, caller, params }) => queue.cancelTask(caller, p(params, 'taskId')),
  },
  {
    name: 'changeTaskPriority', method: 'post', route: '/task/<taskId>/priority', input: 'v1/change-task-priority-request',
    output: 'v1/task-status-response', scopes: 'changeTaskPriority', stability: 'experimental',
    title: 'Change Task Priority', description: 'Moves an unresolved task to another priority.',
    handle: ({ queue, caller, params, body }) => queue.changeTaskPriority(caller, p(params, 'taskId'), body),
  },
];
