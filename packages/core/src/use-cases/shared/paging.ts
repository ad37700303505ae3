import { DomainError } from '../../errors';
import type { PageRequest } from '../../ports/versioned';
import { pageQuery, type PageQuery } from '../../schemas/common';
import { parseParam } from './validate';

const DEFAULT_LIMIT = 1000;

/** `?continuationToken=&limit=` as a port page request; limits above 1000 are clamped. */
export const pageRequest = (query: PageQuery | undefined): PageRequest => {
  const { continuationToken, limit } = parseParam(pageQuery, query ?? {}, 'query');
  return { continuationToken, limit: Math.min(limit ?? DEFAULT_LIMIT, DEFAULT_LIMIT) };
};

/** Paging over a list the caller gave (tasks, statuses): the token is the next offset. */
export const offsetPage = <T>(items: readonly T[], page: PageRequest): { items: readonly T[]; continuationToken?: string } => {
  const start = page.continuationToken === undefined ? 0 : Number(page.continuationToken);
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw new DomainError('InvalidRequestArguments', `Invalid continuationToken ${JSON.stringify(page.continuationToken)}`);
  }
  const end = start + page.limit;
  return end < items.length ? { items: items.slice(start, end), continuationToken: String(end) } : { items: items.slice(start) };
};
