import type { Page, PageRequest } from '../../ports/versioned';
import { randomSlugid } from '../in-memory-ids';

/**
 * What a contract suite's factory returns: a fresh, empty store of its own (a new table, queue
 * or prefix per call for a real backend), and how to dispose of it.
 */
export interface ContractFixture<S> {
  readonly store: S;
  readonly cleanup?: () => Promise<void>;
}

export type ContractFactory<S, F extends ContractFixture<S> = ContractFixture<S>> = () => Promise<F>;

/**
 * Timing of the suites whose ports lease by time (pending queue, claims, timers). They pass the
 * wall clock as `now` and wait in real time for a lease to run out, so a backend that keeps time
 * itself (a queue service's visibility timeout) behaves the same as one that trusts `now`.
 */
export interface LeaseTiming {
  /** Lease length used by the suite; at least the backend's visibility granularity. Default 1000. */
  readonly leaseMs?: number;
}

export const DEFAULT_LEASE_MS = 1000;

/** Creates a fixture before each test and cleans it up after; returns a getter for the current one. */
export const useFixture = <S, F extends ContractFixture<S>>(factory: ContractFactory<S, F>): (() => F) => {
  let fixture: F | undefined;
  beforeEach(async () => {
    fixture = await factory();
  });
  afterEach(async () => {
    const done = fixture;
    fixture = undefined;
    await done?.cleanup?.();
  });
  return () => {
    if (!fixture) throw new Error('contract fixture used outside a test');
    return fixture;
  };
};

/** Reads every page of a listing with `limit`, checking each page's size. */
export const readAllPages = async <T>(list: (page: PageRequest) => Promise<Page<T>>, limit: number): Promise<T[]> => {
  const items: T[] = [];
  let continuationToken: string | undefined;
  for (let pages = 0; ; pages++) {
    if (pages > 10_000) throw new Error('listing does not end');
    const page = await list(continuationToken === undefined ? { limit } : { limit, continuationToken });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    if (page.continuationToken === undefined) return items;
    expect(typeof page.continuationToken).toBe('string');
    continuationToken = page.continuationToken;
  }
};

export const iso = (ms: number): string => new Date(ms).toISOString();

/** A fixed instant the record-expiry tests are relative to (no wall clock involved). */
export const EPOCH = Date.UTC(2030, 0, 1);
export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;

/** A fresh slugid, so suites sharing a backend never collide. */
export const newId = (): string => randomSlugid();

/** `count` fresh slugids in ascending order. */
export const sortedIds = (count: number): string[] =>
  Array.from({ length: count }, newId).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

export const wait = (ms: number): Promise<void> => new Promise<void>((resolve) => void setTimeout(resolve, ms));

/** Waits until a lease of `leaseMs` taken now has surely run out. */
export const outlive = (leaseMs: number): Promise<void> => wait(Math.ceil(leaseMs * 1.5) + 50);

/** Runs the calls at once; how many fulfilled, and the rejections. */
export const race = async <T>(calls: readonly (() => Promise<T>)[]) => {
  const results = await Promise.allSettled(calls.map((call) => call()));
  const fulfilled = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const rejected = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  return { fulfilled, rejected };
};
