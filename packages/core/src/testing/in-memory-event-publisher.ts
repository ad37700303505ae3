import type { ExchangeName } from '../domain/exchanges';
import type { EventPublisher, QueueEvent } from '../ports/event-publisher';

export interface InMemoryEventPublisherOptions {
  /** Keep every accepted event for `events` (default). `false`: only count them, as a broker would. */
  readonly record?: boolean;
}

/**
 * Records every published event, in order. `failNext(n)` makes the next n `publish` calls reject
 * without recording anything, for tests of the at-least-once paths.
 */
export class InMemoryEventPublisher implements EventPublisher {
  private published: QueueEvent[] = [];
  private failures: Error[] = [];
  private accepted = 0;
  private readonly record: boolean;

  constructor(options: InMemoryEventPublisherOptions = {}) {
    this.record = options.record ?? true;
  }

  /** How many events were accepted in all (recorded or not, `clear` included). */
  get acceptedCount(): number {
    return this.accepted;
  }

  /** Every event accepted so far, oldest first. */
  get events(): readonly QueueEvent[] {
    return this.published;
  }

  async publish(events: readonly QueueEvent[]): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.accepted += events.length;
    if (this.record) this.published.push(...events);
  }

  /** The recorded events of one exchange (short name, e.g. `task-completed`). */
  ofExchange(exchange: ExchangeName): QueueEvent[] {
    return this.published.filter((event) => event.exchange === exchange);
  }

  /** Forgets the recorded events. */
  clear(): void {
    this.published = [];
  }

  /** The next `count` calls of `publish` reject with `error` (default: a broker-unavailable error). */
  failNext(count = 1, error: Error = new Error('InMemoryEventPublisher: publish failed (failNext)')): void {
    for (let i = 0; i < count; i++) this.failures.push(error);
  }
}
