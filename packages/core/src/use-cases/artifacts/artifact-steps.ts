import { DomainError, notFound } from '../../errors';
import { artifactName } from '../../schemas/artifact';
import { runId as runIdSchema, taskId as taskIdSchema } from '../../schemas/common';
import { parseParam } from '../shared/validate';

/** Steps every artifact use case shares. */

export const orThrow = <T>(value: T | DomainError): T => {
  if (value instanceof DomainError) throw value;
  return value;
};

export const parseRunParams = (taskId: string, runId: number, name?: string) => {
  parseParam(taskIdSchema, taskId, 'taskId');
  parseParam(runIdSchema, runId, 'runId');
  if (name !== undefined) parseParam(artifactName, name, 'name');
};

export const parseLatestParams = (taskId: string, name?: string) => {
  parseParam(taskIdSchema, taskId, 'taskId');
  if (name !== undefined) parseParam(artifactName, name, 'name');
};

export const artifactNotFound = (taskId: string, runId: number, name: string) =>
  notFound(`Artifact ${name} not found in run ${runId} of task ${taskId}`, { taskId, runId, name });
