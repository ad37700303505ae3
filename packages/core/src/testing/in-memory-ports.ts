import type { Clock } from '../ports/clock';
import type { QueuePorts } from '../ports';
import { FakeClock } from './fake-clock';
import { InMemoryArtifactStore } from './in-memory-artifact-store';
import { InMemoryBlobStore } from './in-memory-blob-store';
import { InMemoryClaimStore } from './in-memory-claim-store';
import { InMemoryCredentialIssuer } from './in-memory-credential-issuer';
import { InMemoryDependencyStore } from './in-memory-dependency-store';
import { InMemoryEventPublisher } from './in-memory-event-publisher';
import { InMemoryIdGenerator } from './in-memory-ids';
import { InMemoryPendingQueue } from './in-memory-pending-queue';
import { InMemoryTaskGroupStore } from './in-memory-task-group-store';
import { InMemoryTaskStore } from './in-memory-task-store';
import { InMemoryTimerQueue } from './in-memory-timer-queue';
import { InMemoryWorkNotifier } from './in-memory-work-notifier';
import { InMemoryWorkerInfoStore } from './in-memory-worker-info-store';

/** Every port over its in-memory adapter, typed so a test reaches the adapters' extras. */
export interface InMemoryPorts<C extends Clock = FakeClock> extends QueuePorts {
  readonly clock: C;
  readonly ids: InMemoryIdGenerator;
  readonly tasks: InMemoryTaskStore;
  readonly taskGroups: InMemoryTaskGroupStore;
  readonly dependencies: InMemoryDependencyStore;
  readonly artifacts: InMemoryArtifactStore;
  readonly workerInfo: InMemoryWorkerInfoStore;
  readonly pending: InMemoryPendingQueue;
  readonly claims: InMemoryClaimStore;
  readonly timers: InMemoryTimerQueue;
  readonly blobs: { readonly s3: InMemoryBlobStore; readonly azure: InMemoryBlobStore };
  readonly events: InMemoryEventPublisher;
  readonly credentials: InMemoryCredentialIssuer;
  readonly work: InMemoryWorkNotifier;
}

export interface InMemoryPortsOptions<C extends Clock> {
  /** Default: a new `FakeClock` at its default start. */
  readonly clock?: C;
  /**
   * Whether the publisher and the credential issuer keep what they handled, for tests to read
   * (default true). `false` for long runs such as benchmarks: they then only count.
   */
  readonly record?: boolean;
}

/** Fresh in-memory adapters for every port, sharing one clock (a `FakeClock` unless given one). */
export function createInMemoryPorts(options?: InMemoryPortsOptions<FakeClock>): InMemoryPorts<FakeClock>;
export function createInMemoryPorts<C extends Clock>(options: InMemoryPortsOptions<C> & { clock: C }): InMemoryPorts<C>;
export function createInMemoryPorts(options: InMemoryPortsOptions<Clock> = {}): InMemoryPorts<Clock> {
  const clock = options.clock ?? new FakeClock();
  const now = () => clock.now();
  return {
    clock,
    ids: new InMemoryIdGenerator(),
    tasks: new InMemoryTaskStore(),
    taskGroups: new InMemoryTaskGroupStore(),
    dependencies: new InMemoryDependencyStore(),
    artifacts: new InMemoryArtifactStore(),
    workerInfo: new InMemoryWorkerInfoStore(),
    pending: new InMemoryPendingQueue(),
    claims: new InMemoryClaimStore(),
    timers: new InMemoryTimerQueue(),
    blobs: { s3: new InMemoryBlobStore({ now }), azure: new InMemoryBlobStore({ now }) },
    events: new InMemoryEventPublisher({ record: options.record }),
    credentials: new InMemoryCredentialIssuer({ record: options.record }),
    work: new InMemoryWorkNotifier(),
  };
}
