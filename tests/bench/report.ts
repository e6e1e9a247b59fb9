/**
 * What `make bench` found, as figures, the goals they meet or miss, and the markdown of
 * bench/results.md. Pure (no processes, no clock), so report_test.ts proves the arithmetic and the
 * table. The goals are reported, never enforced: a benchmark on a shared machine is no test.
 */
import type { HttpLoadFigures } from "./http_load.ts";
import { ratio, type Summary } from "./stats.ts";

/** Rounds of the per-call comparison of BENCH_COMPARE's builds. */
export const CHANGE_CALL_ROUNDS = 3;

/** Contender ids the goals refer to. */
export const CONTENDER = {
  runos: "runos",
  runosSandbox: "runos-sandbox",
  runosCached: "runos-cached",
  runosCachedAll: "runos-cached-all",
  runosCachedUnstored: "runos-cached-unstored",
  runosBun: "runos-bun",
  runosDeno: "runos-deno",
  floor: "floor",
  floorBun: "floor-bun",
  floorDeno: "floor-deno",
  anchor: "anchor",
} as const;

/** One contender's start-up figures; a figure is missing when it could not be measured (see `note`). */
export interface ContenderFigures {
  readonly id: string;
  readonly label: string;
  /** The command line, for the reader. */
  readonly command: string;
  /** The floor it is held against (same runtime, same way of starting). */
  readonly floorId?: string;
  /** Spawn → initialize answered → tools/list answered. */
  readonly coldStartMs?: Summary;
  /** VmHWM read after tools/list was answered, before stdin closed. */
  readonly peakRssKiB?: Summary;
  readonly tools?: number;
  readonly toolsListBytes?: number;
  readonly note?: string;
}

/** Per-call figures of one contender: round trips and what is left once the API's own time is taken out. */
export interface CallFigures {
  readonly id: string;
  readonly label: string;
  readonly tool: string;
  readonly roundTripMs: Summary;
  /** Time inside the fake API's handlers for the requests of one call (measured in the bench process). */
  readonly apiHandlingMs?: Summary;
  /** The same HTTP request sent directly by the bench process (the API as any HTTP client sees it). */
  readonly directHttpMs?: Summary;
  /** Per call: round trip − API handling (paired). The goal is judged on this one. */
  readonly overHandlingMs?: Summary;
  /** Per call: round trip − the direct HTTP request made just before it (paired). */
  readonly overDirectMs?: Summary;
  /** The first call's round trip (right after initialize: it loads whatever the handshake left out). */
  readonly firstCallMs?: number;
  /** First calls of cold servers: right after initialize, and after tools/list and a pause (per_call.ts's firstCalls). */
  readonly firstCalls?: { readonly immediate: Summary; readonly afterList: Summary; readonly pauseMs: number };
  /** VmHWM after every call was answered. */
  readonly peakRssKiB?: number;
}

/** One tier's tools/list size. */
export interface TierFigures {
  readonly tier: string;
  readonly tools: number;
  readonly bytes: number;
}

/** The summed peak RSS of one assistant's four tier servers (each the median of its cold starts). */
export interface FourServersFigures {
  readonly label: string;
  /** Per tier: the median peak RSS. */
  readonly tiers: ReadonlyArray<{ readonly tier: string; readonly peakRssKiB: number }>;
  readonly sumKiB: number;
}

/** One row of "What each change bought": a commit, and its figures in this run's rounds. */
export interface ChangeFigures {
  /** Short commit id (or a label for this tree). */
  readonly commit: string;
  /** What the change was (the commit subject). */
  readonly subject: string;
  /** Its compiled `mcp serve read`, with `--sandbox`, under `deno run -A`, and signed in with a RunOS-sized cache. */
  readonly compiled?: ContenderFigures;
  readonly sandbox?: ContenderFigures;
  readonly deno?: ContenderFigures;
  readonly cached?: ContenderFigures;
  readonly cachedAll?: ContenderFigures;
  /** Its per-call figures, when they were measured for the comparison. */
  readonly calls?: ChangeCallFigures;
}

/** A compared build's per-call figures: each the median, over the comparison's rounds, of one round's p50. */
export interface ChangeCallFigures {
  /** stdio, signed in, embedded catalog: the round trip over the API's handling. */
  readonly embeddedOverMs?: number;
  /** stdio, signed in on the RunOS-sized cache. */
  readonly cachedOverMs?: number;
  /** One `--http` instance, one client: the round trip over the API's handling, paired. */
  readonly httpOverMs?: number;
  /** The same run: the server's CPU time per call. */
  readonly httpCpuMs?: number;
}

/** Everything results.md is made of. */
export interface BenchReport {
  /** When the bench ran (ISO text). */
  readonly date: string;
  readonly runs: number;
  /** `[what, value]` lines describing the machine and the tools. */
  readonly machine: ReadonlyArray<readonly [string, string]>;
  readonly contenders: readonly ContenderFigures[];
  readonly calls: readonly CallFigures[];
  readonly tiers: readonly TierFigures[];
  /** One `--http` instance, with one client and under concurrent clients (http_load.ts). */
  readonly http?: ReadonlyArray<HttpLoadFigures & { readonly label: string }>;
  /** The four tier servers of one assistant, started cold: embedded catalog and the RunOS-sized cache. */
  readonly fourServers?: readonly FourServersFigures[];
  /** Where the tier sizes were measured (which program, signed in or not). */
  readonly tiersSource: string;
  /** BENCH_COMPARE's commits, oldest first, then this tree; absent when no comparison was asked for. */
  readonly changes?: readonly ChangeFigures[];
  /** The revisions BENCH_COMPARE named, as given. */
  readonly compared?: string;
  readonly notes: readonly string[];
}

/** A goal of the issue, and how this run stands against it. */
export interface GoalResult {
  readonly goal: string;
  readonly measured: string;
  readonly status: "met" | "not met" | "not measured";
}

/** A markdown table with columns padded to their width (it is printed to a terminal too). */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, align: ReadonlyArray<"left" | "right"> = []): string {
  const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
  const all = [header, ...rows].map((row) => header.map((_, column) => cell(row[column] ?? "")));
  const widths = header.map((_, column) => Math.max(3, ...all.map((row) => row[column]!.length)));
  const line = (row: readonly string[]) =>
    `| ${row.map((text, column) => (align[column] === "right" ? text.padStart(widths[column]!) : text.padEnd(widths[column]!))).join(" | ")} |`;
  const rule = `|${widths.map((width, column) => (align[column] === "right" ? `${"-".repeat(width + 1)}:` : "-".repeat(width + 2))).join("|")}|`;
  return [line(all[0]!), rule, ...all.slice(1).map(line)].join("\n");
}

/** `52.1 (48.0–60.3)`: a summary's median and range, each scaled by `scale` and shown with `digits`. */
export function medianRange(summary: Summary | undefined, digits = 1, scale = 1): string {
  if (summary === undefined) return "—";
  const f = (value: number) => (value * scale).toFixed(digits);
  return `${f(summary.median)} (${f(summary.min)}–${f(summary.max)})`;
}

/** `1.23×`, or `—` when there is nothing to compare with. */
export function times(value: number | undefined): string {
  return value === undefined ? "—" : `${value.toFixed(2)}×`;
}

const KIB_PER_MIB = 1 / 1024;

function byId(report: BenchReport, id: string): ContenderFigures | undefined {
  return report.contenders.find((contender) => contender.id === id);
}

/** A contender's median cold start over its floor's, and over the anchor's. */
export function coldStartRatios(report: BenchReport, contender: ContenderFigures): { floor?: number; anchor?: number } {
  const floor = contender.floorId === undefined ? undefined : byId(report, contender.floorId);
  return {
    floor: ratio(contender.coldStartMs?.median, floor?.coldStartMs?.median),
    anchor: ratio(contender.coldStartMs?.median, byId(report, CONTENDER.anchor)?.coldStartMs?.median),
  };
}

/** A contender's median peak RSS over its floor's. */
export function rssRatio(report: BenchReport, contender: ContenderFigures): number | undefined {
  const floor = contender.floorId === undefined ? undefined : byId(report, contender.floorId);
  return ratio(contender.peakRssKiB?.median, floor?.peakRssKiB?.median);
}

/** The issue's goals, judged on medians (per call: on p50 of the paired differences). */
export function evaluateGoals(report: BenchReport): GoalResult[] {
  const goals: GoalResult[] = [];
  const versus = (goal: string, id: string, referenceId: string, limit: number, strict: boolean, pick: (c: ContenderFigures) => number | undefined, unit: string, scale = 1) => {
    const subject = byId(report, id);
    const reference = byId(report, referenceId);
    const value = subject === undefined ? undefined : pick(subject);
    const base = reference === undefined ? undefined : pick(reference);
    const found = ratio(value, base);
    if (found === undefined || value === undefined || base === undefined) {
      const missing = value === undefined ? (subject?.note ?? `${id} not measured`) : (reference?.note ?? `${referenceId} not measured`);
      goals.push({ goal, measured: missing, status: "not measured" });
      return;
    }
    const met = strict ? found < limit : found <= limit;
    goals.push({
      goal,
      measured: `${(value * scale).toFixed(1)} ${unit} vs ${(base * scale).toFixed(1)} ${unit} = ${times(found)}`,
      status: met ? "met" : "not met",
    });
  };
  const cold = (c: ContenderFigures) => c.coldStartMs?.median;
  const rss = (c: ContenderFigures) => c.peakRssKiB?.median;
  versus("compiled `runos mcp serve read` cold start ≤ 1.15× the compiled floor", CONTENDER.runos, CONTENDER.floor, 1.15, false, cold, "ms");
  versus("compiled `runos mcp serve read` cold start below the Go anchor", CONTENDER.runos, CONTENDER.anchor, 1, true, cold, "ms");
  versus("compiled `runos mcp serve read` peak RSS ≤ 1.1× the compiled floor", CONTENDER.runos, CONTENDER.floor, 1.1, false, rss, "MiB", KIB_PER_MIB);
  versus("compiled `runos mcp serve read --sandbox` cold start ≤ 1.3× the compiled floor", CONTENDER.runosSandbox, CONTENDER.floor, 1.3, false, cold, "ms");
  versus("`deno run -A mod.ts mcp serve read` cold start ≤ 1.2× the Deno floor", CONTENDER.runosDeno, CONTENDER.floorDeno, 1.2, false, cold, "ms");
  const call = report.calls.find((figures) => figures.id === CONTENDER.runos);
  const overhead = call?.overHandlingMs;
  const perCallGoal = "compiled `runos` per-call overhead over the API's own time < 1 ms p50";
  if (overhead === undefined) goals.push({ goal: perCallGoal, measured: "not measured", status: "not measured" });
  else {
    goals.push({
      goal: perCallGoal,
      measured: `p50 ${overhead.median.toFixed(2)} ms, p95 ${overhead.p95.toFixed(2)} ms (${call!.tool}, ${overhead.n} calls)`,
      status: overhead.median < 1 ? "met" : "not met",
    });
  }
  versus("signed in, 999-command cache, `--tools auto`: cold start ≤ 0.5× the compiled floor", CONTENDER.runosCached, CONTENDER.floor, 0.5, false, cold, "ms");
  versus("signed in, 999-command cache, `--tools auto`: peak RSS ≤ 0.9× the compiled floor", CONTENDER.runosCached, CONTENDER.floor, 0.9, false, rss, "MiB", KIB_PER_MIB);
  versus("signed in, 999-command cache, `--tools all`: cold start ≤ 0.5× the compiled floor", CONTENDER.runosCachedAll, CONTENDER.floor, 0.5, false, cold, "ms");
  versus("signed in, 999-command cache, `--tools all`: peak RSS ≤ 0.9× the compiled floor", CONTENDER.runosCachedAll, CONTENDER.floor, 0.9, false, rss, "MiB", KIB_PER_MIB);
  for (const [id, what] of [[CONTENDER.runos, "embedded catalog"], [CONTENDER.runosCached, "999-command cache"]] as const) {
    const first = report.calls.find((figures) => figures.id === id)?.firstCalls;
    for (const [way, summary] of first === undefined ? [] : [["right after initialize", first.immediate], ["after tools/list and a pause", first.afterList]] as const) {
      goals.push({
        goal: `first \`tools/call\` of a cold server, ${what}, ${way}: ≤ 15 ms p50`,
        measured: `p50 ${summary.median.toFixed(1)} ms (${summary.min.toFixed(1)}–${summary.max.toFixed(1)}, ${summary.n} servers)`,
        status: summary.median <= 15 ? "met" : "not met",
      });
    }
  }
  const alone = report.http?.find((run) => run.overApiPairedMs !== undefined);
  if (alone?.overApiPairedMs !== undefined) {
    goals.push({
      goal: "one `--http` instance: overhead per call over the API's own time < 2 ms p50 (one client, calls paired with their API time)",
      measured: `p50 ${alone.overApiPairedMs.median.toFixed(2)} ms, p95 ${alone.overApiPairedMs.p95.toFixed(2)} (round trip p50 ${alone.roundTripMs.median.toFixed(2)}); ${alone.callsPerSecond.toFixed(0)} calls/s`,
      status: alone.overApiPairedMs.median < 2 ? "met" : "not met",
    });
  }
  for (const loaded of (report.http ?? []).filter((run) => run.clients > 1 && run.serverCpuMsPerCall !== undefined)) {
    goals.push({
      goal: `one \`--http\` instance, ${loaded.clients} concurrent clients: the server's CPU per call < 2 ms`,
      measured: `${loaded.serverCpuMsPerCall!.toFixed(2)} ms; ${loaded.callsPerSecond.toFixed(0)} calls/s, round trip p50 ${loaded.roundTripMs.median.toFixed(2)} ms, p99 ${loaded.roundTripP99Ms.toFixed(2)}`,
      status: loaded.serverCpuMsPerCall! < 2 ? "met" : "not met",
    });
  }
  const floorRss = byId(report, CONTENDER.floor)?.peakRssKiB?.median;
  for (const four of report.fourServers ?? []) {
    const goal = `four tier servers, ${four.label}: summed peak RSS ≤ 3.5× one compiled floor`;
    const found = ratio(four.sumKiB, floorRss);
    if (found === undefined || floorRss === undefined) goals.push({ goal, measured: "floor not measured", status: "not measured" });
    else {
      goals.push({
        goal,
        measured: `${(four.sumKiB * KIB_PER_MIB).toFixed(1)} MiB vs ${(floorRss * KIB_PER_MIB).toFixed(1)} MiB = ${times(found)}`,
        status: found <= 3.5 ? "met" : "not met",
      });
    }
  }

  return goals;
}

const ms2 = (summary: Summary | undefined, which: "median" | "p95") => (summary === undefined ? "—" : summary[which].toFixed(2));

/** `-8.4` / `+1.2`: the change of a median from the row before, or empty for the first row. */
function delta(current: Summary | undefined, previous: Summary | undefined, scale = 1): string {
  if (current === undefined || previous === undefined) return "";
  const change = (current.median - previous.median) * scale;
  return `${change > 0 ? "+" : change < 0 ? "−" : "±"}${Math.abs(change).toFixed(1)}`;
}

/** The "What each change bought" section (empty without BENCH_COMPARE). */
export function renderChanges(report: BenchReport): string[] {
  const changes = report.changes ?? [];
  if (changes.length === 0) return [];
  const rows = changes.map((change, index) => {
    const before = changes[index - 1];
    const med = (figures: ContenderFigures | undefined) => (figures?.coldStartMs === undefined ? "—" : figures.coldStartMs.median.toFixed(1));
    const versusFloor = (figures: ContenderFigures | undefined) => (figures === undefined ? "—" : times(coldStartRatios(report, figures).floor));
    return [
      `\`${change.commit}\` ${change.subject}`,
      med(change.compiled),
      delta(change.compiled?.coldStartMs, before?.compiled?.coldStartMs),
      versusFloor(change.compiled),
      change.compiled?.peakRssKiB === undefined ? "—" : (change.compiled.peakRssKiB.median * KIB_PER_MIB).toFixed(1),
      delta(change.compiled?.peakRssKiB, before?.compiled?.peakRssKiB, KIB_PER_MIB),
      med(change.sandbox),
      delta(change.sandbox?.coldStartMs, before?.sandbox?.coldStartMs),
      med(change.deno),
      delta(change.deno?.coldStartMs, before?.deno?.coldStartMs),
      versusFloor(change.deno),
      med(change.cached),
      delta(change.cached?.coldStartMs, before?.cached?.coldStartMs),
      change.cached?.peakRssKiB === undefined ? "—" : (change.cached.peakRssKiB.median * KIB_PER_MIB).toFixed(1),
      med(change.cachedAll),
      delta(change.cachedAll?.coldStartMs, before?.cachedAll?.coldStartMs),
      change.cachedAll?.peakRssKiB === undefined ? "—" : (change.cachedAll.peakRssKiB.median * KIB_PER_MIB).toFixed(1),
    ];
  });
  return [
    "## What each change bought",
    "",
    markdownTable(
      [
        "change",
        "compiled ms",
        "Δ ms",
        "× floor",
        "peak RSS MiB",
        "Δ MiB",
        "--sandbox ms",
        "Δ ms",
        "deno run ms",
        "Δ ms",
        "× Deno floor",
        "signed in, 999 commands ms",
        "Δ ms",
        "MiB",
        "same, --tools all ms",
        "Δ ms",
        "MiB",
      ],
      rows,
      ["left", ...Array.from({ length: 16 }, () => "right" as const)],
    ),
    "",
    `Each commit (\`BENCH_COMPARE=${report.compared ?? ""}\`), oldest first, was checked out with \`git archive\` and compiled`,
    "with its own scripts/compile.sh for this run, then measured in the same interleaved rounds as the tables",
    "above (`mcp serve read`, not signed in but for the last columns, compiled, signed in on the RunOS-sized",
    "cache with `--tools auto` and `--tools all`; medians; Δ from the row before). The last row is this tree, as",
    "above. × floor: against this run's compiled floor and Deno floor. Before the fast serve path took `--tools`,",
    "`--tools all` went through the full command tree.",
    "",
    ...renderChangeCalls(report),
  ];
}

/** Per call, build by build (when the comparison measured it). */
function renderChangeCalls(report: BenchReport): string[] {
  const changes = (report.changes ?? []).filter((change) => change.calls !== undefined);
  if (changes.length === 0) return [];
  const ms = (value: number | undefined) => (value === undefined ? "—" : value.toFixed(2));
  const change = (value: number | undefined, previous: number | undefined) => {
    if (value === undefined || previous === undefined) return "";
    const difference = value - previous;
    return `${difference > 0 ? "+" : difference < 0 ? "−" : "±"}${Math.abs(difference).toFixed(2)}`;
  };
  const rows = changes.map((row, index) => {
    const now = row.calls!;
    const before = changes[index - 1]?.calls;
    return [
      `\`${row.commit}\` ${row.subject}`,
      ms(now.embeddedOverMs),
      change(now.embeddedOverMs, before?.embeddedOverMs),
      ms(now.cachedOverMs),
      change(now.cachedOverMs, before?.cachedOverMs),
      ms(now.httpOverMs),
      change(now.httpOverMs, before?.httpOverMs),
      ms(now.httpCpuMs),
      change(now.httpCpuMs, before?.httpCpuMs),
    ];
  });
  return [
    "### Per call",
    "",
    markdownTable(
      ["change", "stdio over API, embedded", "Δ", "stdio over API, 999 commands", "Δ", "HTTP over API, one client", "Δ", "HTTP server CPU per call", "Δ"],
      rows,
      ["left", ...Array.from({ length: 8 }, () => "right" as const)],
    ),
    "",
    `All in ms. The same builds, after the start-up rounds, in ${CHANGE_CALL_ROUNDS} rounds of their own (every build once per round),`,
    "as the per-call and one-client HTTP figures above measure this tree: the embedded catalog in a fresh signed-in",
    "home each round (then the HTTP run, in that home), the 999 commands on the build's own cache; each cell the",
    "median of the rounds' p50s; Δ from the row before. Differences under about 0.15 ms are within the noise.",
    "The embedded runs end before the background catalog sync (250 ms after `initialized`), so they do not show",
    "what a sync did to the calls after it (`1257ad4`).",
    "",
  ];
}


/** The "Four servers of one assistant" section (empty when not measured). */
function renderFourServers(report: BenchReport): string[] {
  const fours = report.fourServers ?? [];
  if (fours.length === 0) return [];
  const floorRss = byId(report, CONTENDER.floor)?.peakRssKiB?.median;
  const tierNames = fours[0]!.tiers.map((tier) => tier.tier);
  const rows = fours.map((four) => [
    four.label,
    ...four.tiers.map((tier) => (tier.peakRssKiB * KIB_PER_MIB).toFixed(1)),
    (four.sumKiB * KIB_PER_MIB).toFixed(1),
    times(ratio(four.sumKiB, floorRss)),
  ]);
  return [
    "## Four servers of one assistant",
    "",
    markdownTable(["catalog", ...tierNames.map((tier) => `${tier} MiB`), "sum MiB", "× one floor"], rows, ["left", ...tierNames.map(() => "right" as const), "right", "right"]),
    "",
    "Each tier's `dist/runos mcp serve <tier>` started cold, signed in, as many times as the contenders above,",
    "interleaved; peak RSS as above (median per tier), summed: what an assistant that starts all four pays.",
    "",
  ];
}

/** The "HTTP under load" section (empty when not measured). */
function renderHttp(report: BenchReport): string[] {
  const runs = report.http ?? [];
  if (runs.length === 0) return [];
  return [
    "## HTTP under load",
    "",
    markdownTable(
      ["contender", "clients", "calls", "calls/s", "wall per call", "round trip p50", "p95", "p99", "API handling p50", "over API p50", "server CPU per call"],
      runs.map((http) => [
        http.label,
        String(http.clients),
        String(http.calls),
        http.callsPerSecond.toFixed(0),
        (1000 / http.callsPerSecond).toFixed(2),
        http.roundTripMs.median.toFixed(2),
        http.roundTripMs.p95.toFixed(2),
        http.roundTripP99Ms.toFixed(2),
        http.apiHandlingMs.median.toFixed(2),
        (http.overApiPairedMs?.median ?? http.overApiP50Ms).toFixed(2),
        http.serverCpuMsPerCall === undefined ? "—" : http.serverCpuMsPerCall.toFixed(2),
      ]),
      ["left", "right", "right", "right", "right", "right", "right", "right", "right", "right", "right"],
    ),
    "",
    "All in ms. One `dist/runos mcp serve read --http 127.0.0.1:0` (signed in, bearer token), and that many",
    "official SDK Streamable HTTP clients over loopback, each calling the per-call tool in a loop, all at once,",
    "against the fake RunOS API served by the bench. With one client the calls run one at a time, and *over",
    "API p50* pairs each call's round trip with the API's handling of its own request: what runos, both HTTP",
    "stacks and the SDK client add to a call. Under concurrency calls cannot be paired: *over API p50* is the",
    "round trip's median minus the API handling's median, so it holds the wait in the queue that 16 clients",
    "make on two cores (16 in flight at the run's calls/s is that wait); *server CPU per call* is the server",
    "process's user and system time over the run (/proc) per call, what each call costs runos however many",
    "wait; *wall per call* is the run's length over its calls (the clients, the server and the API share the",
    "machine's cores).",
    "",
  ];
}

/** bench/results.md. */
export function renderResults(report: BenchReport): string {
  const startRows = report.contenders.map((contender) => {
    const ratios = coldStartRatios(report, contender);
    const isFloor = contender.floorId === undefined;
    return [
      contender.label,
      `\`${contender.command}\``,
      contender.coldStartMs === undefined ? `not measured: ${contender.note ?? "?"}` : medianRange(contender.coldStartMs),
      isFloor ? "—" : times(ratios.floor),
      contender.id === CONTENDER.anchor ? "—" : times(ratios.anchor),
      medianRange(contender.peakRssKiB, 1, KIB_PER_MIB),
      isFloor ? "—" : times(rssRatio(report, contender)),
      contender.tools === undefined ? "—" : String(contender.tools),
      contender.toolsListBytes === undefined ? "—" : String(contender.toolsListBytes),
    ];
  });
  const callRows = report.calls.map((call) => [
    call.label,
    String(call.roundTripMs.n),
    ms2(call.roundTripMs, "median"),
    ms2(call.roundTripMs, "p95"),
    ms2(call.apiHandlingMs, "median"),
    ms2(call.directHttpMs, "median"),
    ms2(call.overHandlingMs, "median"),
    ms2(call.overHandlingMs, "p95"),
    ms2(call.overDirectMs, "median"),
    ms2(call.overDirectMs, "p95"),
    call.firstCallMs === undefined ? "—" : call.firstCallMs.toFixed(1),
    call.firstCalls === undefined ? "—" : medianRange(call.firstCalls.immediate),
    call.firstCalls === undefined ? "—" : medianRange(call.firstCalls.afterList),
    call.peakRssKiB === undefined ? "—" : (call.peakRssKiB * KIB_PER_MIB).toFixed(1),
  ]);
  const tierRows = report.tiers.map((tier) => [tier.tier, String(tier.tools), String(tier.bytes), String(Math.round(tier.bytes / Math.max(tier.tools, 1)))]);
  const goals = evaluateGoals(report);
  const mark = { "met": "✅ met", "not met": "❌ not met", "not measured": "⚠️ not measured" } as const;

  return [
    "# runos start-up bench",
    "",
    `Written by \`make bench\` (tests/bench/startup_bench.ts) on ${report.date}. ${report.runs} runs per contender, interleaved`,
    "(every contender once per round, round after round), after one warm-up round that is not counted.",
    "Cold start = spawn → `initialize` answered → `tools/list` answered, as a client does it (each request",
    "sent once the previous answer arrived). Peak RSS = VmHWM from /proc/<pid>/status right after the",
    "`tools/list` answer, before stdin closes. Medians, with min–max in brackets; ratios are of medians.",
    "Goals are reported, never enforced.",
    "",
    "## Goals",
    "",
    markdownTable(["goal", "measured (medians)", "status"], goals.map((goal) => [goal.goal, goal.measured, mark[goal.status]])),
    "",
    "## Cold start and memory",
    "",
    markdownTable(
      ["contender", "command", "cold start ms", "× floor", "× anchor", "peak RSS MiB", "RSS × floor", "tools", "tools/list bytes"],
      startRows,
      ["left", "left", "right", "right", "right", "right", "right", "right", "right"],
    ),
    "",
    "× floor: against the floor of the same runtime (compiled floor for compiled binaries, `bun` and `deno run`",
    "floors for source runs). The floor is tests/bench/floor_server.ts: the MCP SDK's low-level `Server`, one",
    "tool, stdio, nothing else; compiled like runos (scripts/compile.sh) but without `--splitting`, under which",
    "this one-module program would start 4 MiB larger.",
    "",
    "## Per-call overhead",
    "",
    markdownTable(
      [
        "contender",
        "calls",
        "round trip p50",
        "p95",
        "API handling p50",
        "direct HTTP p50",
        "over API p50",
        "over API p95",
        "over direct HTTP p50",
        "p95",
        "first call",
        "first call, cold servers",
        "first call after tools/list",
        "peak RSS MiB after",
      ],
      callRows,
      ["left", ...Array.from({ length: 13 }, () => "right" as const)],
    ),
    "",
    "All in ms. Signed in (RUNOS_API_KEY) against the fake RunOS API served over loopback HTTP by the bench",
    "process itself, which makes one run of each kind first, not counted, so that its own client and API code",
    "is warm for the first contender as for the last. Per call, paired: *over API* = the tools/call round trip",
    "minus the time spent inside the API's handler for that call's requests (msw's handlers and the fake API's",
    "own routing around them; what runos, the stdio pipe and both HTTP stacks add: the goal is",
    "judged on this one); *over direct HTTP* = the round trip minus the same HTTP request sent directly by the",
    "bench just before (what runos adds over any HTTP client of the API). The floor row is the floor's `echo`",
    "tool: no API at all, so its round trip is the stdio + SDK cost every server pays. *First call*: the first",
    "tools/call's round trip, right after initialize: runos loads the MCP SDK and the call path there (they stay",
    "out of the handshake), so it is the one call that pays for them. *First call, cold servers*: the same over",
    `several cold servers (median, min–max). *First call after tools/list*: cold servers sent initialize, tools/list,`,
    `then the call after a pause (${report.calls.find((call) => call.firstCalls !== undefined)?.firstCalls?.pauseMs ?? "—"} ms, less than any model's turn), as a client whose model reads the tools first`,
    "does: runos loads the SDK's stage and builds the tools in that pause (src/mcp/stdio/serve.ts, 100 ms after",
    "the tools/list answer). *Peak RSS after*: VmHWM once all calls were answered, the server's memory in use",
    "(the start-up table's peak RSS is before the first call, and before that warm-up).",
    "",
    "## tools/list size per tier",
    "",
    markdownTable(["tier", "tools", "tools/list bytes", "bytes per tool"], tierRows, ["left", "right", "right", "right"]),
    "",
    report.tiersSource,
    "",
    ...renderFourServers(report),
    ...renderHttp(report),
    ...renderChanges(report),
    "## Machine",
    "",
    markdownTable(["", ""], report.machine.map(([what, value]) => [what, value])),
    ...(report.notes.length === 0 ? [] : ["", "## Notes", "", ...report.notes.map((note) => `- ${note}`)]),
    "",
  ].join("\n");
}
