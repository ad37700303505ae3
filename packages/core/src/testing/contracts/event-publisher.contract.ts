import type { EventPublisher, QueueEvent } from '../../ports/event-publisher';
import { newId, useFixture, type ContractFactory, type ContractFixture } from './support';

export interface EventPublisherFixture extends ContractFixture<EventPublisher> {
  /**
   * The events the backend delivered since the fixture was made, in publish order (a real
   * adapter reads them from a queue bound to every exchange). Without it, the suite only checks
   * that publishing succeeds.
   */
  readonly received?: () => Promise<readonly QueueEvent[]>;
}

const event = (exchange: QueueEvent['exchange'], cc: readonly string[] = []): QueueEvent => {
  const taskId = newId();
  return {
    exchange,
    routingKey: `primary.${taskId}._._._.prov.wt.-.${taskId}._`,
    cc,
    payload: { status: { taskId, state: 'pending', runs: [] }, runId: 0, version: 1 },
  };
};

/** The EventPublisher contract: a resolved publish means every event was accepted, in order. */
export function describeEventPublisherContract(name: string, factory: ContractFactory<EventPublisher, EventPublisherFixture>): void {
  describe(`${name}: EventPublisher contract`, () => {
    const fixture = useFixture(factory);
    const store = () => fixture().store;

    /** Waits (up to 5 s) until `count` events arrived, then returns them. */
    const receivedEvents = async (count: number): Promise<readonly QueueEvent[] | undefined> => {
      const received = fixture().received;
      if (!received) return undefined;
      const deadline = Date.now() + 5000;
      for (;;) {
        const events = await received();
        if (events.length >= count || Date.now() > deadline) return events;
        await new Promise<void>((resolve) => void setTimeout(resolve, 20));
      }
    };

    it('publishes an empty batch', async () => {
      await expect(store().publish([])).resolves.toBeUndefined();
    });

    it('publishes a batch, delivering every event in order with its routing key, CC routes and payload', async () => {
      const events = [event('task-defined'), event('task-pending', ['route.index.a', 'route.notify.b']), event('task-completed')];
      await expect(store().publish(events)).resolves.toBeUndefined();
      const received = await receivedEvents(events.length);
      if (received) expect(received).toEqual(events);
    });

    it('publishes consecutive batches in order', async () => {
      const first = [event('task-running')];
      const second = [event('artifact-created'), event('task-failed')];
      await store().publish(first);
      await store().publish(second);
      const received = await receivedEvents(3);
      if (received) expect(received).toEqual([...first, ...second]);
    });

    it('publishes concurrent batches, each delivered once', async () => {
      const batches = Array.from({ length: 5 }, () => [event('task-exception'), event('task-group-resolved')]);
      await Promise.all(batches.map((batch) => store().publish(batch)));
      const received = await receivedEvents(10);
      if (received) {
        expect(received).toHaveLength(10);
        expect(new Set(received.map((e) => e.routingKey)).size).toBe(10);
      }
    });
  });
}
