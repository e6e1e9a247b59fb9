/**
 * The bench's arithmetic: medians, percentiles and min–max over a series of runs, and ratios between
 * contenders. Pure, so stats_test.ts proves it without starting a process.
 */

/** A series of measurements, summarised. */
export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly p95: number;
}

/**
 * The `p`-th percentile (0–100) of `values`, interpolating linearly between the two closest ranks
 * (the usual "type 7" definition: p50 of an even count is the mean of the middle two).
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError("percentile of an empty series");
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0–100`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Median, p95 and min–max of a non-empty series. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError("summary of an empty series");
  return { n: values.length, median: median(values), p95: percentile(values, 95), min: Math.min(...values), max: Math.max(...values) };
}

/** `value / reference`, or undefined when either is missing or the reference is not positive. */
export function ratio(value: number | undefined, reference: number | undefined): number | undefined {
  if (value === undefined || reference === undefined || !(reference > 0)) return undefined;
  return value / reference;
}

/** Element-wise `a[i] - b[i]` of two series of the same length (paired measurements). */
export function pairedDifferences(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) throw new RangeError(`paired series differ in length (${a.length} and ${b.length})`);
  return a.map((value, index) => value - b[index]!);
}
