import { z } from 'zod';

/** Shared wire primitives. Patterns follow the queue's published schemas (queue-inventory §2.1, §17). */

export const SLUGID_PATTERN = /^[A-Za-z0-9_-]{8}[Q-T][A-Za-z0-9_-][CGKOSWaeimquy26-][A-Za-z0-9_-]{10}[AQgw]$/;

export const slugid = z.string().regex(SLUGID_PATTERN, 'must be a slugid (22 characters, v4)');
export const taskId = slugid.describe('Unique task identifier (slugid)');
export const taskGroupId = slugid.describe('Identifier of a task group (slugid)');

const IDENTIFIER = /^[a-zA-Z0-9-_]{1,38}$/;
export const identifier = z.string().regex(IDENTIFIER, 'must be 1-38 characters of [a-zA-Z0-9-_]');
export const provisionerId = identifier.describe('Provisioner: the first part of a taskQueueId');
export const workerType = z
  .string()
  .regex(/^[a-z]([-a-z0-9]{0,36}[a-z0-9])?$/, 'must be 1-38 characters of [-a-z0-9], starting with a letter and not ending with -')
  .describe('Worker type: the second part of a taskQueueId');
export const taskQueueId = z
  .string()
  .regex(
    /^[a-zA-Z0-9-_]{1,38}\/[a-z]([-a-z0-9]{0,36}[a-z0-9])?$/,
    'must be <provisionerId>/<workerType>',
  )
  .describe('Task queue: <provisionerId>/<workerType>');
export const schedulerId = identifier.describe('Scheduler that created the task; shared by every task of a group');
export const workerGroup = identifier.describe('Group of the worker, e.g. a region');
export const workerId = identifier.describe('Identifier of the worker within its group');
export const projectId = z
  .string()
  .max(500)
  .regex(/^([a-zA-Z0-9._/-]*)$/, 'must match [a-zA-Z0-9._/-]*')
  .describe('Project the task belongs to');

export const runId = z.number().int().min(0).max(1000).describe('Run index, from 0');

/** ISO 8601 date-time on the wire; normalised to `Date#toJSON()` form before storage. */
export const dateTime = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time' })
  .describe('ISO 8601 date-time');

export const PRIORITY_VALUES = ['highest', 'very-high', 'high', 'medium', 'low', 'very-low', 'lowest'] as const;
export const priority = z.enum(PRIORITY_VALUES).describe('Priority; higher priorities are claimed first');
/** `normal` is an old alias of `lowest`, accepted on create and rewritten before storage. */
export const requestedPriority = z.enum([...PRIORITY_VALUES, 'normal']);

export const scope = z.string().regex(/^[\x20-\x7e]*$/, 'must be printable ASCII');

export const continuationToken = z.string().min(1).max(1024).describe('Opaque token for the next page');
export const pageLimit = z.number().int().min(1).max(1000);
/** Query of every list method: `?continuationToken=&limit=`. */
export const pageQuery = z.strictObject({
  continuationToken: continuationToken.optional(),
  limit: z.coerce.number().int().min(1).optional(),
});
export type PageQuery = z.infer<typeof pageQuery>;
