import type { Fixtures } from '../fixtures';
import type { TestQueue } from '../test-queue';

/** What an error answer must be: status, error code, and text its message must contain. */
export interface Expected {
  readonly statusCode: number;
  readonly code?: string;
  readonly mentions?: string;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface HappyPath {
  /** The call, made with whatever credentials the test holds. */
  readonly call: (q: TestQueue) => Promise<any>;
  /** Checks of the answer (jest `expect`). */
  readonly check?: (result: any) => void;
  /**
   * For an endpoint no valid call can succeed on in this deployment (finishArtifact: there are
   * no object artifacts), the answer a valid call gets instead.
   */
  readonly documentedError?: Expected;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface ErrorPath {
  readonly call: (q: TestQueue) => Promise<unknown>;
  readonly expected: Expected;
}

/** One endpoint's happy path and error path, each preparing its own state first. */
export interface EndpointCase {
  happy(f: Fixtures): Promise<HappyPath>;
  error(f: Fixtures): Promise<ErrorPath>;
}

export type EndpointCases = Readonly<Record<string, EndpointCase>>;
