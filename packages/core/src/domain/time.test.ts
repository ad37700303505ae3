import fc from 'fast-check';
import { addYear, iso, ms, normaliseDate } from './time';

const YEAR_10000 = Date.UTC(10000, 0, 1);
const anyTime = fc.integer({ min: -YEAR_10000, max: YEAR_10000 + 1e12 });

describe('time', () => {
  it('iso formats every time exactly as Date#toISOString', () => {
    fc.assert(fc.property(anyTime, (time) => expect(iso(time)).toBe(new Date(time).toISOString())), { numRuns: 5000 });
  });

  it('iso stays exact across minute, day and year boundaries, in any order', () => {
    const edges = [Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1), Date.UTC(2028, 1, 29, 12), 0, 59_999, 60_000];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...edges), { minLength: 1, maxLength: 8 }), (times) => {
        for (const time of times) expect(iso(time)).toBe(new Date(time).toISOString());
      }),
    );
  });

  it('ms parses exactly as Date.parse, canonical or not', () => {
    fc.assert(fc.property(anyTime, (time) => expect(ms(new Date(time).toISOString())).toBe(time)), { numRuns: 5000 });
    const odd = [
      '2026-02-29T00:00:00.000Z', // not a leap year
      '2024-02-29T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-11-29T24:00:00.000Z',
      '2026-11-29T23:60:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-00-01T00:00:00.000Z',
      '2026-11-00T00:00:00.000Z',
      '2026-11-29T10:00:00.00xZ',
      '2026-11-29T10:00:00Z',
      '2026-11-29T10:00:00.000+01:00',
      '2026-11-29',
      '2100-02-29T00:00:00.000Z',
      '2000-02-29T00:00:00.000Z',
      'not a date at all, 24 ch',
    ];
    for (const text of odd) expect(ms(text)).toEqual(Date.parse(text));
  });

  it('normaliseDate gives the toJSON form of the same instant', () => {
    for (const text of ['2026-11-29T10:00:00Z', '2026-11-29T10:00:00.000+01:00', '2026-11-29T10:00:00.123Z', '2026-11-29T24:00:00.000Z']) {
      expect(normaliseDate(text)).toBe(new Date(text).toISOString());
    }
  });

  it('addYear is one calendar year later, as Date#setUTCFullYear', () => {
    fc.assert(
      fc.property(anyTime, (time) => {
        const date = new Date(time);
        date.setUTCFullYear(date.getUTCFullYear() + 1);
        expect(addYear(new Date(time).toISOString())).toBe(date.toISOString());
      }),
      { numRuns: 5000 },
    );
    expect(addYear('2024-02-29T10:00:00.000Z')).toBe('2025-03-01T10:00:00.000Z');
    expect(addYear('2026-11-29T10:00:00.000Z')).toBe('2027-11-29T10:00:00.000Z');
  });
});
