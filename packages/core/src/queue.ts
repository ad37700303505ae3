import { defaultQueueConfig, type QueueConfig } from './config';
import type { QueuePorts } from './ports';
import { createMemo, type UseCaseContext } from './use-cases/context';
import { operations } from './use-cases/operations';
import { backgroundJobs } from './use-cases/jobs';

type Bound<F> = F extends (ctx: UseCaseContext, ...args: infer A) => infer R ? (...args: A) => R : never;
type BoundAll<T> = { readonly [K in keyof T]: Bound<T[K]> };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bindAll = <T extends Record<string, (ctx: UseCaseContext, ...args: any[]) => unknown>>(
  ctx: UseCaseContext,
  useCases: T,
): BoundAll<T> =>
  Object.fromEntries(
    Object.entries(useCases).map(([name, useCase]) => [name, (...args: unknown[]) => useCase(ctx, ...args)]),
  ) as BoundAll<T>;

/**
 * The queue: every API operation as a method taking the caller first (for its scopes), then the
 * client's positional arguments; and `jobs`, the background work, one bounded batch per call.
 */
export const createQueue = (ports: QueuePorts, config: Partial<QueueConfig> = {}) => {
  const ctx: UseCaseContext = { ports, config: { ...defaultQueueConfig, ...config }, memo: createMemo() };
  return { ...bindAll(ctx, operations), jobs: bindAll(ctx, backgroundJobs), config: ctx.config };
};

export type Queue = ReturnType<typeof createQueue>;
export type QueueOperationName = keyof typeof operations;
export type BackgroundJobName = keyof typeof backgroundJobs;
