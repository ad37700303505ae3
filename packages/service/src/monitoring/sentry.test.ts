import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createQueue, type Queue } from '@taskcluster-queue/core';
import { createInMemoryPorts } from '@taskcluster-queue/core/testing';
import { startWorkers } from '../processes/workers';
import { listen, slugid, testContainer } from '../service.test-support';
import { TOKENS } from '../tokens';

// With SENTRY_DSN set, unexpected errors go to Sentry: here a local fake of Sentry's ingest
// endpoint (POST /api/<project>/envelope/) that keeps the events it receives.

interface SentryEvent {
  readonly exception?: { readonly values: ReadonlyArray<{ readonly type: string; readonly value: string }> };
  readonly tags?: Readonly<Record<string, string>>;
  readonly contexts?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

const fakeSentry = async () => {
  const events: SentryEvent[] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // An envelope: a header line, then (item header, item payload) line pairs.
      const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean);
      for (let i = 1; i + 1 < lines.length; i += 2) {
        if ((JSON.parse(lines[i]!) as { type: string }).type === 'event') events.push(JSON.parse(lines[i + 1]!) as SentryEvent);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const eventAbout = async (message: string): Promise<SentryEvent> => {
    for (;;) {
      const found = events.find((e) => e.exception?.values.some((v) => v.value === message));
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return {
    dsn: `http://publickey@127.0.0.1:${port}/1`,
    eventAbout,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

describe('Sentry', () => {
  it('receives unexpected errors of requests (with the taskId) and of jobs (with the job name)', async () => {
    const sentry = await fakeSentry();
    const { container, clock } = testContainer({ SENTRY_DSN: sentry.dsn, SENTRY_ENVIRONMENT: 'test' });
    // A queue whose storage breaks in ways no domain error covers.
    const ports = createInMemoryPorts({ clock });
    ports.claims.leaseExpired = async () => {
      throw new Error('claim table unreachable');
    };
    const queue = createQueue(ports);
    const broken: Queue = {
      ...queue,
      status: async () => {
        throw new Error('disk on fire');
      },
    };
    container.rebindSync(TOKENS.queue).toConstantValue(broken);
    const http = await listen(container);
    const workers = startWorkers(container, ['claim-reaper']);
    try {
      const taskId = slugid();
      const response = await fetch(`${http.base}/api/queue/v1/task/${taskId}/status`);
      expect(response.status).toBe(500);
      expect(JSON.stringify(await response.json())).not.toContain('disk on fire'); // no internals leaked
      const request = await sentry.eventAbout('disk on fire');
      expect(request.tags).toMatchObject({ method: 'status', taskId });
      expect(request.contexts?.request).toMatchObject({ method: 'status', params: { taskId } });

      const job = await sentry.eventAbout('claim table unreachable');
      expect(job.tags).toMatchObject({ job: 'claim-reaper' });
    } finally {
      await workers.stop();
      await http.close();
      await container.get(TOKENS.errorReporter).close();
      await sentry.close();
    }
  });

  it('without SENTRY_DSN, an unexpected error is only logged', () => {
    const { container, logs } = testContainer();
    container.get(TOKENS.errorReporter).report(new Error('only logged'), { job: 'expire-tasks' });
    expect(logs).toEqual([expect.objectContaining({ level: 'error', job: 'expire-tasks', error: 'only logged' })]);
  });
});
