import { z } from 'zod';
import {
  claimWorkRequest,
  claimWorkResponse,
  createTaskRequest,
  MAX_ROUTES,
  postArtifactRequest,
  postArtifactResponse,
  artifactContentResponse,
  changeTaskPriorityRequest,
  quarantineWorkerRequest,
  toJsonSchemas,
  updateWorkerRequest,
  wireSchemas,
  taskExceptionMessage,
  taskGroupChangedMessage,
} from './index';

const TASK_ID = 'fN1SbArXTPSVFNUvaOlinQ';
const GROUP_ID = 'dSlITZ4yQgmvxxAi4A8fHQ';
const created = '2024-05-01T10:00:00.000Z';
const deadline = '2024-05-02T10:00:00.000Z';
const expires = '2025-05-02T10:00:00.000Z';

const minimalTask = {
  taskQueueId: 'proj-build/linux-large',
  created,
  deadline,
  payload: {},
  metadata: { name: 'build', description: 'Builds it', owner: 'me@example.com', source: 'https://example.com/ci' },
};

const issuesOf = (result: { success: boolean; error?: z.ZodError }) => {
  expect(result.success).toBe(false);
  return result.error?.issues ?? [];
};

describe('create-task-request', () => {
  it('parses a minimal task and fills every default', () => {
    expect(createTaskRequest.parse(minimalTask)).toEqual({
      ...minimalTask,
      schedulerId: '-',
      projectId: 'none',
      dependencies: [],
      requires: 'all-completed',
      routes: [],
      priority: 'lowest',
      retries: 5,
      scopes: [],
      tags: {},
      extra: {},
    });
  });

  it('accepts the old `normal` priority on create', () => {
    expect(createTaskRequest.parse({ ...minimalTask, priority: 'normal' }).priority).toBe('normal');
  });

  it('refuses a scope ending in `**` and names the field', () => {
    const result = createTaskRequest.safeParse({ ...minimalTask, scopes: ['queue:get-task:x', 'secrets:**'] });
    const issues = issuesOf(result);
    expect(issues.map((i) => i.path)).toEqual([['scopes', 1]]);
    expect(issues[0]?.message).toContain('**');
    expect(z.prettifyError(result.error!)).toContain('scopes[1]');
  });

  it(`refuses more than ${MAX_ROUTES} routes`, () => {
    const routes = Array.from({ length: MAX_ROUTES + 1 }, (_, i) => `index.route-${i}`);
    expect(issuesOf(createTaskRequest.safeParse({ ...minimalTask, routes })).map((i) => i.path)).toEqual([['routes']]);
    expect(createTaskRequest.safeParse({ ...minimalTask, routes: routes.slice(1) }).success).toBe(true);
  });

  it('refuses a malformed taskQueueId', () => {
    for (const taskQueueId of ['no-slash', 'prov/Upper', 'prov/ends-', '/wt', 'p/w/x']) {
      const issues = issuesOf(createTaskRequest.safeParse({ ...minimalTask, taskQueueId }));
      expect(issues[0]?.path).toEqual(['taskQueueId']);
    }
  });

  it('accepts provisionerId/workerType instead of taskQueueId, or both when they agree', () => {
    const { taskQueueId: _, ...legacy } = minimalTask;
    expect(createTaskRequest.safeParse({ ...legacy, provisionerId: 'proj-build', workerType: 'linux-large' }).success).toBe(
      true,
    );
    expect(
      createTaskRequest.safeParse({ ...minimalTask, provisionerId: 'proj-build', workerType: 'linux-large' }).success,
    ).toBe(true);
    expect(issuesOf(createTaskRequest.safeParse(legacy))[0]?.path).toEqual(['taskQueueId']);
  });

  it('refuses taskQueueId disagreeing with provisionerId/workerType', () => {
    const issues = issuesOf(
      createTaskRequest.safeParse({ ...minimalTask, provisionerId: 'proj-build', workerType: 'linux-small' }),
    );
    expect(issues[0]?.path).toEqual(['taskQueueId']);
    expect(issues[0]?.message).toMatch(/provisionerId/);
  });
});

describe('change-task-priority-request', () => {
  it('refuses `normal`', () => {
    expect(changeTaskPriorityRequest.safeParse({ newPriority: 'high' }).success).toBe(true);
    expect(changeTaskPriorityRequest.safeParse({ newPriority: 'normal' }).success).toBe(false);
  });
});

describe('post-artifact-request', () => {
  const variants = {
    s3: { storageType: 's3', expires, contentType: 'text/plain' },
    azure: { storageType: 'azure', expires, contentType: 'text/plain' },
    reference: { storageType: 'reference', expires, url: 'https://example.com/log.txt' },
    link: { storageType: 'link', expires, artifact: 'public/logs/live.log' },
    error: { storageType: 'error', expires, reason: 'file-missing-on-worker', message: 'no such file' },
  };

  it.each(Object.entries(variants))('parses a %s artifact', (_, body) => {
    expect(postArtifactRequest.parse(body)).toEqual(body);
  });

  it('refuses an unknown storageType', () => {
    for (const storageType of ['blob', 'object', 'S3']) {
      const issues = issuesOf(postArtifactRequest.safeParse({ ...variants.s3, storageType }));
      expect(issues[0]?.path).toEqual(['storageType']);
    }
  });

  it('refuses fields of another variant and bad values', () => {
    expect(postArtifactRequest.safeParse({ ...variants.s3, url: 'https://example.com' }).success).toBe(false);
    expect(postArtifactRequest.safeParse({ ...variants.error, reason: 'oops' }).success).toBe(false);
    expect(postArtifactRequest.safeParse({ ...variants.error, message: 'x'.repeat(4097) }).success).toBe(false);
    expect(postArtifactRequest.safeParse({ ...variants.link, artifact: 'tab\tname' }).success).toBe(false);
    expect(postArtifactRequest.safeParse({ ...variants.link, artifact: 'a'.repeat(1025) }).success).toBe(false);
    const { contentType: _, ...noContentType } = variants.s3;
    expect(postArtifactRequest.safeParse(noContentType).success).toBe(false);
  });

  it('has matching responses', () => {
    expect(
      postArtifactResponse.safeParse({
        storageType: 's3',
        contentType: 'text/plain',
        expires,
        putUrl: 'https://bucket.s3.amazonaws.com/x',
      }).success,
    ).toBe(true);
    expect(postArtifactResponse.safeParse({ storageType: 'link' }).success).toBe(true);
    expect(postArtifactResponse.safeParse({ storageType: 's3' }).success).toBe(false);
    expect(artifactContentResponse.safeParse({ storageType: 'error', reason: 'file-missing-on-worker', message: 'x' }).success).toBe(
      true,
    );
    expect(artifactContentResponse.safeParse({ storageType: 'error', url: 'https://example.com' }).success).toBe(false);
  });
});

describe('workers', () => {
  it('update-worker-request takes only expires', () => {
    expect(updateWorkerRequest.parse({ expires })).toEqual({ expires });
    expect(updateWorkerRequest.parse({})).toEqual({});
    const issues = issuesOf(updateWorkerRequest.safeParse({ expires, quarantineUntil: expires }));
    expect(issues[0]?.code).toBe('unrecognized_keys');
  });

  it('quarantine-worker-request requires quarantineUntil', () => {
    expect(quarantineWorkerRequest.safeParse({ quarantineInfo: 'flaky disk' }).success).toBe(false);
    expect(quarantineWorkerRequest.safeParse({ quarantineUntil: expires, quarantineInfo: 'x'.repeat(4001) }).success).toBe(
      false,
    );
  });
});

describe('claim work', () => {
  it('defaults tasks to 1 and bounds it to 1..32', () => {
    expect(claimWorkRequest.parse({ workerGroup: 'us-east-1', workerId: 'i-123' })).toEqual({
      workerGroup: 'us-east-1',
      workerId: 'i-123',
      tasks: 1,
    });
    expect(claimWorkRequest.safeParse({ workerGroup: 'g', workerId: 'w', tasks: 33 }).success).toBe(false);
    expect(claimWorkRequest.safeParse({ workerGroup: 'g', workerId: 'w', tasks: 0 }).success).toBe(false);
  });

  it('parses a claim-work-response', () => {
    const takenUntil = '2024-05-01T10:20:00.000Z';
    const sample = {
      tasks: [
        {
          status: {
            taskId: TASK_ID,
            provisionerId: 'proj-build',
            workerType: 'linux-large',
            taskQueueId: 'proj-build/linux-large',
            schedulerId: '-',
            projectId: 'none',
            taskGroupId: GROUP_ID,
            deadline,
            expires,
            retriesLeft: 5,
            state: 'running',
            runs: [
              {
                runId: 0,
                state: 'running',
                reasonCreated: 'scheduled',
                workerGroup: 'us-east-1',
                workerId: 'i-123',
                takenUntil,
                scheduled: created,
                started: created,
              },
            ],
          },
          runId: 0,
          workerGroup: 'us-east-1',
          workerId: 'i-123',
          takenUntil,
          task: {
            ...minimalTask,
            provisionerId: 'proj-build',
            workerType: 'linux-large',
            schedulerId: '-',
            projectId: 'none',
            taskGroupId: GROUP_ID,
            dependencies: [],
            requires: 'all-completed',
            routes: [],
            priority: 'lowest',
            retries: 5,
            expires,
            scopes: [],
            tags: {},
            extra: {},
          },
          credentials: {
            clientId: `task-client/${TASK_ID}/0/on/us-east-1/i-123/until/1714558800`,
            accessToken: 'secret',
            certificate: '{"version":1}',
          },
        },
      ],
    };
    expect(claimWorkResponse.parse(sample)).toEqual(sample);
    expect(claimWorkResponse.parse({ tasks: [] })).toEqual({ tasks: [] });
  });
});

describe('messages', () => {
  it('allow a task-exception without worker and require version 1', () => {
    const body = { version: 1, taskGroupId: GROUP_ID, schedulerId: '-' };
    expect(taskGroupChangedMessage.safeParse(body).success).toBe(true);
    expect(taskGroupChangedMessage.safeParse({ ...body, version: 2 }).success).toBe(false);
    expect(taskExceptionMessage.shape.runId.safeParse(undefined).success).toBe(true);
  });
});

describe('toJsonSchemas', () => {
  const json = toJsonSchemas() as Record<string, Record<string, unknown>>;

  it('emits one schema per wire name, sorted, with $id, title and description', () => {
    const names = Object.keys(wireSchemas).sort();
    expect(Object.keys(json)).toEqual(names);
    for (const name of names) {
      expect(json[name]).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: `${name}.json#`,
        title: expect.any(String),
        description: expect.any(String),
      });
    }
  });

  it('keeps request defaults optional and response fields required', () => {
    expect(json['v1/create-task-request']?.required).toEqual(['created', 'deadline', 'payload', 'metadata']);
    expect(json['v1/claim-work-request']?.required).toEqual(['workerGroup', 'workerId']);
    expect(json['v1/task']?.required).toContain('priority');
  });

  it('is deterministic', () => {
    expect(JSON.stringify(toJsonSchemas())).toBe(JSON.stringify(json));
  });
});
