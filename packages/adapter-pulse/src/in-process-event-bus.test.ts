import type { QueueEvent } from '@taskcluster-queue/core';
import { describeEventPublisherContract } from '@taskcluster-queue/core/testing';
import { InProcessEventBus } from './in-process-event-bus';
import type { Log } from './log';

describeEventPublisherContract('in-process bus', async () => {
  const bus = new InProcessEventBus();
  const received: QueueEvent[] = [];
  const unsubscribe = bus.subscribe({ pattern: '#' }, (event) => void received.push(event));
  return { store: bus, received: async () => received, cleanup: async () => unsubscribe() };
});

const event = (exchange: QueueEvent['exchange'], routingKey: string, cc: readonly string[] = []): QueueEvent => ({
  exchange,
  routingKey,
  cc,
  payload: { version: 1, status: { taskId: 't' } },
});

describe('InProcessEventBus', () => {
  it('delivers by exchange and by topic pattern on the routing key and each CC route', async () => {
    const bus = new InProcessEventBus();
    const got = { completed: [] as string[], primary: [] as string[], routed: [] as string[], oneWord: [] as string[] };
    bus.subscribe({ exchange: 'task-completed' }, (e) => void got.completed.push(e.routingKey));
    bus.subscribe({ pattern: 'primary.#' }, (e) => void got.primary.push(e.routingKey));
    bus.subscribe({ pattern: 'route.index.#' }, (e) => void got.routed.push(e.routingKey));
    bus.subscribe({ pattern: 'primary.*._' }, (e) => void got.oneWord.push(e.routingKey));
    await bus.publish([
      event('task-completed', 'primary.a.0.wg.w.prov.wt.-.g._', ['route.index.x.y']),
      event('task-defined', 'primary.b._._._.prov.wt.-.g._', ['route.notify.z']),
      event('task-group-resolved', 'primary.g.-._'),
    ]);
    expect(got.completed).toEqual(['primary.a.0.wg.w.prov.wt.-.g._']);
    expect(got.primary).toHaveLength(3);
    expect(got.routed).toEqual(['primary.a.0.wg.w.prov.wt.-.g._']);
    expect(got.oneWord).toEqual([]);
  });

  it('delivers an event once per subscriber even when several bindings and routes match', async () => {
    const bus = new InProcessEventBus();
    const got: QueueEvent[] = [];
    bus.subscribe([{ pattern: '#' }, { exchange: 'task-pending', pattern: 'route.#' }], (e) => void got.push(e));
    const published = event('task-pending', 'primary.a.0._._.prov.wt.-.g._', ['route.a', 'route.b']);
    await bus.publish([published]);
    expect(got).toEqual([published]);
  });

  it('keeps nothing: a subscriber sees only what is published after it subscribed, until it unsubscribes', async () => {
    const bus = new InProcessEventBus();
    await bus.publish([event('task-defined', 'primary.early')]);
    const got: string[] = [];
    const unsubscribe = bus.subscribe({}, (e) => void got.push(e.routingKey));
    await bus.publish([event('task-defined', 'primary.during')]);
    unsubscribe();
    await bus.publish([event('task-defined', 'primary.late')]);
    expect(got).toEqual(['primary.during']);
  });

  it('gives each subscriber its own wire copy of the payload', async () => {
    const bus = new InProcessEventBus();
    const payloads: Record<string, unknown>[] = [];
    bus.subscribe({}, (e) => {
      (e.payload as Record<string, unknown>)['mutated'] = true;
      payloads.push(e.payload as Record<string, unknown>);
    });
    bus.subscribe({}, (e) => void payloads.push(e.payload as Record<string, unknown>));
    const published = event('task-defined', 'primary.x');
    await bus.publish([published]);
    expect(published.payload).not.toHaveProperty('mutated');
    expect(payloads[1]).not.toHaveProperty('mutated');
  });

  it('logs every event at debug, and a failing subscriber at error without failing the publish', async () => {
    const lines: [string, string][] = [];
    const log: Log = (level, message) => void lines.push([level, message]);
    const bus = new InProcessEventBus({ log });
    const got: string[] = [];
    bus.subscribe({}, () => {
      throw new Error('sync boom');
    });
    bus.subscribe({}, async () => {
      throw new Error('async boom');
    });
    bus.subscribe({}, (e) => void got.push(e.routingKey));
    await expect(bus.publish([event('task-failed', 'primary.f')])).resolves.toBeUndefined();
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(got).toEqual(['primary.f']);
    expect(lines.filter(([level]) => level === 'debug')).toHaveLength(1);
    const errors = lines.filter(([level]) => level === 'error').map(([, message]) => message);
    expect(errors).toEqual([expect.stringContaining('sync boom'), expect.stringContaining('async boom')]);
  });
});
