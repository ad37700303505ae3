import type { Expected } from './endpoint-cases';
import { ClientError } from './taskcluster-client';

/** The error `call` rejects with; fails, showing the answer, when it succeeds instead. */
export const rejection = async (call: Promise<unknown>): Promise<ClientError> => {
  let result: unknown;
  try {
    result = await call;
  } catch (error) {
    if (error instanceof ClientError) return error;
    throw error;
  }
  throw new Error(`expected an error answer, got ${JSON.stringify(result)}`);
};

/** Expects `call` to fail as `expected` says: status, code, and text in its message or body. */
export const expectError = async (call: Promise<unknown>, expected: Expected): Promise<ClientError> => {
  const error = await rejection(call);
  expect({ statusCode: error.statusCode, ...(expected.code && { code: error.code }) }).toEqual({
    statusCode: expected.statusCode,
    ...(expected.code && { code: expected.code }),
  });
  if (expected.mentions) expect(`${error.message} ${JSON.stringify(error.body)}`).toContain(expected.mentions);
  return error;
};
