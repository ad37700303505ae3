import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Container } from 'inversify';
import { FakeClock, InMemoryIdGenerator } from '@taskcluster-queue/core/testing';
import { loadConfig } from './config';
import { MEMORY_BACKEND } from './backend';
import { createContainer } from './container';
import type { Logger } from './log';
import { TOKENS } from './tokens';

/** Shared set-up of the service's in-process tests (kept out of the package by the `*.test*` rule). */

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

/**
 * The composition root for a test: configuration from `env`, logs kept in `logs`, and (unless
 * `realTime`) a fake clock, so the loops sleep on it and the queue reads its time from it.
 */
export const testContainer = (env: Record<string, string> = {}, options: { realTime?: boolean } = {}) => {
  const logs: LogLine[] = [];
  const logger: Logger = (level, message, fields = {}) => logs.push({ level, message, ...fields });
  const container = createContainer(loadConfig({ QUEUE_BACKEND: 'memory', QUEUE_ANONYMOUS_SCOPES: '["*"]', ...env }), 'a-root-access-token-for-tests', logger, MEMORY_BACKEND);
  const clock = new FakeClock(Date.now());
  if (!options.realTime) container.rebindSync(TOKENS.clock).toConstantValue(clock);
  return { container, clock, logs };
};

/** The HTTP app of `container` on a free local port. */
export const listen = async (container: Container): Promise<{ base: string; server: Server; close: () => Promise<void> }> => {
  const server = createServer(container.get(TOKENS.httpApp).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

const ids = new InMemoryIdGenerator();
export const slugid = (): string => ids.slugid();

/** A valid createTask body for `taskQueueId`, made at `now`. */
export const taskDefinition = (now: number, taskQueueId = 'prov/wt', overrides: Record<string, unknown> = {}) => ({
  taskQueueId,
  created: new Date(now).toISOString(),
  deadline: new Date(now + 24 * 3600_000).toISOString(),
  payload: {},
  metadata: { name: 'service test', description: 'a task', owner: 'me@example.com', source: 'https://example.com/src' },
  ...overrides,
});

/** One sample of the Prometheus text `metrics`, e.g. sample(text, 'queue_claimed_tasks{task_queue_id="prov/wt"}'). */
export const sample = (metrics: string, series: string): number | undefined => {
  const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
