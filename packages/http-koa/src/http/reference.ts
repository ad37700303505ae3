import {
  EXCHANGES,
  requiredScopes,
  TASK_GROUP_ROUTING_KEY,
  TASK_ROUTING_KEY,
  toJsonSchemas,
  type QueueOperation,
  type ScopeExpression,
} from '@taskcluster-queue/core';
import type { Endpoint } from '../endpoints';

/** Placeholder parameters: each operation's scope expression rendered as a template. */
const PLACEHOLDERS = {
  taskId: '<taskId>',
  taskIds: ['<taskId>'],
  runId: '<runId>',
  name: '<name>',
  names: ['<name>'],
  taskGroupId: '<taskGroupId>',
  schedulerId: '<schedulerId>',
  projectId: '<projectId>',
  taskQueueId: '<provisionerId>/<workerType>',
  provisionerId: '<provisionerId>',
  workerType: '<workerType>',
  workerGroup: '<workerGroup>',
  workerId: '<workerId>',
  body: { '<property>': null },
  task: {
    taskQueueId: '<provisionerId>/<workerType>',
    scopes: ['<scope>'],
    routes: ['<route>'],
    projectId: '<projectId>',
    schedulerId: '<schedulerId>',
    taskGroupId: '<taskGroupId>',
    priority: 'lowest',
  },
};

export const scopeTemplate = (operation: QueueOperation): ScopeExpression =>
  (requiredScopes[operation] as (params: unknown) => ScopeExpression)(PLACEHOLDERS);

const argsOf = (route: string) => [...route.matchAll(/<([A-Za-z]+)>/g)].map((m) => m[1]!);

/** The API reference in Taskcluster's format (`api-reference-v0`). */
export const apiReference = (endpoints: readonly Endpoint[], rootUrl: string) => ({
  $schema: `${rootUrl}/schemas/common/api-reference-v0.json#`,
  apiVersion: 'v1',
  serviceName: 'queue',
  title: 'Queue API Documentation',
  description: 'The queue service is responsible for accepting tasks and tracking their state as they are executed by workers.',
  entries: endpoints.map((endpoint) => ({
    type: 'function',
    method: endpoint.method,
    route: endpoint.route,
    query: endpoint.query ?? [],
    args: argsOf(endpoint.route),
    name: endpoint.name,
    stability: endpoint.stability,
    title: endpoint.title,
    description: endpoint.description,
    ...(endpoint.scopes && { scopes: scopeTemplate(endpoint.scopes) }),
    ...(endpoint.input && { input: `${endpoint.input}.json#` }),
    ...(endpoint.output && { output: `${endpoint.output}.json#` }),
  })),
});

/** The exchanges reference in Taskcluster's format (`exchanges-reference-v0`). */
export const exchangesReference = (rootUrl: string) => ({
  $schema: `${rootUrl}/schemas/common/exchanges-reference-v0.json#`,
  apiVersion: 'v1',
  serviceName: 'queue',
  title: 'Queue AMQP Exchanges',
  description: 'Every change of a task, run, artifact or task group is announced on these exchanges.',
  exchangePrefix: 'exchange/taskcluster-queue/v1/',
  entries: Object.entries(EXCHANGES).map(([name, exchange]) => ({
    type: 'topic-exchange',
    exchange: name,
    name: name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
    title: exchange.title,
    description: exchange.title,
    schema: `v1/${exchange.schema}.json#`,
    routingKey: (exchange.kind === 'task' ? TASK_ROUTING_KEY : TASK_GROUP_ROUTING_KEY).map((word) => ({
      name: word,
      summary: word,
      required: word === 'routingKeyKind' || word === 'taskId' || word === 'taskGroupId',
      multipleWords: word === 'reserved',
      ...(word === 'routingKeyKind' && { constant: 'primary' }),
    })),
  })),
});

/** OpenAPI 3.1, from the same table; schemas are the generated JSON Schemas. */
export const openApiDocument = (endpoints: readonly Endpoint[], rootUrl: string) => {
  const schemas = toJsonSchemas();
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name.replace('/', '-')}` });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of endpoints) {
    const path = endpoint.route.replace(/<([A-Za-z]+)>/g, '{$1}');
    paths[path] ??= {};
    paths[path]![endpoint.method] = {
      operationId: endpoint.name,
      summary: endpoint.title,
      description: endpoint.description,
      ...(endpoint.stability === 'deprecated' && { deprecated: true }),
      parameters: [
        ...argsOf(endpoint.route).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
        ...(endpoint.query ?? []).map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } })),
      ],
      ...(endpoint.input && { requestBody: { required: true, content: { 'application/json': { schema: ref(endpoint.input) } } } }),
      responses: {
        [endpoint.name === 'getArtifact' || endpoint.name === 'getLatestArtifact' ? '303' : '200']: {
          description: 'Success',
          ...(endpoint.output && { content: { 'application/json': { schema: ref(endpoint.output) } } }),
        },
        default: { description: 'Error: {code, message, requestInfo}' },
      },
      ...(endpoint.scopes && { 'x-taskcluster-scopes': scopeTemplate(endpoint.scopes) }),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Taskcluster Queue', version: 'v1' },
    servers: [{ url: `${rootUrl}/api/queue/v1` }],
    paths,
    components: { schemas: Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name.replace('/', '-'), schema])) },
  };
};
