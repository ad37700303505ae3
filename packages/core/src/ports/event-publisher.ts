import type { ExchangeName } from '../domain/exchanges';

export interface QueueEvent {
  /** Short exchange name, e.g. `task-completed`; adapters add `exchange/<namespace>/v1/`. */
  readonly exchange: ExchangeName;
  readonly routingKey: string;
  /** Extra routing keys (`route.<route>` for each task route). */
  readonly cc: readonly string[];
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * Publishes after the state change is durable. Resolves once every event is accepted (confirmed
 * by the broker); rejects otherwise, and the caller's retry publishes again (at-least-once).
 */
export interface EventPublisher {
  publish(events: readonly QueueEvent[]): Promise<void>;
}
