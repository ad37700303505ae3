/**
 * AmqpEventPublisher against the RabbitMQ at AMQP_URL (default amqp://guest:guest@127.0.0.1:5672).
 * Every exchange and queue of this file lives under its own namespace and is deleted afterwards.
 * An unreachable broker fails the file; it never skips.
 */
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import { connect, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { createQueue, EXCHANGES, schemas, unrestrictedCaller, type EventPublisher, type ExchangeName, type QueueEvent } from '@taskcluster-queue/core';
import { createInMemoryPorts, describeEventPublisherContract, randomSlugid } from '@taskcluster-queue/core/testing';
import { AmqpEventPublisher, EventPublishError, pulseExchangeName } from './amqp-event-publisher';

const AMQP_URL = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const suffix = randomBytes(4).toString('hex');
const namespace = `tq-test-${suffix}`;
/** Namespaces whose exchanges this file deletes at the end. */
const namespaces = new Set([namespace]);
const exchangeNames = Object.keys(EXCHANGES) as ExchangeName[];

jest.setTimeout(90_000);

// ---------------------------------------------------------------------------------------------
// Broker access for the tests (consumers, clean-up), on a connection of their own

let admin: ChannelModel | undefined;
const queuesToDelete = new Set<string>();

const brokerAddress = (): { host: string; port: number } => {
  const url = new URL(AMQP_URL);
  return { host: url.hostname, port: Number(url.port || 5672) };
};

beforeAll(async () => {
  try {
    admin = await connect(AMQP_URL, { noDelay: true, timeout: 10_000 });
  } catch (error) {
    const { host, port } = brokerAddress();
    throw new Error(
      `RabbitMQ is not reachable at ${host}:${port} (AMQP_URL): ${(error as Error).message}. ` +
        'Start it (`rabbitmq-server -detached`) or set AMQP_URL; these tests fail rather than skip.',
    );
  }
  admin.on('error', () => undefined);
  await assertExchanges(namespace);
});

afterAll(async () => {
  if (!admin) return;
  const channel = await admin.createChannel();
  for (const queue of queuesToDelete) await channel.deleteQueue(queue);
  for (const ns of namespaces) for (const exchange of exchangeNames) await channel.deleteExchange(pulseExchangeName(ns, exchange));
  await channel.close();
  await admin.close();
});

const broker = (): ChannelModel => {
  if (!admin) throw new Error('no broker connection (see the beforeAll failure)');
  return admin;
};

/** Consumers bind before the publisher's first connection, so they declare the exchanges too (same arguments). */
const assertExchanges = async (ns: string): Promise<void> => {
  const channel = await broker().createChannel();
  for (const exchange of exchangeNames) await channel.assertExchange(pulseExchangeName(ns, exchange), 'topic', { durable: true });
  await channel.close();
};

interface Delivery {
  readonly event: QueueEvent;
  readonly properties: ConsumeMessage['properties'];
}

/** A queue bound to every exchange of the namespace with `patterns`, collecting what arrives. */
class Consumer {
  readonly deliveries: Delivery[] = [];

  private constructor(
    private readonly close_: () => Promise<void>,
  ) {}

  static async bind(patterns: readonly string[], ns = namespace): Promise<Consumer> {
    const channel = await broker().createChannel();
    const queue = `queue/${ns}/${randomBytes(6).toString('hex')}`;
    queuesToDelete.add(queue);
    await channel.assertQueue(queue, { exclusive: true, durable: false });
    for (const exchange of exchangeNames) {
      for (const pattern of patterns) await channel.bindQueue(queue, pulseExchangeName(ns, exchange), pattern);
    }
    const prefix = `exchange/${ns}/v1/`;
    let consumer: Consumer | undefined;
    const { consumerTag } = await channel.consume(
      queue,
      (message) => {
        if (!message || !consumer) return;
        const headers = message.properties.headers ?? {};
        consumer.deliveries.push({
          event: {
            exchange: message.fields.exchange.slice(prefix.length) as ExchangeName,
            routingKey: message.fields.routingKey,
            cc: (headers['CC'] as string[] | undefined) ?? [],
            payload: JSON.parse(message.content.toString('utf8')) as Record<string, unknown>,
          },
          properties: message.properties,
        });
      },
      { noAck: true },
    );
    consumer = new Consumer(async () => {
      await channel.cancel(consumerTag);
      await channel.deleteQueue(queue);
      queuesToDelete.delete(queue);
      await channel.close();
    });
    return consumer;
  }

  events(): QueueEvent[] {
    return this.deliveries.map((delivery) => delivery.event);
  }

  close(): Promise<void> {
    return this.close_();
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

const sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `predicate` holds; fails with `what` after a generous bound (this is no timing assertion). */
const until = async (predicate: () => boolean, what: string, timeoutMs = 45_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(20);
  }
};

let counter = 0;
/** A task-shaped event with a unique routing key. */
const testEvent = (exchange: ExchangeName = 'task-pending', cc: readonly string[] = []): QueueEvent => {
  const taskId = randomSlugid();
  return {
    exchange,
    routingKey: `primary.${taskId}.0._._.prov.wt.-.${taskId}._`,
    cc,
    payload: { version: 1, n: counter++, status: { taskId } },
  };
};

/** Records the events whose publish resolved, in the order the calls resolved. */
class ConfirmedRecorder implements EventPublisher {
  readonly confirmed: QueueEvent[] = [];
  constructor(private readonly inner: EventPublisher) {}
  async publish(events: readonly QueueEvent[]): Promise<void> {
    await this.inner.publish(events);
    this.confirmed.push(...events);
  }
}

/**
 * A TCP proxy in front of the broker, so a test can cut its publisher's connection while the
 * shared broker keeps running: `cut()` destroys every proxied socket and refuses new ones until
 * `restore()`.
 */
class TcpProxy {
  connections = 0;
  private accepting = true;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly server: net.Server) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = net.createServer();
    const proxy = new TcpProxy(server);
    server.on('connection', (client) => proxy.accept(client, target));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** The broker URL with its host and port replaced by the proxy's. */
  url(): string {
    const url = new URL(AMQP_URL);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  cut(): void {
    this.accepting = false;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.accepting = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket, target: { host: string; port: number }): void {
    if (!this.accepting) {
      client.destroy();
      return;
    }
    this.connections++;
    const upstream = net.connect(target);
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('error', () => other.destroy());
      socket.on('close', () => {
        this.sockets.delete(socket);
        other.destroy();
      });
      socket.pipe(other);
    }
  }
}

/** A local port nothing listens on. */
const closedPort = async (): Promise<number> => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

const fastReconnect = { initialDelay: 20, maxDelay: 300 };

// ---------------------------------------------------------------------------------------------
// (1) The port's contract, reading back what the broker delivered

describeEventPublisherContract('AmqpEventPublisher', async () => {
  const consumer = await Consumer.bind(['#']);
  const store = new AmqpEventPublisher({ url: AMQP_URL, namespace });
  return {
    store,
    received: async () => consumer.events(),
    cleanup: async () => {
      await store.close();
      await consumer.close();
    },
  };
});

// ---------------------------------------------------------------------------------------------
// (2) A full lifecycle through the real core

describe('AmqpEventPublisher under createQueue', () => {
  it('delivers every message of a task lifecycle to primary.# and route.<r>.# consumers, with core routing keys and schema-valid bodies', async () => {
    const route = `tq-test.${suffix}`;
    const primary = await Consumer.bind(['primary.#']);
    const routed = await Consumer.bind([`route.${route}.#`]);
    const publisher = new AmqpEventPublisher({ url: AMQP_URL, namespace });
    const recorder = new ConfirmedRecorder(publisher);
    try {
      const ports = { ...createInMemoryPorts(), events: recorder };
      const queue = createQueue(ports, { claimWorkWait: 0 });
      const now = ports.clock.now();
      const iso = (ms: number) => new Date(ms).toISOString();
      const taskGroupId = randomSlugid();
      const worker = { workerGroup: 'wg', workerId: 'w1' };
      const createTask = async () => {
        const taskId = randomSlugid();
        await queue.createTask(unrestrictedCaller, taskId, {
          taskQueueId: 'prov/wt',
          taskGroupId,
          // two routes matching the same binding: still one delivery per queue
          routes: [`${route}.a`, `${route}.b`],
          created: iso(now),
          deadline: iso(now + 86_400_000),
          payload: {},
          tags: { purpose: 'amqp-test' },
          metadata: { name: 'amqp test', description: 'a task', owner: 'me@example.com', source: 'https://example.com/src' },
        });
        return taskId;
      };
      const claim = async (taskId: string) => {
        const { tasks } = await queue.claimWork(unrestrictedCaller, 'prov/wt', { ...worker, tasks: 1 });
        expect(tasks.map((t) => t.status.taskId)).toEqual([taskId]);
        return tasks[0]!.runId;
      };

      const completed = await createTask();
      const completedRun = await claim(completed);
      await queue.createArtifact(unrestrictedCaller, completed, completedRun, 'public/ref', {
        storageType: 'reference',
        expires: iso(now + 3_600_000),
        contentType: 'text/plain',
        url: 'https://example.com/ref',
      });
      await queue.reportCompleted(unrestrictedCaller, completed, completedRun);

      const failed = await createTask();
      await queue.reportFailed(unrestrictedCaller, failed, await claim(failed));

      const exception = await createTask();
      await queue.reportException(unrestrictedCaller, exception, await claim(exception), { reason: 'malformed-payload' });

      const canceled = await createTask();
      await queue.cancelTask(unrestrictedCaller, canceled);

      for (let round = 0; round < 100 && (await queue.jobs.resolveDependencies()).handled > 0; round++);

      const published = recorder.confirmed;
      const exchangesOf = (taskId: string) => published.filter((e) => e.payload['status'] && (e.payload['status'] as { taskId: string }).taskId === taskId).map((e) => e.exchange);
      expect(exchangesOf(completed)).toEqual(['task-defined', 'task-pending', 'task-running', 'artifact-created', 'task-completed']);
      expect(exchangesOf(failed)).toEqual(['task-defined', 'task-pending', 'task-running', 'task-failed']);
      expect(exchangesOf(exception)).toEqual(['task-defined', 'task-pending', 'task-running', 'task-exception']);
      expect(exchangesOf(canceled)).toEqual(['task-defined', 'task-pending', 'task-exception']);
      expect(published.filter((e) => e.exchange === 'task-group-resolved').map((e) => e.routingKey)).toEqual([`primary.${taskGroupId}.-._`]);

      const routedExpected = published.filter((e) => e.cc.length > 0);
      await until(() => primary.deliveries.length >= published.length, `${published.length} messages reached the primary.# queue`);
      await until(() => routed.deliveries.length >= routedExpected.length, `${routedExpected.length} messages reached the route queue`);
      await sleep(200); // anything extra (a duplicate, a stray message) would show up too
      expect(primary.events()).toEqual(published);
      expect(routed.events()).toEqual(routedExpected);
      expect(routedExpected.map((e) => e.exchange)).not.toContain('task-group-resolved');

      // Routing keys as core builds them (queue-inventory §7.1/7.2), spelled out for a few.
      const key = (exchange: ExchangeName, taskId: string) => primary.events().find((e) => e.exchange === exchange && e.routingKey.startsWith(`primary.${taskId}.`))?.routingKey;
      expect(key('task-defined', completed)).toBe(`primary.${completed}._._._.prov.wt.-.${taskGroupId}._`);
      expect(key('task-pending', completed)).toBe(`primary.${completed}.0._._.prov.wt.-.${taskGroupId}._`);
      expect(key('task-running', completed)).toBe(`primary.${completed}.0.wg.w1.prov.wt.-.${taskGroupId}._`);
      expect(key('task-exception', canceled)).toBe(`primary.${canceled}.0._._.prov.wt.-.${taskGroupId}._`);
      expect(routed.events()[0]!.cc).toEqual([`route.${route}.a`, `route.${route}.b`]);

      for (const { event, properties } of [...primary.deliveries, ...routed.deliveries]) {
        const parsed = schemas.exchangeMessageSchemas[event.exchange].safeParse(event.payload);
        if (!parsed.success) throw new Error(`${event.exchange} body does not match its schema: ${parsed.error.message}`);
        expect(properties).toMatchObject({ contentType: 'application/json', contentEncoding: 'utf-8', deliveryMode: 2 });
      }
    } finally {
      await publisher.close();
      await primary.close();
      await routed.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// (3) Connection cut mid-run

describe('AmqpEventPublisher across a connection loss', () => {
  it('delivers every event whose publish resolved, and publishes again once the broker is reachable', async () => {
    const proxy = await TcpProxy.start(brokerAddress());
    const consumer = await Consumer.bind(['#']);
    const publisher = new AmqpEventPublisher({ url: proxy.url(), namespace, publishTimeout: 60_000, reconnect: fastReconnect });
    try {
      await publisher.connect();
      const confirmed: string[] = [];
      const failures: unknown[] = [];
      let stop = false;
      let restored = false;
      let confirmedAfterRestore = 0;
      const publishLoop = async () => {
        while (!stop) {
          const batch = [testEvent('task-pending', ['route.x']), testEvent('task-running'), testEvent('task-completed')];
          try {
            await publisher.publish(batch);
            confirmed.push(...batch.map((e) => e.routingKey));
            if (restored) confirmedAfterRestore++;
          } catch (error) {
            failures.push(error);
          }
        }
      };
      const loops = [1, 2, 3, 4].map(() => publishLoop());

      await until(() => confirmed.length >= 150, '150 events were confirmed before the cut');
      proxy.cut();
      await until(() => !publisher.connected, 'the publisher noticed the cut');
      await sleep(500); // reconnection attempts are refused meanwhile
      const confirmedDuringOutage = confirmed.length;
      await sleep(300);
      expect(confirmed.length).toBe(confirmedDuringOutage); // nothing resolves without a broker
      proxy.restore();
      restored = true;
      await until(() => confirmedAfterRestore >= 50, 'publishing resumed after the broker came back');
      stop = true;
      await Promise.all(loops);

      expect(proxy.connections).toBeGreaterThanOrEqual(2);
      const delivered = () => new Set(consumer.events().map((e) => e.routingKey));
      await until(() => confirmed.every((key) => delivered().has(key)), `all ${confirmed.length} confirmed events were delivered`).catch(() => undefined);
      const missing = confirmed.filter((key) => !delivered().has(key));
      expect(missing).toEqual([]);
      // Only a publish that ran out of time may fail, and then as EventPublishError.
      for (const failure of failures) expect(failure).toBeInstanceOf(EventPublishError);
    } finally {
      await publisher.close();
      await proxy.close();
      await consumer.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// (4) No broker

describe('AmqpEventPublisher without a reachable broker', () => {
  it('rejects a publish once publishTimeout has passed when nothing listens', async () => {
    const publisher = new AmqpEventPublisher({
      url: `amqp://guest:guest@127.0.0.1:${await closedPort()}`,
      namespace,
      publishTimeout: 1000,
      connectTimeout: 1000,
      reconnect: fastReconnect,
    });
    try {
      const error = await publisher.publish([testEvent()]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EventPublishError);
      expect((error as Error).message).toMatch(/no connection to the AMQP broker \(amqp:\/\/127\.0\.0\.1:\d+\) within 1000 ms: .*ECONNREFUSED/);
      expect((error as Error).message).not.toContain('guest:guest');
      await expect(publisher.connect()).rejects.toBeInstanceOf(EventPublishError);
    } finally {
      await publisher.close();
    }
  });

  it('rejects a publish when the broker refuses the credentials', async () => {
    const url = new URL(AMQP_URL);
    url.username = 'no-such-user';
    url.password = 'wrong';
    const publisher = new AmqpEventPublisher({ url: url.toString(), namespace, publishTimeout: 1000, reconnect: fastReconnect });
    try {
      await expect(publisher.publish([testEvent()])).rejects.toThrow(/within 1000 ms: .*(ACCESS.REFUSED|403)/);
    } finally {
      await publisher.close();
    }
  });

  it('rejects while the broker stays unreachable after a cut, then publishes again once it is back', async () => {
    const proxy = await TcpProxy.start(brokerAddress());
    const consumer = await Consumer.bind(['#']);
    const publisher = new AmqpEventPublisher({ url: proxy.url(), namespace, publishTimeout: 1000, reconnect: fastReconnect });
    try {
      await publisher.publish([testEvent()]);
      proxy.cut();
      await until(() => !publisher.connected, 'the publisher noticed the cut');
      await expect(publisher.publish([testEvent()])).rejects.toBeInstanceOf(EventPublishError);
      proxy.restore();
      const after = testEvent();
      // The first try may still see the reconnection backoff; the retry of a client would succeed.
      let published = false;
      for (let attempt = 0; attempt < 20 && !published; attempt++) {
        published = await publisher.publish([after]).then(
          () => true,
          () => false,
        );
      }
      expect(published).toBe(true);
      await until(() => consumer.events().some((e) => e.routingKey === after.routingKey), 'the event published after the outage arrived');
    } finally {
      await publisher.close();
      await proxy.close();
      await consumer.close();
    }
  });

  it('rejects a publish waiting for a connection when the publisher is closed', async () => {
    const publisher = new AmqpEventPublisher({
      url: `amqp://127.0.0.1:${await closedPort()}`,
      namespace,
      publishTimeout: 60_000,
      reconnect: fastReconnect,
    });
    const waiting = publisher.publish([testEvent()]);
    await sleep(100);
    await publisher.close();
    await expect(waiting).rejects.toThrow(/closing/);
  });
});

// ---------------------------------------------------------------------------------------------
// (5) Shutdown and recovery from a broker-side channel error

describe('AmqpEventPublisher lifecycle', () => {
  const sockets = () => process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;

  it('close() waits for the confirms of publishes in flight, then releases its socket; later publishes reject', async () => {
    const consumer = await Consumer.bind(['#']);
    const socketsBefore = sockets();
    const publisher = new AmqpEventPublisher({ url: AMQP_URL, namespace });
    await publisher.connect();
    expect(publisher.connected).toBe(true);
    const batches = Array.from({ length: 20 }, () => [testEvent(), testEvent('task-completed')]);
    const calls = batches.map((batch) => publisher.publish(batch));
    await Promise.all([publisher.close(), publisher.close()]);
    const results = await Promise.allSettled(calls);
    expect(results.map((r) => r.status)).toEqual(batches.map(() => 'fulfilled'));
    expect(publisher.connected).toBe(false);
    await expect(publisher.publish([testEvent()])).rejects.toThrow(/closed/);
    const keys = batches.flat().map((e) => e.routingKey);
    await until(() => keys.every((k) => consumer.events().some((e) => e.routingKey === k)), 'every confirmed event arrived');
    await consumer.close();
    await until(() => sockets() <= socketsBefore, 'the publisher socket was released');
  });

  it('closes at once when it never connected', async () => {
    await new AmqpEventPublisher({ url: AMQP_URL, namespace }).close();
  });

  it('recovers when the broker closes its channel (exchange deleted under it): reconnects, re-declares, publishes', async () => {
    const ns = `tq-test-${randomBytes(4).toString('hex')}`;
    namespaces.add(ns);
    const publisher = new AmqpEventPublisher({ url: AMQP_URL, namespace: ns, reconnect: fastReconnect });
    try {
      await publisher.publish([testEvent('task-defined')]);
      const channel = await broker().createChannel();
      await channel.deleteExchange(pulseExchangeName(ns, 'task-defined'));
      await channel.close();
      // The broker answers this publish by closing the channel (404); the publisher reconnects,
      // declares the exchange again and resends the event.
      await publisher.publish([testEvent('task-defined')]);
      const consumer = await Consumer.bind(['#'], ns);
      const event = testEvent('task-defined');
      await publisher.publish([event]);
      await until(() => consumer.events().some((e) => e.routingKey === event.routingKey), 'the event arrived after the recovery');
      await consumer.close();
    } finally {
      await publisher.close();
    }
  });
});
