/**
 * Time for the fake API. Jobs move from queued to running to completed as the clock advances, so
 * tests use a manual clock and `advance()` instead of sleeping; the sandbox uses the real one.
 */

/** A source of "now" that tests can fast-forward. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Move time forward by `ms` milliseconds. */
  advance(ms: number): void;
}

/** Default start of a manual clock: a fixed instant, so recorded-looking timestamps are stable. */
export const MANUAL_CLOCK_START = Date.parse("2025-06-02T12:00:00Z");

/** A clock that only moves when told to: deterministic job progress in tests. */
export function manualClock(start: number = MANUAL_CLOCK_START): Clock {
  let current = start;
  return {
    now: () => current,
    advance: (ms: number) => {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance() needs a non-negative number of milliseconds, got ${ms}`);
      current += ms;
    },
  };
}

/** Wall-clock time; `advance()` adds a skew, so even the sandbox can be fast-forwarded. */
export function realClock(): Clock {
  let skew = 0;
  return {
    now: () => Date.now() + skew,
    advance: (ms: number) => {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance() needs a non-negative number of milliseconds, got ${ms}`);
      skew += ms;
    },
  };
}
