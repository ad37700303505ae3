/**
 * Row and partition keys. Azure forbids `/ \ # ?` and control characters in keys and compares
 * keys by code unit, so every string that becomes (part of) a key goes through `escapeKey`: an
 * injective, order-preserving rewrite. Listings ordered by a key (artifact names, task queue ids,
 * worker ids) therefore come back in the same order as the in-memory adapters give them.
 *
 * How: each forbidden character is rewritten together with its neighbour below it into a
 * two-character code starting with that neighbour (`.` → `.0`, `/` → `.1`), so the codes of one
 * group sort between the characters around the group, and no code is a prefix of another.
 * Identifiers and slugids (`[A-Za-z0-9_-]`) pass unchanged.
 */

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const code = (lead: string, index: number): string => lead + DIGITS[index];

const escapeChar = (c: string): string => {
  const u = c.charCodeAt(0);
  if (u <= 0x20) return code(' ', u); // controls and space
  switch (c) {
    case '"':
      return code('"', 0);
    case '#':
      return code('"', 1);
    case '.':
      return code('.', 0);
    case '/':
      return code('.', 1);
    case '>':
      return code('>', 0);
    case '?':
      return code('>', 1);
    case '[':
      return code('[', 0);
    case '\\':
      return code('[', 1);
    case '~':
      return code('~', 0);
  }
  if (u >= 0x7f && u <= 0x9f) return code('~', u - 0x7f + 1);
  return c;
};

const NEEDS_ESCAPE = /[\u0000-\u0020"#./>?[\\~\u007f-\u009f]/;

/** The key form of `value`: allowed in a key, injective, and order-preserving (code-unit order). */
export const escapeKey = (value: string): string => {
  if (!NEEDS_ESCAPE.test(value)) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) out += escapeChar(value[i] as string);
  return out;
};

/**
 * Keys are at most 1 KiB (512 UTF-16 code units). A longer escaped value keeps its first
 * `KEEP` units (never splitting a two-unit code) and gets a hash of the whole value appended; such
 * keys are longer than `MAX_EXACT`, so they never collide with an exact key. Only values that agree
 * on those first units are then ordered by hash instead of by value.
 */
const MAX_EXACT = 440;
const KEEP = 400;

export const boundedKey = (escaped: string, hash: (value: string) => string): string => {
  if (escaped.length <= MAX_EXACT) return escaped;
  let cut = KEEP;
  // An escape code is two units; do not keep only its first one. Lead characters never occur
  // unescaped, and code digits are never leads, so a lead always starts a code.
  if (LEADS.has(escaped[cut - 1] as string)) cut--;
  // `~~` never occurs in an escaped value, and the padding makes the key longer than MAX_EXACT.
  return `${escaped.slice(0, cut)}~~${hash(escaped)}`.padEnd(MAX_EXACT + 1, '~');
};

const LEADS = new Set([' ', '"', '.', '>', '[', '~']);

/** Fixed-width decimal milliseconds, so times order as strings (negative or invalid times become 0). */
export const padTime = (ms: number): string => {
  const clamped = Number.isFinite(ms) ? Math.min(Math.max(0, Math.floor(ms)), 999_999_999_999_999) : 0;
  return clamped.toString().padStart(15, '0');
};

/** FNV-1a: a stable shard number for `value` in `[0, shards)`. */
export const shardOf = (value: string, shards: number): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
};

/** Two-digit shard label (shards ≤ 100). */
export const shardLabel = (shard: number): string => shard.toString().padStart(2, '0');

/** The first key after every key that starts with `prefix` (for `RowKey lt` bounds). */
export const prefixEnd = (prefix: string): string =>
  prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
