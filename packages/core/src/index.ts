export { createQueue, type Queue, type QueueOperationName, type BackgroundJobName } from './queue';
export { operations } from './use-cases/operations';
export { backgroundJobs } from './use-cases/jobs';
export type { UseCaseContext } from './use-cases/context';
export type { ClaimWorkOptions } from './use-cases/work/claim-work';
export type { GetArtifactResult } from './use-cases/artifacts/read-artifacts';
export { defaultQueueConfig, type QueueConfig } from './config';
export { realClock } from './real-clock';
export { Abort } from './abort';
export { callerWithScopes, unrestrictedCaller, type Caller } from './caller';
export { DomainError, WriteConflict, isDomainError, type ErrorCode } from './errors';
export {
  requiredScopes,
  satisfies,
  unsatisfied,
  formatExpression,
  type ScopeExpression,
  type QueueOperation,
} from './domain/scopes';
export { EXCHANGES, TASK_ROUTING_KEY, TASK_GROUP_ROUTING_KEY, type ExchangeName } from './domain/exchanges';
export { PRIORITIES, type Priority } from './domain/priorities';
export type { TaskRecord } from './domain/task-record';
export type * from './ports';
export * as schemas from './schemas';
export { wireSchemas, toJsonSchemas, type WireSchemaName } from './schemas';
export type { ExpireArtifactsResult } from './use-cases/jobs/expire-artifacts';
export type { ListWorkersQuery } from './use-cases/workers/workers';
