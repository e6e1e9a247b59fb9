import assert from "node:assert/strict";
import { test } from "node:test";
import { type BenchReport, CONTENDER, type ContenderFigures, evaluateGoals, markdownTable, medianRange, renderResults, times } from "./report.ts";
import { summarize } from "./stats.ts";

/** A contender whose cold starts and peak RSS (MiB) are the given series. */
function contender(id: string, floorId: string | undefined, coldStartMs: number[], rssMiB: number[]): ContenderFigures {
  return {
    id,
    label: id,
    command: `${id} mcp serve read`,
    ...(floorId === undefined ? {} : { floorId }),
    coldStartMs: summarize(coldStartMs),
    peakRssKiB: summarize(rssMiB.map((mib) => mib * 1024)),
    tools: 30,
    toolsListBytes: 23383,
  };
}

/** A report where runos is 10 % over the floor and 20 ms under the anchor, with given extras. */
function sampleReport(overrides: Partial<BenchReport> = {}): BenchReport {
  return {
    date: "2026-12-01T09:00:00Z",
    runs: 3,
    machine: [["nproc", "2"]],
    contenders: [
      contender(CONTENDER.runos, CONTENDER.floor, [44, 45, 50], [50, 50, 50]),
      contender(CONTENDER.runosSandbox, CONTENDER.floor, [60, 70, 80], [60, 60, 60]),
      contender(CONTENDER.runosDeno, CONTENDER.floorDeno, [100, 130, 120], [70, 70, 70]),
      contender(CONTENDER.floor, undefined, [38, 40, 41], [45, 45, 46]),
      contender(CONTENDER.floorDeno, undefined, [100, 100, 100], [60, 60, 60]),
      contender(CONTENDER.anchor, undefined, [64, 65, 70], [40, 40, 40]),
    ],
    calls: [{ id: CONTENDER.runos, label: "runos", tool: "clusters_list", roundTripMs: summarize([1, 1.2, 1.4]), overHandlingMs: summarize([0.6, 0.8, 1.5]) }],
    tiers: [{ tier: "read", tools: 30, bytes: 23321 }],
    tiersSource: "Measured with dist/runos.",
    notes: [],
    ...overrides,
  };
}

test("a markdown table pads its columns, right-aligns where asked and escapes pipes", () => {
  assert.equal(
    markdownTable(["name", "ms"], [["floor", "40.4"], ["a|b", "5"]], ["left", "right"]),
    ["| name  |   ms |", "|-------|-----:|", "| floor | 40.4 |", "| a\\|b  |    5 |"].join("\n"),
  );
});

test("a median is shown with its min–max, and a ratio as a multiple", () => {
  assert.equal(medianRange(summarize([52.13, 48, 60.31])), "52.1 (48.0–60.3)");
  assert.equal(medianRange(summarize([2048, 1024, 3072]), 1, 1 / 1024), "2.0 (1.0–3.0)");
  assert.equal(medianRange(undefined), "—");
  assert.equal(times(1.234), "1.23×");
  assert.equal(times(undefined), "—");
});

test("goals are judged on medians against the right floor and the anchor", () => {
  const goals = evaluateGoals(sampleReport());
  assert.deepEqual(goals.slice(0, 6).map((goal) => goal.status), ["met", "met", "not met", "not met", "met", "met"]);
  assert.equal(goals[0]!.measured, "45.0 ms vs 40.0 ms = 1.13×");
  assert.equal(goals[2]!.measured, "50.0 MiB vs 45.0 MiB = 1.11×");
  assert.equal(goals[4]!.measured, "120.0 ms vs 100.0 ms = 1.20×");
  assert.match(goals[5]!.measured, /^p50 0\.80 ms, p95 1\.43 ms \(clusters_list, 3 calls\)$/);
});

test("a limit is inclusive where the goal says ≤ and strict where it says below", () => {
  const equal = sampleReport({
    contenders: [contender(CONTENDER.runos, CONTENDER.floor, [50], [50]), contender(CONTENDER.floor, undefined, [50], [50]), contender(CONTENDER.anchor, undefined, [50], [50])],
  });
  const [floorGoal, anchorGoal, rssGoal] = evaluateGoals(equal);
  assert.equal(floorGoal!.status, "met");
  assert.equal(anchorGoal!.status, "not met");
  assert.equal(rssGoal!.status, "met");
});

test("a contender that could not run leaves its goals not measured, with the reason", () => {
  const report = sampleReport({
    contenders: [
      contender(CONTENDER.runos, CONTENDER.floor, [45], [50]),
      contender(CONTENDER.floor, undefined, [40], [45]),
      { id: CONTENDER.anchor, label: "anchor", command: "kubernetes-mcp-server", note: "could not install kubernetes-mcp-server@0.0.67 from npm (no network?)" },
    ],
    calls: [],
  });
  const goals = evaluateGoals(report);
  assert.equal(goals[1]!.status, "not measured");
  assert.match(goals[1]!.measured, /no network/);
  assert.equal(goals[3]!.status, "not measured");
  assert.equal(goals[5]!.status, "not measured");
});

test("results.md holds the goals, the start-up table with ratios, the per-call, tier and machine tables", () => {
  const markdown = renderResults(sampleReport({ notes: ["Go anchor left out: offline."] }));
  for (const heading of ["## Goals", "## Cold start and memory", "## Per-call overhead", "## tools/list size per tier", "## Machine", "## Notes"]) {
    assert.ok(markdown.includes(`\n${heading}\n`), heading);
  }
  const runosRow = markdown.split("\n").find((line) => line.startsWith("| runos ") && line.includes("`runos mcp serve read`"));
  assert.ok(runosRow !== undefined);
  const cells = runosRow.split("|").map((cell) => cell.trim());
  assert.deepEqual(cells.slice(3, 8), ["45.0 (44.0–50.0)", "1.13×", "0.69×", "50.0 (50.0–50.0)", "1.11×"]);
  assert.match(markdown, /\| read +\| +30 \| +23321 \| +777 \|/);
  assert.match(markdown, /- Go anchor left out: offline\./);
});

test("with BENCH_COMPARE, results.md says what each change bought: medians, and their change from the row before", () => {
  const before = contender("change-aaaaaaa", CONTENDER.floor, [80, 80, 80], [65, 65, 65]);
  const after = contender(CONTENDER.runos, CONTENDER.floor, [20, 20, 20], [46, 46, 46]);
  const report = sampleReport({
    changes: [{ commit: "aaaaaaa", subject: "Before", compiled: before }, { commit: "this tree", subject: "(the build above)", compiled: after }],
    compared: "aaaaaaa",
  });
  const markdown = renderResults(report);
  assert.ok(markdown.includes("\n## What each change bought\n"));
  const row = markdown.split("\n").find((line) => line.startsWith("| `this tree`"));
  assert.ok(row !== undefined);
  assert.deepEqual(row.split("|").map((cell) => cell.trim()).slice(2, 7), ["20.0", "−60.0", "0.50×", "46.0", "−19.0"]);
  assert.ok(!renderResults(sampleReport()).includes("What each change bought"));
});

test("with BENCH_COMPARE, results.md gives each build's per-call figures and their change from the row before", () => {
  const report = sampleReport({
    changes: [
      { commit: "aaaaaaa", subject: "Before", calls: { embeddedOverMs: 1.4, cachedOverMs: 0.9, httpOverMs: 2.2, httpCpuMs: 1.5 } },
      { commit: "this tree", subject: "(the build above)", calls: { embeddedOverMs: 0.5, cachedOverMs: 0.95, httpOverMs: 1.2 } },
    ],
    compared: "aaaaaaa",
  });
  const markdown = renderResults(report);
  assert.ok(markdown.includes("\n### Per call\n"));
  const row = markdown.split("\n").filter((line) => line.startsWith("| `this tree`")).at(-1)!;
  assert.deepEqual(row.split("|").map((cell) => cell.trim()).slice(2, 10), ["0.50", "−0.90", "0.95", "+0.05", "1.20", "−1.00", "—", ""]);
  assert.ok(!renderResults(sampleReport({ changes: [{ commit: "aaaaaaa", subject: "Before" }], compared: "aaaaaaa" })).includes("### Per call"));
});

test("the signed-in, RunOS-sized goals hold the cached contenders to half the floor's start and 0.9 of its memory", () => {
  const report = sampleReport();
  const withCached = sampleReport({
    contenders: [
      ...report.contenders,
      contender(CONTENDER.runosCached, CONTENDER.floor, [20], [40]),
      contender(CONTENDER.runosCachedAll, CONTENDER.floor, [21], [41]),
    ],
    fourServers: [{ label: "embedded catalog", tiers: [{ tier: "read", peakRssKiB: 40 * 1024 }], sumKiB: 150 * 1024 }],
  });
  const goals = evaluateGoals(withCached).slice(6);
  assert.deepEqual(goals.map((goal) => goal.status), ["met", "met", "not met", "not met", "met"]);
  assert.match(goals[4]!.goal, /four tier servers, embedded catalog/);
});
