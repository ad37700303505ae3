import { createHmac, timingSafeEqual } from 'node:crypto';

export const hmacBase64 = (key: string, text: string): string => createHmac('sha256', key).update(text, 'utf8').digest('base64');

export const base64url = (base64: string): string => base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export const constantTimeEqual = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};
