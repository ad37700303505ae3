import { z } from 'zod';
import { dateTime, runId, workerGroup, workerId } from './common';
import { taskDefinition, taskStatus } from './task';

/** Upper bound of `tasks` in one `claimWork` call. */
export const MAX_CLAIM_WORK_TASKS = 32;

/** Input of `claimWork`. */
export const claimWorkRequest = z
  .strictObject({
    workerGroup,
    workerId,
    tasks: z
      .number()
      .int()
      .min(1)
      .max(MAX_CLAIM_WORK_TASKS)
      .default(1)
      .describe('Maximum number of tasks to claim; the reply may hold fewer, as soon as one is claimed'),
  })
  .describe('Request to claim up to `tasks` pending tasks of a task queue');
export type ClaimWorkRequest = z.infer<typeof claimWorkRequest>;

/** Temporary credentials issued with every claim and reclaim; they expire at `takenUntil`. */
export const taskCredentials = z
  .strictObject({
    clientId: z.string().min(1).describe('Temporary clientId: task-client/<taskId>/<runId>/on/<workerGroup>/<workerId>/until/<seconds>'),
    accessToken: z.string().min(1).describe('Access token of the temporary credentials'),
    certificate: z.string().describe('Certificate of the temporary credentials, as a JSON string'),
  })
  .describe(
    'Temporary credentials for a run, with scopes to reclaim, resolve and create artifacts for it plus the task scopes',
  );
export type TaskCredentials = z.infer<typeof taskCredentials>;

/** One claimed run: an item of `claimWork` and the response of `claimTask`. */
export const taskClaim = z.strictObject({
  status: taskStatus,
  runId: runId.describe('The run that was claimed'),
  workerGroup,
  workerId,
  takenUntil: dateTime.describe('The claim expires at this time unless the run is reclaimed first'),
  task: taskDefinition,
  credentials: taskCredentials,
});
export type TaskClaim = z.infer<typeof taskClaim>;

export const claimWorkResponse = z
  .strictObject({
    tasks: z.array(taskClaim).describe('Runs claimed by this call; empty when the long poll timed out'),
  })
  .describe('Runs claimed by `claimWork`');
export type ClaimWorkResponse = z.infer<typeof claimWorkResponse>;

/** Input of the deprecated `claimTask`. */
export const taskClaimRequest = z
  .strictObject({ workerGroup, workerId })
  .describe('Request to claim one pending run of a task');
export type TaskClaimRequest = z.infer<typeof taskClaimRequest>;

export const taskClaimResponse = taskClaim.describe('A claimed run, with the task, its status and temporary credentials');
export type TaskClaimResponse = z.infer<typeof taskClaimResponse>;

/** Response of `reclaimTask`: a new `takenUntil` and fresh credentials. */
export const taskReclaimResponse = z
  .strictObject({
    status: taskStatus,
    runId: runId.describe('The run that was reclaimed'),
    workerGroup,
    workerId,
    takenUntil: dateTime.describe('The claim now expires at this time unless the run is reclaimed again'),
    credentials: taskCredentials,
  })
  .describe('A reclaimed run, with its new expiry and fresh temporary credentials');
export type TaskReclaimResponse = z.infer<typeof taskReclaimResponse>;

export const EXCEPTION_REASONS = [
  'worker-shutdown',
  'malformed-payload',
  'resource-unavailable',
  'internal-error',
  'superseded',
  'intermittent-task',
] as const;

/** Input of `reportException`. */
export const taskExceptionRequest = z
  .strictObject({
    reason: z
      .enum(EXCEPTION_REASONS)
      .describe('Why the run ended in exception; worker-shutdown and intermittent-task are retried while retries are left'),
  })
  .describe('Request to resolve a running run as exception');
export type TaskExceptionRequest = z.infer<typeof taskExceptionRequest>;
export type ExceptionReason = TaskExceptionRequest['reason'];
