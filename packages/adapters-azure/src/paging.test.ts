import { partitionFilter, prefixRange } from './paging';

describe('partitionFilter', () => {
  it('keeps the range when paging on: a continuation token never widens it', () => {
    expect(partitionFilter('p', { from: 'a/', to: 'a0' }, 'a/x')).toBe("PartitionKey eq 'p' and RowKey ge 'a/' and RowKey gt 'a/x' and RowKey lt 'a0'");
    // A token from outside the range (another listing's) still finds nothing outside it.
    expect(partitionFilter('p', { from: 'm.', to: 'm/' }, 'a.')).toContain("RowKey ge 'm.'");
  });

  it('bounds a prefix to exactly the keys that start with it', () => {
    expect(prefixRange('m.')).toEqual({ from: 'm.', to: 'm/' });
  });
});
