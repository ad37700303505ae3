import { runIdOf, type Endpoint } from './endpoint';

const p = (params: Readonly<Record<string, string>>, name: string) => params[name] ?? '';

/** The worker interface: claiming, reclaiming and resolving runs. */
export const workEndpoints: readonly Endpoint[] = [
  {
    name: 'claimWork', method: 'post', route: '/claim-work/<taskQueueId>', input: 'v1/claim-work-request',
    output: 'v1/claim-work-response', scopes: 'claimWork', stability: 'stable',
    title: 'Claim Work',
    description: 'Claims up to `tasks` pending runs, long-polling up to 20 s when none is pending.',
    handle: (call) => call.queue.claimWork(call.caller, p(call.params, 'taskQueueId'), call.body, call), // the call's signal is made only if the claim has to wait
  },
  {
    name: 'claimTask', method: 'post', route: '/task/<taskId>/runs/<runId>/claim', input: 'v1/task-claim-request',
    output: 'v1/task-claim-response', scopes: 'claimTask', stability: 'deprecated',
    title: 'Claim Task', description: 'Claims one named pending run.',
    handle: ({ queue, caller, params, body }) => queue.claimTask(caller, p(params, 'taskId'), runIdOf(params), body),
  },
  {
    name: 'reclaimTask', method: 'post', route: '/task/<taskId>/runs/<runId>/reclaim', output: 'v1/task-reclaim-response',
    scopes: 'reclaimTask', stability: 'stable',
    title: 'Reclaim Task', description: 'Extends the claim of a running run; a 409 tells the worker to stop.',
    handle: ({ queue, caller, params }) => queue.reclaimTask(caller, p(params, 'taskId'), runIdOf(params)),
  },
  {
    name: 'reportCompleted', method: 'post', route: '/task/<taskId>/runs/<runId>/completed', output: 'v1/task-status-response',
    scopes: 'reportCompleted', stability: 'stable', title: 'Report Run Completed', description: 'Resolves a running run as completed.',
    handle: ({ queue, caller, params }) => queue.reportCompleted(caller, p(params, 'taskId'), runIdOf(params)),
  },
  {
    name: 'reportFailed', method: 'post', route: '/task/<taskId>/runs/<runId>/failed', output: 'v1/task-status-response',
    scopes: 'reportFailed', stability: 'stable', title: 'Report Run Failed', description: 'Resolves a running run as failed.',
    handle: ({ queue, caller, params }) => queue.reportFailed(caller, p(params, 'taskId'), runIdOf(params)),
  },
  {
    name: 'reportException', method: 'post', route: '/task/<taskId>/runs/<runId>/exception', input: 'v1/task-exception-request',
    output: 'v1/task-status-response', scopes: 'reportException', stability: 'stable',
    title: 'Report Task Exception', description: 'Resolves a running run as exception; some reasons retry.',
    handle: ({ queue, caller, params, body }) => queue.reportException(caller, p(params, 'taskId'), runIdOf(params), body),
  },
];
