import { PRIORITIES, normalisePriority, prioritiesAtOrAbove, priorityRank } from './priorities';
import {
  formatExpression,
  isValidScope,
  requiredScopes as rs,
  resolveTaskQueue,
  satisfies,
  unsatisfied,
  type ScopeExpression,
  type TaskScopeFields,
} from './scopes';
import { DomainError } from '../errors';

const TID = 'dSlITZ4yQgmvxxAi4A8fHQ';
const TG = 'eSlITZ4yQgmvxxAi4A8fHQ';

describe('satisfies / unsatisfied', () => {
  it('matches exact scopes and trailing-* prefixes only', () => {
    expect(satisfies(['a:b'], 'a:b')).toBe(true);
    expect(satisfies(['a:*'], 'a:b/c')).toBe(true);
    expect(satisfies(['a*'], 'a')).toBe(true);
    expect(satisfies(['*'], 'anything')).toBe(true);
    expect(satisfies(['a:b'], 'a:bc')).toBe(false);
    expect(satisfies(['a:*:c'], 'a:b:c')).toBe(false); // * only counts at the end
    expect(satisfies([], 'a')).toBe(false);
  });

  it('evaluates AllOf and AnyOf, including empty ones', () => {
    const expr: ScopeExpression = { AllOf: ['a', { AnyOf: ['b', 'c'] }] };
    expect(satisfies(['a', 'c'], expr)).toBe(true);
    expect(satisfies(['a'], expr)).toBe(false);
    expect(satisfies(['b', 'c'], expr)).toBe(false);
    expect(satisfies([], { AllOf: [] })).toBe(true);
    expect(satisfies(['*'], { AnyOf: [] })).toBe(false);
  });

  it('reports what is missing, or undefined when satisfied', () => {
    const expr: ScopeExpression = { AllOf: ['a', 'b', { AnyOf: ['c', 'd'] }] };
    expect(unsatisfied(['a', 'b', 'd'], expr)).toBeUndefined();
    expect(unsatisfied(['a'], expr)).toEqual({ AllOf: ['b', { AnyOf: ['c', 'd'] }] });
    expect(unsatisfied(['a', 'c'], expr)).toBe('b');
  });

  it('formats expressions as plain text', () => {
    expect(formatExpression({ AllOf: ['a', { AnyOf: ['b', 'c'] }] })).toBe('AllOf[a, AnyOf[b, c]]');
  });

  it('validates scopes as printable ASCII', () => {
    expect(isValidScope('queue:get-task:x *')).toBe(true);
    expect(isValidScope('a\nb')).toBe(false);
    expect(isValidScope('é')).toBe(false);
    expect(isValidScope(42)).toBe(false);
  });
});

describe('priorities', () => {
  it('orders highest first and treats normal as lowest', () => {
    expect(PRIORITIES[0]).toBe('highest');
    expect(PRIORITIES[PRIORITIES.length - 1]).toBe('lowest');
    expect(normalisePriority('normal')).toBe('lowest');
    expect(priorityRank('highest')).toBeGreaterThan(priorityRank('high'));
    expect(priorityRank('normal')).toBe(priorityRank('lowest'));
    expect(priorityRank('lowest')).toBe(0);
    expect(prioritiesAtOrAbove('high')).toEqual(['highest', 'very-high', 'high']);
    expect(prioritiesAtOrAbove('normal')).toEqual([...PRIORITIES]);
  });
});

describe('createTask scopes', () => {
  const task = (over: Partial<TaskScopeFields> = {}): TaskScopeFields => ({
    taskQueueId: 'p/w',
    schedulerId: 'sched',
    projectId: 'proj',
    taskGroupId: TG,
    ...over,
  });
  const base = ['queue:create-task:project:proj', 'queue:scheduler-id:sched'];
  const can = (scopes: string[], t: TaskScopeFields) => satisfies(scopes, rs.createTask({ taskId: TID, task: t }));

  it('builds the modern expression with task scopes, routes and the priority ladder', () => {
    expect(rs.createTask({ taskId: TID, task: task({ priority: 'high', scopes: ['s:1'], routes: ['r.1'] }) })).toEqual({
      AllOf: [
        's:1',
        'queue:route:r.1',
        'queue:create-task:project:proj',
        'queue:scheduler-id:sched',
        { AnyOf: ['highest', 'very-high', 'high'].map((p) => `queue:create-task:${p}:p/w`) },
      ],
    });
  });

  it('a higher-priority scope authorizes a lower priority, not the reverse', () => {
    expect(can([...base, 'queue:create-task:high:p/w'], task({ priority: 'high' }))).toBe(true);
    expect(can([...base, 'queue:create-task:highest:p/w'], task({ priority: 'high' }))).toBe(true);
    expect(can([...base, 'queue:create-task:low:p/w'], task({ priority: 'high' }))).toBe(false);
  });

  it('normal and lowest work with the lowest scope and with legacy scopes', () => {
    for (const priority of ['normal', 'lowest'] as const) {
      expect(can([...base, 'queue:create-task:lowest:p/w'], task({ priority }))).toBe(true);
      expect(can(['queue:create-task:p/w'], task({ priority }))).toBe(true);
      expect(
        can(
          [`queue:define-task:p/w`, `queue:task-group-id:sched/${TG}`, `queue:schedule-task:sched/${TG}/${TID}`],
          task({ priority }),
        ),
      ).toBe(true);
      expect(can([`queue:define-task:p/w`, `queue:task-group-id:sched/${TG}`], task({ priority }))).toBe(false);
    }
  });

  it('legacy scopes do not authorize a higher priority', () => {
    expect(can(['queue:create-task:p/w'], task({ priority: 'high' }))).toBe(false);
    expect(can([...base, 'queue:create-task:p/w'], task({ priority: 'low' }))).toBe(false);
  });

  it('still requires the task scopes and routes on the legacy branch', () => {
    const t = task({ priority: 'lowest', scopes: ['s:1'], routes: ['r.1'] });
    expect(can(['queue:create-task:p/w', 'queue:route:r.1'], t)).toBe(false);
    expect(can(['queue:create-task:p/w', 'queue:route:*', 's:1'], t)).toBe(true);
  });

  it('requires the project and scheduler scopes on the modern branch', () => {
    const t = task({ priority: 'medium' });
    expect(can(['queue:create-task:medium:p/w', 'queue:scheduler-id:sched'], t)).toBe(false);
    expect(can(['queue:create-task:medium:p/w', 'queue:create-task:project:proj'], t)).toBe(false);
  });

  it('applies task defaults and accepts provisionerId/workerType', () => {
    const expr = rs.createTask({ taskId: TID, task: { provisionerId: 'p', workerType: 'w' } });
    expect(
      satisfies(['queue:create-task:project:none', 'queue:scheduler-id:-', 'queue:create-task:lowest:p/w'], expr),
    ).toBe(true);
    expect(satisfies([`queue:define-task:p/w`, `queue:task-group-id:-/${TID}`, `queue:schedule-task:-/${TID}/${TID}`], expr)).toBe(true);
  });

  it('rejects a task whose queue names disagree or are missing', () => {
    expect(() => resolveTaskQueue({ taskQueueId: 'p/w', provisionerId: 'p', workerType: 'x' })).toThrow(DomainError);
    expect(() => rs.createTask({ taskId: TID, task: {} })).toThrow(DomainError);
    expect(resolveTaskQueue({ taskQueueId: 'p/w' })).toEqual({ taskQueueId: 'p/w', provisionerId: 'p', workerType: 'w' });
  });
});

describe('defineTask scopes', () => {
  const t: TaskScopeFields = { taskQueueId: 'p/w', schedulerId: 's', projectId: 'x', taskGroupId: TG, priority: 'lowest' };
  it('accepts the define-task legacy scope for lowest priority only', () => {
    expect(satisfies(['queue:define-task:p/w'], rs.defineTask({ taskId: TID, task: t }))).toBe(true);
    expect(satisfies(['queue:create-task:p/w'], rs.defineTask({ taskId: TID, task: t }))).toBe(true);
    expect(satisfies(['queue:define-task:p/w'], rs.defineTask({ taskId: TID, task: { ...t, priority: 'low' } }))).toBe(false);
    expect(
      satisfies(
        ['queue:create-task:project:x', 'queue:scheduler-id:s', 'queue:create-task:low:p/w'],
        rs.defineTask({ taskId: TID, task: { ...t, priority: 'low' } }),
      ),
    ).toBe(true);
  });
});

describe('requiredScopes per operation', () => {
  const run = { taskId: 't', runId: 0 };
  const w = { provisionerId: 'p', workerType: 'w', workerGroup: 'g', workerId: 'i' };
  const taskRef = { taskId: 't', schedulerId: 's', taskGroupId: 'g', projectId: 'x' };
  const cases: Array<[string, ScopeExpression, ScopeExpression]> = [
    ['task', rs.task({ taskId: 't' }), 'queue:get-task:t'],
    ['tasks', rs.tasks({ taskIds: ['a', 'b'] }), { AllOf: ['queue:get-task:a', 'queue:get-task:b'] }],
    ['statuses', rs.statuses({ taskIds: ['a'] }), { AllOf: ['queue:status:a'] }],
    ['status', rs.status({ taskId: 't' }), 'queue:status:t'],
    ['listTaskGroup', rs.listTaskGroup({ taskGroupId: 'g' }), 'queue:list-task-group:g'],
    ['getTaskGroup', rs.getTaskGroup({ taskGroupId: 'g' }), 'queue:list-task-group:g'],
    ['cancelTaskGroup', rs.cancelTaskGroup({ schedulerId: 's', taskGroupId: 'g' }), 'queue:cancel-task-group:s/g'],
    ['sealTaskGroup', rs.sealTaskGroup({ schedulerId: 's', taskGroupId: 'g' }), 'queue:seal-task-group:s/g'],
    ['listDependentTasks', rs.listDependentTasks({ taskId: 't' }), 'queue:list-dependent-tasks:t'],
    ...(['schedule-task', 'rerun-task', 'cancel-task'] as const).map(
      (a): [string, ScopeExpression, ScopeExpression] => [
        a,
        a === 'schedule-task' ? rs.scheduleTask(taskRef) : a === 'rerun-task' ? rs.rerunTask(taskRef) : rs.cancelTask(taskRef),
        {
          AnyOf: [
            `queue:${a}:s/g/t`,
            `queue:${a}-in-project:x`,
            { AllOf: [`queue:${a}`, 'assume:scheduler-id:s/g'] },
          ],
        },
      ],
    ),
    [
      'changeTaskPriority',
      rs.changeTaskPriority({ taskId: 't', taskQueueId: 'p/w' }),
      { AnyOf: ['queue:change-task-priority:t', 'queue:change-task-priority-in-queue:p/w'] },
    ],
    [
      'claimWork',
      rs.claimWork({ taskQueueId: 'p/w', workerGroup: 'g', workerId: 'i' }),
      { AllOf: ['queue:claim-work:p/w', 'queue:worker-id:g/i'] },
    ],
    [
      'claimTask',
      rs.claimTask({ taskQueueId: 'p/w', workerGroup: 'g', workerId: 'i' }),
      {
        AnyOf: [
          { AllOf: ['queue:claim-task:p/w', 'queue:worker-id:g/i'] },
          { AllOf: ['queue:claim-task', 'assume:worker-type:p/w', 'assume:worker-id:g/i'] },
        ],
      },
    ],
    [
      'reclaimTask',
      rs.reclaimTask({ ...run, workerGroup: 'g', workerId: 'i' }),
      { AnyOf: ['queue:reclaim-task:t/0', { AllOf: ['queue:claim-task', 'assume:worker-id:g/i'] }] },
    ],
    ...(['reportCompleted', 'reportFailed', 'reportException'] as const).map(
      (op): [string, ScopeExpression, ScopeExpression] => [
        op,
        rs[op]({ ...run, workerGroup: 'g', workerId: 'i' }),
        { AnyOf: ['queue:resolve-task:t/0', { AllOf: ['queue:resolve-task', 'assume:worker-id:g/i'] }] },
      ],
    ),
    ['reportCompleted (unclaimed run)', rs.reportCompleted(run), 'queue:resolve-task:t/0'],
    ...(['createArtifact', 'finishArtifact'] as const).map(
      (op): [string, ScopeExpression, ScopeExpression] => [
        op,
        rs[op]({ ...run, name: 'public/x', workerGroup: 'g', workerId: 'i' }),
        { AnyOf: ['queue:create-artifact:t/0', { AllOf: ['queue:create-artifact:public/x', 'assume:worker-id:g/i'] }] },
      ],
    ),
    ...(['getArtifact', 'getLatestArtifact', 'artifact', 'latestArtifact'] as const).map(
      (op): [string, ScopeExpression, ScopeExpression] => [
        op,
        rs[op]({ names: ['public/link', 'private/target'] }),
        { AllOf: ['queue:get-artifact:public/link', 'queue:get-artifact:private/target'] },
      ],
    ),
    ['listArtifacts', rs.listArtifacts(run), 'queue:list-artifacts:t:0'],
    ['listLatestArtifacts', rs.listLatestArtifacts({ taskId: 't' }), 'queue:list-artifacts:t'],
    ['artifactInfo', rs.artifactInfo({ taskId: 't', runId: 2 }), 'queue:list-artifacts:t:2'],
    ['latestArtifactInfo', rs.latestArtifactInfo({ taskId: 't' }), 'queue:list-artifacts:t'],
    ['listProvisioners', rs.listProvisioners(), 'queue:list-provisioners'],
    ['getProvisioner', rs.getProvisioner({ provisionerId: 'p' }), 'queue:get-provisioner:p'],
    [
      'declareProvisioner',
      rs.declareProvisioner({ provisionerId: 'p', body: { description: 'd', stability: 'stable' } }),
      { AllOf: ['queue:declare-provisioner:p#description', 'queue:declare-provisioner:p#stability'] },
    ],
    ['declareProvisioner (empty body)', rs.declareProvisioner({ provisionerId: 'p', body: {} }), { AllOf: [] }],
    ['pendingTasks', rs.pendingTasks({ taskQueueId: 'p/w' }), 'queue:pending-count:p/w'],
    [
      'taskQueueCounts',
      rs.taskQueueCounts({ taskQueueId: 'p/w' }),
      { AllOf: ['queue:pending-count:p/w', 'queue:claimed-count:p/w'] },
    ],
    ['listPendingTasks', rs.listPendingTasks({ taskQueueId: 'p/w' }), 'queue:pending-list:p/w'],
    ['listClaimedTasks', rs.listClaimedTasks({ taskQueueId: 'p/w' }), 'queue:claimed-list:p/w'],
    ['listWorkerTypes', rs.listWorkerTypes({ provisionerId: 'p' }), 'queue:list-worker-types:p'],
    ['getWorkerType', rs.getWorkerType(w), 'queue:get-worker-type:p/w'],
    [
      'declareWorkerType',
      rs.declareWorkerType({ provisionerId: 'p', workerType: 'w', body: { expires: 'x' } }),
      { AllOf: ['queue:declare-worker-type:p/w#expires'] },
    ],
    ['listTaskQueues', rs.listTaskQueues(), 'queue:list-task-queues'],
    ['getTaskQueue', rs.getTaskQueue({ taskQueueId: 'p/w' }), 'queue:get-task-queue:p/w'],
    ['listWorkers', rs.listWorkers(w), 'queue:list-workers:p/w'],
    ['getWorker', rs.getWorker(w), 'queue:get-worker:p/w/g/i'],
    ['quarantineWorker', rs.quarantineWorker(w), { AllOf: ['queue:quarantine-worker:p/w/g/i'] }],
    ['declareWorker', rs.declareWorker({ ...w, body: { expires: 'x' } }), { AllOf: ['queue:declare-worker:p/w/g/i#expires'] }],
  ];

  it.each(cases)('%s', (_name, actual, expected) => {
    expect(actual).toEqual(expected);
  });

  it('covers every operation', () => {
    const tested = new Set(cases.map(([n]) => n.split(' ')[0]));
    for (const a of ['schedule-task', 'rerun-task', 'cancel-task']) tested.delete(a);
    tested.add('scheduleTask').add('rerunTask').add('cancelTask').add('createTask').add('defineTask');
    expect([...tested].sort()).toEqual(Object.keys(rs).sort());
  });

  it('the legacy worker alternatives are honoured', () => {
    const legacy = ['queue:resolve-task', 'assume:worker-id:g/i'];
    expect(satisfies(legacy, rs.reportFailed({ ...run, workerGroup: 'g', workerId: 'i' }))).toBe(true);
    expect(satisfies(legacy, rs.reportFailed({ ...run, workerGroup: 'g', workerId: 'other' }))).toBe(false);
    expect(satisfies(['queue:claim-task', 'assume:worker-id:g/*'], rs.reclaimTask({ ...run, workerGroup: 'g', workerId: 'i' }))).toBe(true);
  });
});
