import fc from 'fast-check';
import { boundedKey, escapeKey, padTime, prefixEnd, shardOf } from './keys';

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const FORBIDDEN = /[/\\#?\u0000-\u001f\u007f-\u009f]/;

// Strings rich in the characters the escaping treats specially.
const special = fc.constantFrom(' ', '!', '"', '#', '.', '/', '0', '>', '?', '@', '[', '\\', ']', '~', '\u007f', '\u0085', '\u009f', '\u00a0', 'ü', '\u0000', '\u001f', 'a', 'Z', '-', '_');
const keyish = fc.oneof(fc.string({ unit: special, maxLength: 12 }), fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 8 }));

describe('escapeKey', () => {
  it('passes identifiers and slugids through unchanged', () => {
    for (const value of ['abc', 'A-b_9', 'fNxvNplfRJmLr7JNlKgfqQ', 'proj-1']) expect(escapeKey(value)).toBe(value);
  });

  it('never leaves a character Azure forbids in keys', () => {
    fc.assert(fc.property(keyish, (value) => !FORBIDDEN.test(escapeKey(value))));
  });

  it('preserves code-unit order and distinguishes every pair (order-preserving, injective)', () => {
    fc.assert(
      fc.property(keyish, keyish, (a, b) => {
        expect(Math.sign(compare(escapeKey(a), escapeKey(b)))).toBe(Math.sign(compare(a, b)));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a prefix range a key range (task queues of one provisioner)', () => {
    fc.assert(
      fc.property(keyish, keyish, (prefix, rest) => {
        const p = `${prefix}/`;
        const key = escapeKey(p + rest);
        expect(key >= escapeKey(p) && key < escapeKey(prefixEnd(p))).toBe(true);
      }),
    );
  });
});

describe('boundedKey', () => {
  const hash = (value: string) => `h${value.length}-${value.slice(-8)}`;

  it('keeps short keys exact and bounds long ones under 512 code units', () => {
    expect(boundedKey('short', hash)).toBe('short');
    const long = escapeKey('public/'.repeat(200));
    const bounded = boundedKey(long, hash);
    expect(bounded.length).toBeLessThanOrEqual(512);
    expect(bounded.length).toBeGreaterThan(440);
    expect(bounded.startsWith(long.slice(0, 399))).toBe(true);
  });

  it('never cuts an escape code in half', () => {
    // 399 plain characters, then a `/` (escaped to two units at 399-400).
    const value = escapeKey(`${'a'.repeat(399)}/${'b'.repeat(100)}`);
    const bounded = boundedKey(value, hash);
    expect(bounded.slice(0, 401)).not.toMatch(/\.~/);
    expect(bounded.startsWith('a'.repeat(399) + '~~')).toBe(true);
  });
});

describe('padTime and shardOf', () => {
  it('orders times as strings, clamping below zero', () => {
    expect(padTime(-5)).toBe(padTime(0));
    fc.assert(fc.property(fc.nat(), fc.nat(), (a, b) => Math.sign(compare(padTime(a), padTime(b))) === Math.sign(a - b)));
  });

  it('spreads ids over the shards, stably', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[shardOf(`task-${i}`, 4)]!++;
    for (const n of counts) expect(n).toBeGreaterThan(800);
    expect(shardOf('same', 8)).toBe(shardOf('same', 8));
  });
});
