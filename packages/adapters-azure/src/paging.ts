import { odata } from '@azure/data-tables';
import { DomainError, type Page, type PageRequest } from '@taskcluster-queue/core';
import { prefixEnd } from './keys';
import { decodeContinuation, encodeContinuation } from './tokens';
import type { AzureTable, Row } from './table-client';

export const checkLimit = (limit: number): number => {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new DomainError('InvalidRequestArguments', `Invalid limit ${limit}: must be a positive integer`);
  }
  return limit;
};

export interface KeyRange {
  /** Row keys at or after this (default: all). */
  readonly from?: string;
  /** Row keys before this (default: all). */
  readonly to?: string;
}

/** The row keys that start with `prefix`. */
export const prefixRange = (prefix: string): KeyRange => ({ from: prefix, to: prefixEnd(prefix) });

/**
 * `PartitionKey eq pk` and the row-key bounds: the range's, always (a continuation token is the
 * caller's to make up, and must not widen the range), and `after` exclusive.
 */
export const partitionFilter = (partitionKey: string, range: KeyRange = {}, after?: string): string => {
  const parts = [odata`PartitionKey eq ${partitionKey}`];
  if (range.from !== undefined) parts.push(odata`RowKey ge ${range.from}`);
  if (after !== undefined) parts.push(odata`RowKey gt ${after}`);
  if (range.to !== undefined) parts.push(odata`RowKey lt ${range.to}`);
  return parts.join(' and ');
};

/**
 * One page of a partition in row-key order. The token names the last row key returned, so it
 * survives rows being added or removed meanwhile; one extra row is read to know whether more follow.
 */
export const pagePartition = async <T>(
  table: AzureTable,
  partitionKey: string,
  page: PageRequest,
  toItem: (row: Row) => T,
  range: KeyRange = {},
): Promise<Page<T>> => {
  const limit = checkLimit(page.limit);
  const after = decodeContinuation(page.continuationToken);
  const rows = await table.query(partitionFilter(partitionKey, range, after), limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  if (rows.length <= limit || !last) return { items: items.map(toItem) };
  return { items: items.map(toItem), continuationToken: encodeContinuation(last.rowKey) };
};
