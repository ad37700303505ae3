/** A record as read from a store, with the opaque version a conditional write must name. */
export interface Versioned<T> {
  readonly value: T;
  readonly version: string;
}

/** One page of a listing. `continuationToken` is opaque; its absence means the listing is done. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly continuationToken?: string;
}

export interface PageRequest {
  readonly limit: number;
  readonly continuationToken?: string;
}

/** Bounded scan of records whose `expires` is before a time, for the expiry jobs. */
export interface ExpiredScan {
  readonly before: number;
  readonly limit: number;
}
