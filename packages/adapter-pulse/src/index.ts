export {
  AmqpEventPublisher,
  EventPublishError,
  DEFAULT_NAMESPACE,
  pulseExchangeName,
  type AmqpEventPublisherOptions,
} from './amqp-event-publisher';
export { InProcessEventBus, type EventBinding, type EventHandler, type InProcessEventBusOptions } from './in-process-event-bus';
export { compileTopicPattern, topicMatches } from './topic-pattern';
export { DEFAULT_RECONNECT_BACKOFF, reconnectDelay, type ReconnectBackoff } from './reconnect-backoff';
export type { Log, LogLevel } from './log';
