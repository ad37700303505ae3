/**
 * Time rules as pure functions over ms-since-epoch numbers and ISO strings.
 *
 * Every stored time is in `Date#toJSON()` form (`YYYY-MM-DDTHH:MM:SS.sssZ`), and the queue formats
 * and parses several per request, so both directions have an arithmetic fast path for that form
 * (years 0000–9999); anything else goes through `Date`.
 */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => pad(n, 2));
/** `SS.sssZ` tails would be 60,000 strings; `.sssZ` alone is 1,000. */
const MILLIS_TAIL = Array.from({ length: 1000 }, (_, n) => `.${pad(n, 3)}Z`);

const MAX_FAST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** `YYYY-MM-DDTHH:MM:` by minute: a request formats now, now + claimTimeout, the deadline, ... */
const minutePrefixes = new Map<number, string>();
const MAX_PREFIXES = 256;

const minutePrefix = (minute: number): string => {
  let prefix = minutePrefixes.get(minute);
  if (prefix === undefined) {
    if (minutePrefixes.size >= MAX_PREFIXES) minutePrefixes.clear();
    prefix = new Date(minute * MINUTE).toISOString().slice(0, 17);
    minutePrefixes.set(minute, prefix);
  }
  return prefix;
};

let lastMs = Number.NaN;
let lastIso = '';
/**
 * ISO form of a time (`Date#toJSON()`), exactly as `Date#toISOString`. The last answer is
 * remembered, since many writes happen within one millisecond (and then share one string).
 */
export const iso = (ms: number): string => {
  if (ms === lastMs) return lastIso;
  if (!(ms >= 0 && ms <= MAX_FAST_MS && Number.isInteger(ms))) return new Date(ms).toISOString();
  const inMinute = ms % MINUTE;
  const millis = inMinute % SECOND;
  lastIso = minutePrefix((ms - inMinute) / MINUTE) + TWO_DIGITS[(inMinute - millis) / SECOND]! + MILLIS_TAIL[millis]!;
  lastMs = ms;
  return lastIso;
};

const ZERO = 48;
/** The number written by the `count` ASCII digits at `from`, or NaN if one is not a digit. */
const digits = (text: string, from: number, count: number): number => {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
};

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
};

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isCanonicalShape = (s: string) =>
  s.length === 24 && s[4] === '-' && s[7] === '-' && s[10] === 'T' && s[13] === ':' && s[16] === ':' && s[19] === '.' && s[23] === 'Z';

/** Milliseconds since the epoch of an ISO time string (NaN if it is not one), as `Date.parse`. */
export const ms = (isoString: string): number => {
  if (!isCanonicalShape(isoString)) return Date.parse(isoString);
  const year = digits(isoString, 0, 4);
  const month = digits(isoString, 5, 2);
  const day = digits(isoString, 8, 2);
  const hour = digits(isoString, 11, 2);
  const minute = digits(isoString, 14, 2);
  const second = digits(isoString, 17, 2);
  const millis = digits(isoString, 20, 3);
  // Out-of-range fields (and NaN, which fails every comparison) are left to Date's own rules.
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1]! && hour <= 23 && minute <= 59 && second <= 59 && millis >= 0)) {
    return Date.parse(isoString);
  }
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return Date.parse(isoString);
  return daysFromCivil(year, month, day) * DAY + hour * HOUR + minute * MINUTE + second * SECOND + millis;
};

/** Same instant in `Date#toJSON()` form, so stored definitions compare equal after a retry. */
export const normaliseDate = (isoString: string): string => {
  const canonical = iso(ms(isoString));
  return canonical === isoString ? isoString : canonical; // the caller's string when already canonical
};

/** One calendar year later, as upstream's default `expires = deadline + 1 year` (29 Feb → 1 Mar). */
export const addYear = (isoString: string): string => {
  const time = ms(isoString);
  if (isCanonicalShape(isoString) && time >= 0) {
    const year = digits(isoString, 0, 4);
    const month = digits(isoString, 5, 2);
    const day = digits(isoString, 8, 2);
    // days_from_civil is linear in the day, so 29 February of a common year lands on 1 March.
    if (year < 9999) return iso(time + (daysFromCivil(year + 1, month, day) - daysFromCivil(year, month, day)) * DAY);
  }
  const date = new Date(time);
  date.setUTCFullYear(date.getUTCFullYear() + 1);
  return iso(date.getTime());
};

/** Allowed drift between client and queue clocks on `created` and the deadline bound. */
export const CLOCK_DRIFT = 15 * MINUTE;
