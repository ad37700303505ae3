import { checkEntitySize, entityBytes, MAX_ENTITY_BYTES, readJson, withJson, type Row } from './table-client';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const asRow = (properties: Record<string, unknown>): Row => ({ partitionKey: 'p', rowKey: 'r', etag: '*', ...properties });

describe('withJson / readJson', () => {
  it('keeps a small value in one property', () => {
    const properties = withJson({ expires: 'x' }, { a: 1 });
    expect(properties).toEqual({ expires: 'x', json: '{"a":1}' });
    expect(readJson(asRow(properties))).toEqual({ a: 1 });
  });

  it('splits a large value into properties of at most 32,000 units, never inside a surrogate pair', () => {
    // JSON adds a quote, so the pair's high half is the last unit of the first chunk.
    const value = `${'a'.repeat(31_998)}😀${'b'.repeat(70_000)}𝄞`;
    const properties = withJson({}, value);
    const parts = Object.entries(properties).filter(([name]) => name.startsWith('json') && name !== 'jsonParts');
    expect(parts.length).toBe(4);
    expect(properties.jsonParts).toBe(4);
    for (const [, part] of parts) {
      expect((part as string).length).toBeLessThanOrEqual(32_000);
      expect(LONE_SURROGATE.test(part as string)).toBe(false);
    }
    expect(readJson(asRow(properties))).toBe(value);
  });

  it('fails clearly when a part is missing', () => {
    const properties = withJson({}, 'x'.repeat(40_000));
    delete (properties as Record<string, unknown>).json1;
    expect(() => readJson(asRow(properties))).toThrow(/lacks part 1/);
  });
});

describe('entity size', () => {
  it('follows Azure’s formula and refuses entities over 1 MiB with an InputError', () => {
    expect(entityBytes({ partitionKey: 'ab', rowKey: 'c', flag: true, n: 3, s: 'xy' })).toBe(4 + 6 + (8 + 8 + 1) + (8 + 2 + 8) + (8 + 2 + 4 + 4));
    const big = { partitionKey: 'p', rowKey: 'r', ...withJson({}, 'x'.repeat(MAX_ENTITY_BYTES / 2)) };
    expect(() => checkEntitySize(big)).toThrow(expect.objectContaining({ code: 'InputError' }));
    expect(() => checkEntitySize({ partitionKey: 'p', rowKey: 'r', ...withJson({}, 'x'.repeat(400_000)) })).not.toThrow();
  });
});
