/** Time rules as pure functions over ms-since-epoch numbers and ISO strings. */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

let lastMs = Number.NaN;
let lastIso = '';
/** ISO form of a time; remembers the last answer, since many writes happen within one ms. */
export const iso = (ms: number): string => {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
};
export const ms = (isoString: string): number => Date.parse(isoString);

/** Same instant in `Date#toJSON()` form, so stored definitions compare equal after a retry. */
export const normaliseDate = (isoString: string): string => iso(ms(isoString));

/** One calendar year later, as upstream's default `expires = deadline + 1 year`. */
export const addYear = (isoString: string): string => {
  const date = new Date(isoString);
  date.setUTCFullYear(date.getUTCFullYear() + 1);
  return date.toISOString();
};

/** Allowed drift between client and queue clocks on `created` and the deadline bound. */
export const CLOCK_DRIFT = 15 * MINUTE;
