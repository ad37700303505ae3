import { connect, type ChannelModel, type ConfirmChannel, type Options } from 'amqplib';
import { EXCHANGES, type EventPublisher, type ExchangeName, type QueueEvent } from '@taskcluster-queue/core';
import { errorMessage, silentLog, type Log } from './log';
import { checkReconnectBackoff, DEFAULT_RECONNECT_BACKOFF, reconnectDelay, type ReconnectBackoff } from './reconnect-backoff';

export const DEFAULT_NAMESPACE = 'taskcluster-queue';

/** The AMQP name of a queue exchange: `exchange/<namespace>/v1/<name>`. */
export const pulseExchangeName = (namespace: string, exchange: ExchangeName): string => `exchange/${namespace}/v1/${exchange}`;

export interface AmqpEventPublisherOptions {
  /** `amqp://user:pass@host:port/vhost` (or `amqps://`); never logged with its credentials. */
  readonly url: string;
  /** Exchanges are `exchange/<namespace>/v1/<name>`. Default `taskcluster-queue`. */
  readonly namespace?: string;
  /** Bound of one connection attempt (TCP, AMQP handshake, then channel and exchanges), in ms. Default 10 000. */
  readonly connectTimeout?: number;
  /**
   * Bound of one `publish` call, in ms: waiting for a connection (and reconnecting after a loss
   * mid-call) and the broker's confirms. Past it the call rejects. Default 10 000.
   */
  readonly publishTimeout?: number;
  /** Delays between reconnection attempts. */
  readonly reconnect?: Partial<ReconnectBackoff>;
  readonly log?: Log;
}

/** A publish that was not confirmed by the broker: the caller answers a retryable error. */
export class EventPublishError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventPublishError';
  }
}

interface OutgoingMessage {
  readonly exchange: string;
  readonly routingKey: string;
  readonly content: Buffer;
  readonly options: Options.Publish;
}

type State = 'idle' | 'running' | 'closing' | 'closed';

/** A connection the broker stops answering is torn down after this long. */
const CLOSE_TIMEOUT_MS = 5000;
/** A connection that lived this long resets the reconnection backoff when it is lost. */
const STABLE_CONNECTION_MS = 10_000;
const MAX_ROUTING_KEY_BYTES = 255;

/**
 * EventPublisher on AMQP 0-9-1 (RabbitMQ, pulse). One connection with one confirm channel; the
 * exchanges of core's table are asserted (durable topic) on every (re)connection. A publish
 * resolves once the broker confirmed every event of the call; if the connection is lost first,
 * the unconfirmed events are sent again on the next connection (duplicates are allowed: events
 * are at-least-once), and the call rejects with `EventPublishError` once `publishTimeout` has
 * passed. It never resolves for an event the broker did not confirm.
 */
export class AmqpEventPublisher implements EventPublisher {
  readonly namespace: string;
  private readonly url: string;
  private readonly where: string;
  private readonly connectTimeout: number;
  private readonly publishTimeout: number;
  private readonly backoff: ReconnectBackoff;
  private readonly log: Log;

  private state: State = 'idle';
  private link: AmqpLink | undefined;
  private lastError: Error | undefined;
  private loop: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private wakeSleep: (() => void) | undefined;
  private readonly linkWaiters = new Set<() => void>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(options: AmqpEventPublisherOptions) {
    this.url = options.url;
    this.where = describeUrl(options.url);
    this.namespace = options.namespace ?? DEFAULT_NAMESPACE;
    if (!/^[\w.-]+$/.test(this.namespace)) throw new RangeError(`invalid exchange namespace '${this.namespace}'`);
    this.connectTimeout = positive(options.connectTimeout ?? 10_000, 'connectTimeout');
    this.publishTimeout = positive(options.publishTimeout ?? 10_000, 'publishTimeout');
    this.backoff = checkReconnectBackoff({ ...DEFAULT_RECONNECT_BACKOFF, ...options.reconnect });
    this.log = options.log ?? silentLog;
  }

  /** Whether a connection is up right now (for health checks; a publish does not need it). */
  get connected(): boolean {
    return this.link?.usable === true;
  }

  /**
   * Starts connecting, and resolves once connected; rejects after `publishTimeout` (the
   * publisher keeps trying in the background). Optional: the first publish connects too.
   */
  async connect(): Promise<void> {
    this.assertOpen();
    this.start();
    await this.waitForLink(Date.now() + this.publishTimeout);
  }

  publish(events: readonly QueueEvent[]): Promise<void> {
    const call = this.publishAll(events);
    this.inFlight.add(call);
    const forget = (): void => void this.inFlight.delete(call);
    call.then(forget, forget);
    return call;
  }

  /**
   * Clean shutdown: new publishes reject, publishes waiting for a connection reject, publishes
   * already sent wait for their confirms; then the connection is closed.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.state = 'closing';
    this.wakeWaiters();
    this.wakeSleep?.();
    await Promise.allSettled([...this.inFlight]);
    const link = this.link;
    this.link = undefined;
    await link?.shutdown();
    await this.loop;
    this.state = 'closed';
    this.log('info', `AMQP event publisher closed (${this.where})`);
  }

  private async publishAll(events: readonly QueueEvent[]): Promise<void> {
    this.assertOpen();
    if (events.length === 0) return;
    let pending: readonly OutgoingMessage[] = events.map((event) => this.toMessage(event));
    this.start();
    const deadline = Date.now() + this.publishTimeout;
    for (;;) {
      const link = await this.waitForLink(deadline);
      pending = await this.sendAndConfirm(link, pending, deadline);
      if (pending.length === 0) return;
      this.log('warn', `connection lost before ${pending.length} event(s) were confirmed; sending them again once reconnected`);
    }
  }

  private assertOpen(): void {
    if (this.state === 'closing' || this.state === 'closed') {
      throw new EventPublishError(`AMQP event publisher (${this.where}) is ${this.state}; events not published`);
    }
  }

  private toMessage(event: QueueEvent): OutgoingMessage {
    if (!Object.hasOwn(EXCHANGES, event.exchange)) throw new EventPublishError(`unknown exchange '${event.exchange}'`);
    if (Buffer.byteLength(event.routingKey) > MAX_ROUTING_KEY_BYTES) {
      throw new EventPublishError(`routing key longer than ${MAX_ROUTING_KEY_BYTES} bytes: ${event.routingKey}`);
    }
    return {
      exchange: pulseExchangeName(this.namespace, event.exchange),
      routingKey: event.routingKey,
      content: Buffer.from(JSON.stringify(event.payload), 'utf8'),
      options: { persistent: true, contentType: 'application/json', contentEncoding: 'utf-8', CC: [...event.cc] },
    };
  }

  /**
   * Publishes `messages` on the link's confirm channel. Resolves with the messages that were not
   * confirmed because the link was lost (empty when all were confirmed); rejects on a nack, on a
   * message the channel refuses, or at the deadline.
   */
  private sendAndConfirm(link: AmqpLink, messages: readonly OutgoingMessage[], deadline: number): Promise<readonly OutgoingMessage[]> {
    const channel = link.channel;
    return new Promise((resolve, reject) => {
      const lost = new Set<number>();
      let outstanding = messages.length;
      let nacked = 0;
      let settled = false;
      const timer = setTimeout(() => {
        fail(new EventPublishError(`the AMQP broker (${this.where}) did not confirm ${outstanding} of ${messages.length} event(s) within ${this.publishTimeout} ms`));
      }, Math.max(0, deadline - Date.now()));
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      };
      const confirmed = (index: number, error: unknown): void => {
        if (error) {
          // amqplib reports a nack as 'message nacked'; anything else means the channel went away.
          if (error instanceof Error && error.message === 'message nacked') nacked++;
          else {
            lost.add(index);
            link.drop(asError(error));
          }
        }
        if (--outstanding > 0 || settled) return;
        if (nacked > 0) return fail(new EventPublishError(`the AMQP broker (${this.where}) rejected (nacked) ${nacked} of ${messages.length} event(s)`));
        settled = true;
        clearTimeout(timer);
        resolve(messages.filter((_, i) => lost.has(i)));
      };
      messages.forEach((message, index) => {
        if (settled) return;
        try {
          channel.publish(message.exchange, message.routingKey, message.content, message.options, (error) => confirmed(index, error));
        } catch (error) {
          // A closed channel throws IllegalOperationError: this message was never sent.
          if (asError(error).name !== 'IllegalOperationError') return fail(new EventPublishError(`cannot publish to ${message.exchange}: ${errorMessage(error)}`, { cause: error }));
          confirmed(index, error);
        }
      });
    });
  }

  private start(): void {
    if (this.state !== 'idle') return;
    this.state = 'running';
    this.loop = this.run();
  }

  /** Keeps one link up until close: connect, wait for the loss, back off, reconnect. */
  private async run(): Promise<void> {
    let attempt = 0;
    while (this.state === 'running') {
      let link: AmqpLink;
      try {
        link = await this.open();
      } catch (error) {
        this.lastError = asError(error);
        attempt++;
        const delay = reconnectDelay(attempt, this.backoff);
        this.log('warn', `cannot connect to the AMQP broker (${this.where}): ${errorMessage(error)}; retrying in ${delay} ms`, { attempt });
        await this.sleep(delay);
        continue;
      }
      if (this.state !== 'running') {
        await link.shutdown();
        break;
      }
      this.link = link;
      this.lastError = undefined;
      this.log('info', `connected to the AMQP broker (${this.where}), exchanges exchange/${this.namespace}/v1/*`);
      this.wakeWaiters();
      const error = await link.lost;
      if (this.link === link) this.link = undefined;
      if (this.state !== 'running') break;
      this.lastError = error;
      attempt = Date.now() - link.since >= STABLE_CONNECTION_MS ? 1 : attempt + 1;
      const delay = reconnectDelay(attempt, this.backoff);
      this.log('warn', `lost the AMQP connection (${this.where}): ${error.message}; reconnecting in ${delay} ms`, { attempt });
      await this.sleep(delay);
    }
  }

  private async open(): Promise<AmqpLink> {
    const model = await connect(this.url, {
      noDelay: true, // without it every confirmed publish waits ~40 ms (Nagle + delayed ACK)
      timeout: this.connectTimeout,
      clientProperties: { connection_name: `${this.namespace} event publisher` },
    });
    const link = new AmqpLink(model, this.log, this.where);
    const setUp = async (): Promise<void> => {
      const channel = await model.createConfirmChannel();
      link.attach(channel);
      for (const exchange of Object.keys(EXCHANGES) as ExchangeName[]) {
        await channel.assertExchange(pulseExchangeName(this.namespace, exchange), 'topic', { durable: true });
      }
    };
    const setup = setUp();
    try {
      if (!(await settlesWithin(setup, this.connectTimeout))) throw new Error(`channel set-up took longer than ${this.connectTimeout} ms`);
      await setup;
      return link;
    } catch (error) {
      link.drop(asError(error));
      await link.shutdown();
      throw error;
    }
  }

  /** The current link, waiting for the (re)connection until `deadline`. */
  private async waitForLink(deadline: number): Promise<AmqpLink> {
    for (;;) {
      this.assertOpen();
      const link = this.link;
      if (link?.usable) return link;
      const left = deadline - Date.now();
      if (left <= 0) {
        const cause = this.lastError ? `: ${this.lastError.message}` : '';
        throw new EventPublishError(`no connection to the AMQP broker (${this.where}) within ${this.publishTimeout} ms${cause}`, {
          cause: this.lastError,
        });
      }
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.linkWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.linkWaiters.add(done);
      });
    }
  }

  private wakeWaiters(): void {
    for (const wake of [...this.linkWaiters]) wake();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wakeSleep === done) this.wakeSleep = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleep = done;
    });
  }
}

/** One connection and its confirm channel; `lost` resolves when either goes away. */
class AmqpLink {
  readonly since = Date.now();
  readonly lost: Promise<Error>;
  private resolveLost!: (error: Error) => void;
  private isLost = false;
  private connectionClosed = false;
  private readonly closeEvent: Promise<void>;
  private markClosed!: () => void;
  private confirmChannel: ConfirmChannel | undefined;
  private shuttingDown: Promise<void> | undefined;

  constructor(
    private readonly model: ChannelModel,
    private readonly log: Log,
    private readonly where: string,
  ) {
    this.lost = new Promise<Error>((resolve) => (this.resolveLost = resolve));
    this.closeEvent = new Promise<void>((resolve) => (this.markClosed = resolve));
    // amqplib emits 'error' before 'close'; without a listener an 'error' would crash the process.
    model.on('error', (error: Error) => this.log('warn', `AMQP connection error (${where}): ${error.message}`));
    model.on('close', (error?: Error) => {
      this.connectionClosed = true;
      this.markClosed();
      this.lose(error ?? new Error('connection closed'));
    });
    model.on('blocked', (reason: string) => this.log('warn', `the AMQP broker (${where}) blocks publishing: ${reason}`));
    model.on('unblocked', () => this.log('info', `the AMQP broker (${where}) accepts publishing again`));
  }

  get usable(): boolean {
    return !this.isLost && this.confirmChannel !== undefined;
  }

  get channel(): ConfirmChannel {
    if (!this.confirmChannel) throw new Error('AMQP link used before its channel was opened');
    return this.confirmChannel;
  }

  attach(channel: ConfirmChannel): void {
    channel.on('error', (error: Error) => this.log('warn', `AMQP channel error (${this.where}): ${error.message}`));
    // The server closes a channel on an error (e.g. an exchange deleted under us): start over.
    channel.on('close', () => this.drop(new Error('channel closed')));
    this.confirmChannel = channel;
  }

  /** Marks the link lost and closes it, so the publisher reconnects. */
  drop(error: Error): void {
    this.lose(error);
    // Deferred: when the whole connection is going down, amqplib closes the channels first and
    // emits the connection's 'close' right after, in the same call; closing it again then would
    // wait for a CloseOk that never comes.
    queueMicrotask(() => void this.shutdown());
  }

  /** Closes the connection (if still open); destroys the socket if the broker does not answer in time. */
  shutdown(): Promise<void> {
    this.shuttingDown ??= (async () => {
      if (!this.connectionClosed) {
        // If the socket dies while closing, amqplib emits 'close' but never answers close().
        const closing = Promise.race([this.model.close().catch(() => undefined), this.closeEvent]);
        const closed = await settlesWithin(closing, CLOSE_TIMEOUT_MS);
        if (!closed) destroySocket(this.model, new Error('AMQP connection did not close in time'));
      }
      this.lose(new Error('connection closed by the publisher'));
    })();
    return this.shuttingDown;
  }

  private lose(error: Error): void {
    if (this.isLost) return;
    this.isLost = true;
    this.resolveLost(error);
  }
}

/** Whether `promise` settled within `ms` (the timer never outlives the answer). */
const settlesWithin = (promise: Promise<unknown>, ms: number): Promise<boolean> =>
  new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const done = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(done, done);
  });

/** Last resort for a connection whose peer stopped answering: amqplib has no public way to abort one. */
const destroySocket = (model: ChannelModel, error: Error): void => {
  const stream = (model as unknown as { connection?: { stream?: { destroy?: (error?: Error) => void } } }).connection?.stream;
  // With an error, amqplib sees the socket fail and emits 'close'; without one it would not notice.
  stream?.destroy?.(error);
};

const asError = (value: unknown): Error => (value instanceof Error ? value : new Error(String(value)));

const positive = (value: number, name: string): number => {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number of ms, got ${value}`);
  return value;
};

/** The URL without its credentials, for messages. */
const describeUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'an invalid AMQP URL';
  }
};
