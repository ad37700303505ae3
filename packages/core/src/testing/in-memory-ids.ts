import type { IdGenerator } from '../ports/id-generator';

/** The one Web Crypto call used; typed here so core needs neither DOM nor Node typings. */
interface RandomSource {
  getRandomValues<T extends Uint8Array>(array: T): T;
}

const webCrypto = (): RandomSource => {
  const crypto = (globalThis as { crypto?: RandomSource }).crypto;
  if (!crypto) throw new Error('globalThis.crypto.getRandomValues is not available (Node 20+ has it)');
  return crypto;
};

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const CODES = Array.from(BASE64URL, (char) => char.charCodeAt(0));

/** Unpadded base64url of `bytes`. */
export const base64url = (bytes: Uint8Array): string => {
  // Sized up front: a growing list or a typed array both measured slower.
  const out = new Array<number>(Math.ceil((bytes.length * 8) / 6));
  let k = 0;
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    for (let shift = 18; shift >= 0 && k < out.length; shift -= 6) out[k++] = CODES[(n >> shift) & 63]!;
  }
  return String.fromCharCode.apply(null, out);
};

const POOL_SIZE = 4096;
let pool = new Uint8Array(0);
let offset = 0;

/** `count` random bytes from `globalThis.crypto`, drawn from a pool refilled 4 KiB at a time. */
export const randomBytes = (count: number): Uint8Array => {
  if (count > POOL_SIZE) return webCrypto().getRandomValues(new Uint8Array(count));
  if (offset + count > pool.length) {
    pool = webCrypto().getRandomValues(new Uint8Array(POOL_SIZE));
    offset = 0;
  }
  offset += count;
  // A view, not a copy (it keeps its 4 KiB pool alive): a refill makes a new pool, so what was
  // handed out never changes.
  return pool.subarray(offset - count, offset);
};

/**
 * A v4 "nice" slugid, as `slugid.nice()` makes them: a random UUID (version 4, RFC 4122 variant)
 * in unpadded base64url, its first bit cleared so it never starts with `-`.
 */
export const randomSlugid = (): string => {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return base64url(bytes);
};

/** Random v4 slugids from `globalThis.crypto`. */
export class InMemoryIdGenerator implements IdGenerator {
  slugid(): string {
    return randomSlugid();
  }
}
