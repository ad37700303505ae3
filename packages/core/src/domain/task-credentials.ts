import type { CredentialRequest } from '../ports/credential-issuer';
import type { TaskRecord } from './task-record';
import type { WorkerRef } from './transitions';

/**
 * The temporary credentials of a claimed run (queue-inventory §6.3): named after the run and
 * worker, valid until `takenUntil`, holding what the worker needs for this run plus task.scopes.
 */
export const taskCredentialRequest = (
  task: TaskRecord,
  runId: number,
  worker: WorkerRef,
  takenUntil: number,
  now: number,
): CredentialRequest => {
  const { taskId } = task;
  return {
    clientId: `task-client/${taskId}/${runId}/on/${worker.workerGroup}/${worker.workerId}/until/${takenUntil / 1000}`,
    scopes: [
      `queue:reclaim-task:${taskId}/${runId}`,
      `queue:resolve-task:${taskId}/${runId}`,
      `queue:create-artifact:${taskId}/${runId}`,
      ...task.definition.scopes,
    ],
    start: now,
    expiry: takenUntil,
  };
};
