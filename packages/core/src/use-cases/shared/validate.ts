import type { z } from 'zod';
import { DomainError } from '../../errors';

const describeIssues = (issues: readonly z.core.$ZodIssue[]): string =>
  issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');

/** Validates a request body: a clear 400 `InputValidationError` naming each field and rule. */
export const parseInput = <S extends z.ZodType>(schema: S, value: unknown): z.output<S> => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new DomainError('InputValidationError', `Invalid request body: ${describeIssues(result.error.issues)}`, {
    issues: result.error.issues.map(({ path, message, code }) => ({ path, message, code })),
  });
};

/** Validates a URL parameter or query value: 400 `InvalidRequestArguments`. */
export const parseParam = <S extends z.ZodType>(schema: S, value: unknown, name: string): z.output<S> => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new DomainError(
    'InvalidRequestArguments',
    `Invalid ${name} ${JSON.stringify(value)}: ${describeIssues(result.error.issues)}`,
  );
};
