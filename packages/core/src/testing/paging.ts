import { DomainError } from '../errors';
import type { Page, PageRequest } from '../ports/versioned';
import { base64url } from './in-memory-ids';

/**
 * Continuation tokens name the last key of the page they end: opaque to callers, and still valid
 * when records before or after that key are added or removed (as with a real table's tokens).
 */
const TOKEN_PREFIX = 'k1:';
const BASE64URL_CHARS = /^[A-Za-z0-9_-]*$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** UTF-8 (lone surrogates as their 3-byte form, so every string round-trips). */
const utf8 = (text: string): Uint8Array => {
  const bytes: number[] = [];
  for (const char of text) {
    const c = char.codePointAt(0) as number;
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(bytes);
};

/** Inverse of `utf8` for well-formed input; malformed input decodes to something that does not re-encode the same. */
const fromUtf8 = (bytes: readonly number[]): string => {
  let text = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const length = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    let c = length === 1 ? b : b & (0x7f >> length);
    for (let k = 1; k < length; k++) c = (c << 6) | ((bytes[i + k] ?? 0) & 63);
    text += String.fromCodePoint(Math.min(c, 0x10ffff));
    i += length;
  }
  return text;
};

const invalidToken = (token: string) =>
  new DomainError('InvalidRequestArguments', `Invalid continuationToken ${JSON.stringify(token)}`);

export const encodeContinuationToken = (key: string): string => base64url(utf8(TOKEN_PREFIX + key));

/** The key a token names; an invalid token is the caller's error (InvalidRequestArguments). */
export const decodeContinuationToken = (token: string): string => {
  if (!BASE64URL_CHARS.test(token) || token.length % 4 === 1) throw invalidToken(token);
  const bytes: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const char of token) {
    acc = (acc << 6) | ALPHABET.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
    }
    acc &= (1 << bits) - 1;
  }
  const text = fromUtf8(bytes);
  if (!text.startsWith(TOKEN_PREFIX)) throw invalidToken(token);
  const key = text.slice(TOKEN_PREFIX.length);
  // Only the canonical encoding of a key is a token (no stray bits, no malformed UTF-8).
  if (encodeContinuationToken(key) !== token) throw invalidToken(token);
  return key;
};

const checkLimit = (limit: number): number => {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new DomainError('InvalidRequestArguments', `Invalid limit ${limit}: must be a positive integer`);
  }
  return limit;
};

export const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `items` ordered by `keyOf` (code-unit order of the keys). */
export const sortByKey = <T>(items: Iterable<T>, keyOf: (item: T) => string): T[] =>
  [...items].map((item) => ({ item, key: keyOf(item) })).sort((a, b) => compareKeys(a.key, b.key)).map(({ item }) => item);

/**
 * One page of `sorted` (ordered by `keyOf`, keys unique): the items after the token's key, at
 * most `page.limit` of them, and a token when more follow.
 */
export const paginate = <T>(sorted: readonly T[], keyOf: (item: T) => string, page: PageRequest): Page<T> => {
  const limit = checkLimit(page.limit);
  let start = 0;
  if (page.continuationToken !== undefined) {
    const after = decodeContinuationToken(page.continuationToken);
    let high = sorted.length;
    while (start < high) {
      const middle = (start + high) >>> 1;
      if (keyOf(sorted[middle] as T) <= after) start = middle + 1;
      else high = middle;
    }
  }
  const items = sorted.slice(start, start + limit);
  const last = items[items.length - 1];
  if (last === undefined || start + limit >= sorted.length) return { items };
  return { items, continuationToken: encodeContinuationToken(keyOf(last)) };
};

/** Sorts by key, then pages (for stores that keep no sorted index). */
export const pageByKey = <T>(items: Iterable<T>, keyOf: (item: T) => string, page: PageRequest): Page<T> =>
  paginate(sortByKey(items, keyOf), keyOf, page);
