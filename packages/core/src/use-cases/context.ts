import type { QueueConfig } from '../config';
import type { QueuePorts } from '../ports';

/** What every use case runs with: the ports and the deployment settings. */
export interface UseCaseContext {
  readonly ports: QueuePorts;
  readonly config: QueueConfig;
  /** Per-process memory that only saves work (losing it changes no outcome). */
  readonly memo: UseCaseMemo;
}

export interface UseCaseMemo {
  /** Worker key → time until which its seen-records need no refresh (upstream: once per 6 h per process). */
  readonly workersSeen: Map<string, number>;
  /** Task group → its expiry as last seen: it exists until then (createTask reads it rather than trying it as new). */
  readonly taskGroupsSeen: Map<string, number>;
}

export const createMemo = (): UseCaseMemo => ({ workersSeen: new Map(), taskGroupsSeen: new Map() });
