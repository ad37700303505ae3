import { inputError } from '../errors';
import type { z } from 'zod';
import type { createTaskRequest, TaskDefinition } from '../schemas/task';
import { normalisePriority } from './priorities';
import { addYear, CLOCK_DRIFT, iso, ms, normaliseDate } from './time';

type ParsedRequest = z.output<typeof createTaskRequest>;

/**
 * One frozen empty list and one frozen empty record stand for every empty `dependencies`,
 * `routes`, `scopes`, `tags` and `extra`, so each stored definition does not carry its own
 * (most tasks have none). Nothing changes a stored definition; being frozen, they could not be.
 */
const EMPTY_LIST: string[] = Object.freeze([]) as unknown as string[];
const EMPTY_RECORD: Record<string, never> = Object.freeze({});

const shareEmptyList = (list: string[]): string[] => (list.length === 0 ? EMPTY_LIST : list);

const shareEmptyRecord = <T extends Record<string, unknown>>(record: T): T => {
  for (const _key in record) return record;
  return EMPTY_RECORD as T;
};

/**
 * Fills defaults and checks the time rules of createTask (queue-inventory §5.3 step 2), giving
 * the definition exactly as it is stored and compared on an idempotent retry.
 */
export const normaliseDefinition = (
  taskId: string,
  request: ParsedRequest,
  now: number,
  maxTaskDeadline: number,
): TaskDefinition => {
  const taskQueueId = request.taskQueueId ?? `${request.provisionerId}/${request.workerType}`;
  const [provisionerId = '', workerType = ''] = taskQueueId.split('/');
  const created = ms(request.created);
  const deadline = ms(request.deadline);
  if (Math.abs(created - now) > CLOCK_DRIFT) {
    throw inputError(`created (${request.created}) must be within 15 minutes of the queue's time (${iso(now)})`);
  }
  if (deadline < created) throw inputError('Deadline cannot be past created');
  if (deadline < now) throw inputError('Deadline cannot be in the past');
  if (deadline > now + maxTaskDeadline + CLOCK_DRIFT) {
    throw inputError(`Deadline cannot be more than ${Math.round(maxTaskDeadline / 86_400_000)} days into the future`);
  }
  const expires = request.expires === undefined ? addYear(normaliseDate(request.deadline)) : normaliseDate(request.expires);
  if (ms(expires) < deadline) throw inputError('Expires cannot be before the deadline');
  return {
    taskQueueId,
    provisionerId,
    workerType,
    schedulerId: request.schedulerId,
    projectId: request.projectId,
    taskGroupId: request.taskGroupId ?? taskId,
    dependencies: shareEmptyList(request.dependencies),
    requires: request.requires,
    routes: shareEmptyList(request.routes),
    priority: normalisePriority(request.priority),
    retries: request.retries,
    created: normaliseDate(request.created),
    deadline: normaliseDate(request.deadline),
    expires,
    scopes: shareEmptyList(request.scopes),
    payload: request.payload,
    metadata: request.metadata,
    tags: shareEmptyRecord(request.tags),
    extra: shareEmptyRecord(request.extra),
  };
};

/** Structural equality of JSON values, independent of key order. */
export const sameJson = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((key) => sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
};
