import type { AbortSignalLike, Caller, Queue, QueueOperation, WireSchemaName } from '@taskcluster-queue/core';

export type Stability = 'stable' | 'experimental' | 'deprecated';

/** What a handler gets: the queue, who calls, and the request's parts (params already decoded). */
export interface Call {
  readonly queue: Queue;
  readonly caller: Caller;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** Aborts when the client goes away or the server shuts down (claimWork's long poll). */
  readonly signal: AbortSignalLike;
}

/** A reply other than 200 + JSON body: redirects, 424 error artifacts, 204. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

/**
 * One row of the endpoint table: everything the router, the reference and the OpenAPI document
 * are derived from. `scopes` names the core operation whose scope expression applies.
 */
export interface Endpoint {
  readonly name: string;
  readonly method: 'get' | 'post' | 'put';
  /** Under `/api/queue/v1`; `<param>` placeholders. */
  readonly route: string;
  readonly query?: readonly string[];
  /** Names in core's `wireSchemas` (`v1/...`). */
  readonly input?: WireSchemaName;
  readonly output?: WireSchemaName;
  readonly scopes?: QueueOperation;
  readonly stability: Stability;
  readonly title: string;
  readonly description: string;
  /** Whether the endpoint needs no authentication at all (health and reference endpoints). */
  readonly public?: boolean;
  readonly handle: (call: Call) => Promise<unknown>;
}

/** The run id of a URL, as core expects it: a number when it looks like one. */
export const runIdOf = (params: Readonly<Record<string, string>>): number => {
  const raw = params['runId'] ?? '';
  return /^[0-9]+$/.test(raw) ? Number(raw) : (raw as unknown as number);
};
