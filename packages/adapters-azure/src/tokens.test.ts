import { DomainError } from '@taskcluster-queue/core';
import { decodeContinuation, decodeReceipt, encodeContinuation, encodeReceipt } from './tokens';

describe('continuation tokens', () => {
  it('round-trip the key they name, and are opaque URL-safe strings', () => {
    for (const key of ['', 'a', 'k.abc/0', 'ü~~ß', '0.000000000000001.x']) {
      const token = encodeContinuation(key);
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeContinuation(token)).toBe(key);
    }
    expect(decodeContinuation(undefined)).toBeUndefined();
  });

  it('refuse anything else as the caller’s error', () => {
    const receipt = encodeReceipt('p', 'r', 'v');
    for (const token of ['', 'not a token', 'abc', `${encodeContinuation('x')}A`, receipt, Buffer.from('["az1","page",1]').toString('base64url')]) {
      expect(() => decodeContinuation(token)).toThrow(DomainError);
      try {
        decodeContinuation(token);
      } catch (error) {
        expect((error as DomainError).code).toBe('InvalidRequestArguments');
      }
    }
  });
});

describe('lease receipts', () => {
  it('round-trip the row and version they name; foreign receipts decode to undefined', () => {
    expect(decodeReceipt(encodeReceipt('pk', 'rk', 'W/"datetime\'x\'"'))).toEqual({ partitionKey: 'pk', rowKey: 'rk', version: 'W/"datetime\'x\'"' });
    expect(decodeReceipt('pending-1')).toBeUndefined();
    expect(decodeReceipt(encodeContinuation('x'))).toBeUndefined();
  });
});
