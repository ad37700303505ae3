import { DomainError } from '@taskcluster-queue/core';

/**
 * Opaque strings handed to callers: continuation tokens (the last key of a page, so a token stays
 * valid when rows before or after it change) and lease receipts (where the leased row is and
 * which version of it the lease wrote). Both are versioned base64url JSON arrays of strings.
 */
const VERSION = 'az1';

const encode = (kind: string, parts: readonly string[]): string =>
  Buffer.from(JSON.stringify([VERSION, kind, ...parts]), 'utf8').toString('base64url');

const decode = (kind: string, token: string, arity: number): string[] | undefined => {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== arity + 2) return undefined;
    if (parsed[0] !== VERSION || parsed[1] !== kind) return undefined;
    if (!parsed.every((part) => typeof part === 'string')) return undefined;
    // Only the canonical encoding is a token (no trailing bits or re-encodings).
    if (encode(kind, parsed.slice(2) as string[]) !== token) return undefined;
    return parsed.slice(2) as string[];
  } catch {
    return undefined;
  }
};

/** A continuation token naming the last row key of a page. */
export const encodeContinuation = (lastKey: string): string => encode('page', [lastKey]);

/** The row key a continuation token names; an invalid token is the caller's error. */
export const decodeContinuation = (token: string | undefined): string | undefined => {
  if (token === undefined) return undefined;
  const parts = decode('page', token, 1);
  if (!parts) throw new DomainError('InvalidRequestArguments', `Invalid continuationToken ${JSON.stringify(token)}`);
  return parts[0];
};

/**
 * A lease receipt: the leased row, and in `version` what its issuer checks when the receipt comes
 * back: the ETag the lease wrote (pending hints), or the item's key row (due index, whose leased
 * row's own key is its version).
 */
export const encodeReceipt = (partitionKey: string, rowKey: string, version: string): string =>
  encode('lease', [partitionKey, rowKey, version]);

export interface Receipt {
  readonly partitionKey: string;
  readonly rowKey: string;
  readonly version: string;
}

/** The row a receipt names, or undefined for a receipt this adapter did not issue. */
export const decodeReceipt = (receipt: string): Receipt | undefined => {
  const parts = decode('lease', receipt, 3);
  if (!parts) return undefined;
  const [partitionKey, rowKey, version] = parts as [string, string, string];
  return { partitionKey, rowKey, version };
};
