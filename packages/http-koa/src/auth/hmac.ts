import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/** A secret as a KeyObject: HMACs with one skip re-importing the key on every call. */
export type HmacKey = string | KeyObject;

export const hmacKey = (secret: string): KeyObject => createSecretKey(Buffer.from(secret, 'utf8'));

export const hmacBase64 = (key: HmacKey, text: string): string => createHmac('sha256', key).update(text, 'utf8').digest('base64');

/** URL-safe base64 without padding, straight from the digest. */
export const hmacBase64url = (key: HmacKey, text: string): string =>
  createHmac('sha256', key).update(text, 'utf8').digest('base64url');

export const constantTimeEqual = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

const keys = new WeakMap<object, { readonly secret: string; readonly key: KeyObject }>();

/** The HMAC key of `secret`, prepared once per owner (a client record) and reused while it lives. */
export const keyOf = (owner: object, secret: string): KeyObject => {
  const known = keys.get(owner);
  if (known !== undefined && known.secret === secret) return known.key;
  const key = hmacKey(secret);
  keys.set(owner, { secret, key });
  return key;
};
