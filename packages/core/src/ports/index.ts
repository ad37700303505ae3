export type * from './versioned';
export type * from './clock';
export type * from './id-generator';
export type * from './task-store';
export type * from './task-group-store';
export type * from './dependency-store';
export type * from './artifact-store';
export type * from './worker-info-store';
export type * from './pending-queue';
export type * from './claim-store';
export type * from './timer-queue';
export type * from './blob-store';
export type * from './event-publisher';
export type * from './credential-issuer';
export type * from './work-notifier';

import type { ArtifactStore } from './artifact-store';
import type { BlobStore } from './blob-store';
import type { ClaimStore } from './claim-store';
import type { Clock } from './clock';
import type { CredentialIssuer } from './credential-issuer';
import type { DependencyStore } from './dependency-store';
import type { EventPublisher } from './event-publisher';
import type { IdGenerator } from './id-generator';
import type { PendingQueue } from './pending-queue';
import type { TaskGroupStore } from './task-group-store';
import type { TaskStore } from './task-store';
import type { TimerQueue } from './timer-queue';
import type { WorkNotifier } from './work-notifier';
import type { WorkerInfoStore } from './worker-info-store';

/** Everything the core needs from the outside world. */
export interface QueuePorts {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly tasks: TaskStore;
  readonly taskGroups: TaskGroupStore;
  readonly dependencies: DependencyStore;
  readonly artifacts: ArtifactStore;
  readonly workerInfo: WorkerInfoStore;
  readonly pending: PendingQueue;
  readonly claims: ClaimStore;
  readonly timers: TimerQueue;
  /** Blob stores per artifact storage type; a type without one is refused with a 400. */
  readonly blobs: Readonly<{ s3?: BlobStore; azure?: BlobStore }>;
  readonly events: EventPublisher;
  readonly credentials: CredentialIssuer;
  readonly work: WorkNotifier;
}
