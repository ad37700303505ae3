import type { EventPublisher, ExchangeName, QueueEvent } from '@taskcluster-queue/core';
import { errorMessage, silentLog, type Log } from './log';
import { compileTopicPattern } from './topic-pattern';

/** Like a queue binding: an exchange (default: every exchange) and a topic pattern (default `#`). */
export interface EventBinding {
  readonly exchange?: ExchangeName;
  /** Matched against the routing key and each CC route, with `*` (one word) and `#` (any words). */
  readonly pattern?: string;
}

export type EventHandler = (event: QueueEvent) => void | Promise<void>;

export interface InProcessEventBusOptions {
  /** Every published event is logged at `debug`; a failing subscriber at `error`. */
  readonly log?: Log;
}

interface Subscription {
  readonly matches: (event: QueueEvent) => boolean;
  readonly handler: EventHandler;
}

/**
 * The EventPublisher of a deployment without a broker: delivers each event to the in-process
 * subscribers whose bindings match it, once per subscriber (as a queue with several bindings
 * gets a message once), and keeps nothing. Handlers run during `publish`; one that throws or
 * rejects is logged and does not fail the publish (the state change is already durable). Each
 * subscriber receives the payload as it would arrive over the wire (a JSON copy).
 */
export class InProcessEventBus implements EventPublisher {
  private readonly subscriptions = new Set<Subscription>();
  private readonly log: Log;

  constructor(options: InProcessEventBusOptions = {}) {
    this.log = options.log ?? silentLog;
  }

  /** Delivers matching events to `handler` until the returned function is called. */
  subscribe(bindings: EventBinding | readonly EventBinding[], handler: EventHandler): () => void {
    const list: readonly EventBinding[] = isBindingList(bindings) ? bindings : [bindings];
    const compiled = list.map(({ exchange, pattern = '#' }) => ({ exchange, matches: compileTopicPattern(pattern) }));
    const subscription: Subscription = {
      handler,
      matches: (event) =>
        compiled.some(
          (binding) =>
            (binding.exchange === undefined || binding.exchange === event.exchange) &&
            (binding.matches(event.routingKey) || event.cc.some((route) => binding.matches(route))),
        ),
    };
    this.subscriptions.add(subscription);
    return () => void this.subscriptions.delete(subscription);
  }

  async publish(events: readonly QueueEvent[]): Promise<void> {
    for (const event of events) {
      this.log('debug', `event ${event.exchange} ${event.routingKey}`, { exchange: event.exchange, routingKey: event.routingKey, cc: event.cc });
      for (const subscription of [...this.subscriptions]) {
        if (subscription.matches(event)) this.deliver(subscription, wireCopy(event));
      }
    }
  }

  private deliver(subscription: Subscription, event: QueueEvent): void {
    const failed = (error: unknown): void =>
      this.log('error', `in-process subscriber failed on ${event.exchange} ${event.routingKey}: ${errorMessage(error)}`, { error });
    try {
      const result = subscription.handler(event);
      if (result instanceof Promise) result.catch(failed);
    } catch (error) {
      failed(error);
    }
  }
}

const isBindingList = (value: EventBinding | readonly EventBinding[]): value is readonly EventBinding[] => Array.isArray(value);

const wireCopy = (event: QueueEvent): QueueEvent => ({
  exchange: event.exchange,
  routingKey: event.routingKey,
  cc: [...event.cc],
  payload: JSON.parse(JSON.stringify(event.payload)) as Record<string, unknown>,
});
