import assert from "node:assert/strict";
import { test } from "node:test";
import { median, pairedDifferences, percentile, ratio, summarize } from "./stats.ts";

test("the median of an odd series is its middle value, of an even one the mean of the middle two", () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([7]), 7);
});

test("percentiles interpolate between the closest ranks", () => {
  const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110];
  assert.equal(percentile(values, 0), 10);
  assert.equal(percentile(values, 100), 110);
  assert.equal(percentile(values, 95), 105);
  assert.equal(percentile([1, 3], 50), 2);
});

test("a summary holds the count, median, p95 and min–max, whatever the order of the runs", () => {
  const summary = summarize([48, 60.3, 52.1, 50, 55]);
  assert.deepEqual({ ...summary, p95: Number(summary.p95.toFixed(6)) }, { n: 5, median: 52.1, p95: 59.24, min: 48, max: 60.3 });
});

test("empty series and out-of-range percentiles are refused", () => {
  assert.throws(() => summarize([]), RangeError);
  assert.throws(() => percentile([1], 101), RangeError);
});

test("a ratio needs both figures and a positive reference", () => {
  assert.equal(ratio(55, 50), 1.1);
  assert.equal(ratio(undefined, 50), undefined);
  assert.equal(ratio(55, undefined), undefined);
  assert.equal(ratio(55, 0), undefined);
});

test("paired differences subtract call by call, and refuse series of different lengths", () => {
  assert.deepEqual(pairedDifferences([1.5, 2, 3], [0.5, 0.25, 1]), [1, 1.75, 2]);
  assert.throws(() => pairedDifferences([1], [1, 2]), RangeError);
});
