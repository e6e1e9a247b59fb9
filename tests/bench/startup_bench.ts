/**
 * `make bench`: how fast and how big runos's MCP servers are, side by side with what they are held
 * against. Not a test (no assertions, not named `_test.ts`); it writes bench/results.md and prints it.
 *
 * Contenders, run interleaved (each once per round, BENCH_RUNS rounds, default 11, after a warm-up
 * round): `dist/runos mcp serve read` (not signed in: an empty temp RUNOS_CONFIG_DIR, no
 * RUNOS_API_KEY), the same with `--sandbox`, `bun mod.ts …`, `deno run -A mod.ts …`; the floor
 * (tests/bench/floor_server.ts: the SDK's low-level Server with one tool) compiled the same way, unsplit
 * (`dist/bench/floor_server`), under `bun` and under `deno run -A`; and the Go anchor,
 * kubernetes-mcp-server from npm, installed on demand into node_modules/.cache/bench/.
 * Then the per-call overhead (BENCH_CALLS calls of a read tool, default 200, against the fake API
 * over loopback HTTP) and the tools/list size of every tier. `BENCH_COMPARE="rev rev …"` adds those
 * commits, built fresh (compare.ts), to the rounds, for the "What each change bought" table.
 *
 * Run: `make bench`, or `node_modules/.bin/bun tests/bench/startup_bench.ts` after `make build-host`
 * and compiling the floor (see the Makefile).
 */
import { execFile } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import process from "node:process";
import { promisify } from "node:util";
import { cacheDir } from "../../src/auth/config.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/demo.ts";
import { listingPath } from "../../src/mcp/tools/listing_cache.ts";
import { TIERS } from "../../src/policy/tier.ts";
import { BINARY_PATH, REPO_ROOT, runosEnv } from "../_harness/mcp_client.ts";
import { makeTempDir } from "../_harness/temp_project.ts";
import { type Anchor, installAnchor, writeDummyKubeconfig } from "./anchor.ts";
import { cacheRunosSizedCatalog } from "./cached_catalog.ts";
import { buildRevisions, comparedRevisions } from "./compare.ts";
import { coldStart, type Start } from "./cold_start.ts";
import type { ChildCommand } from "./json_rpc_child.ts";
import { httpLoad } from "./http_load.ts";
import { firstCalls, floorPerCall, PAUSE_BEFORE_FIRST_CALL_MS, perCall, startTimedApi } from "./per_call.ts";
import { type BenchReport, type CallFigures, CHANGE_CALL_ROUNDS, type ChangeFigures, CONTENDER, type ContenderFigures, type FourServersFigures, renderResults, type TierFigures } from "./report.ts";
import { summarize } from "./stats.ts";

const RUNS = positiveInteger("BENCH_RUNS", 11);
const CALLS = positiveInteger("BENCH_CALLS", 200);
const FIRST_CALL_SERVERS = positiveInteger("BENCH_FIRST_CALL_SERVERS", 7);
const HTTP_CLIENTS = positiveInteger("BENCH_HTTP_CLIENTS", 16);
const HTTP_CALLS = positiveInteger("BENCH_HTTP_CALLS", 50);
const COMPARE = comparedRevisions(process.env.BENCH_COMPARE);
const CACHE_DIR = join(REPO_ROOT, "node_modules", ".cache", "bench");
const FLOOR_BINARY = join(REPO_ROOT, "dist", "bench", `floor_server${process.platform === "win32" ? ".exe" : ""}`);
const FLOOR_SOURCE = "tests/bench/floor_server.ts";
const RESULTS = join(REPO_ROOT, "bench", "results.md");
const BIN = join(REPO_ROOT, "node_modules", ".bin");

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not ${JSON.stringify(raw)}`);
  return value;
}

/** One build's per-call figures, round by round. */
interface ChangeCallSeries {
  readonly embeddedOverMs: number[];
  readonly cachedOverMs: number[];
  readonly httpOverMs: number[];
  readonly httpCpuMs: number[];
}

/** A contender of the cold-start rounds. */
interface Contender {
  readonly id: string;
  readonly label: string;
  readonly display: string;
  readonly floorId?: string;
  readonly command: ChildCommand;
}

async function commandOutput(command: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(command, args, { cwd: REPO_ROOT, timeout: 30_000 });
    return stdout.trim();
  } catch {
    return "unknown";
  }
}

function sizeMiB(path: string): string {
  return existsSync(path) ? `${(statSync(path).size / 2 ** 20).toFixed(1)} MiB` : "not built";
}

async function main(): Promise<void> {
  const began = performance.now();
  const loadBefore = os.loadavg();
  const notes: string[] = [];
  const home = await makeTempDir("bench-home");
  const signedInHome = await makeTempDir("bench-signed-in");
  const buildsDir = await makeTempDir("bench-builds");
  const cachedHome = await makeTempDir("bench-cached");
  const unstoredHome = await makeTempDir("bench-unstored");
  const api = await startTimedApi();
  try {
    await mkdir(CACHE_DIR, { recursive: true });
    const kubeconfig = await writeDummyKubeconfig(home.path);
    const env = runosEnv({ configDir: home.path });
    env.XDG_CACHE_HOME = join(home.path, "cache");
    env.XDG_CONFIG_HOME = join(home.path, "config");
    const at = (command: string, args: string[], environment = env): ChildCommand => ({ command, args, env: environment, cwd: REPO_ROOT });
    const serveRead = ["mcp", "serve", "read"];

    const hasBinary = existsSync(BINARY_PATH);
    const hasFloorBinary = existsSync(FLOOR_BINARY);
    if (!hasBinary) notes.push("dist/runos was not built: run `make bench` (it builds it) to include the compiled runos.");
    if (!hasFloorBinary) notes.push("dist/bench/floor_server was not built: run `make bench` (it builds it) to include the compiled floor.");
    console.error(`runos bench: installing the Go anchor into ${CACHE_DIR} if needed…`);
    const anchor: Anchor = await installAnchor(CACHE_DIR);
    if (!anchor.ok) notes.push(`Go anchor left out: ${anchor.reason}.`);

    // Signed in on a RunOS-sized cached catalog, as `runos login` leaves a user (informative: no goal).
    const cachedEnv = hasBinary ? await cacheRunosSizedCatalog(BINARY_PATH, cachedHome.path) : undefined;
    // The same, where no tools listing can be stored (a directory in its place): every start derives it,
    // as the first start on a new catalog or a new runos does.
    const unstoredEnv = hasBinary ? await cacheRunosSizedCatalog(BINARY_PATH, unstoredHome.path) : undefined;
    if (unstoredEnv !== undefined) await mkdir(listingPath("default", cacheDir(unstoredEnv), "read", "auto"), { recursive: true });
    const contenders: Contender[] = [
      ...(hasBinary
        ? [
          { id: CONTENDER.runos, label: "runos, compiled", display: "dist/runos mcp serve read", floorId: CONTENDER.floor, command: at(BINARY_PATH, serveRead) },
          { id: CONTENDER.runosSandbox, label: "runos --sandbox, compiled", display: "dist/runos mcp serve read --sandbox", floorId: CONTENDER.floor, command: at(BINARY_PATH, [...serveRead, "--sandbox"]) },
          {
            id: CONTENDER.runosCached,
            label: "runos, compiled, signed in, 999-command cache",
            display: "dist/runos mcp serve read, signed in (RUNOS_API_KEY), runos_full.json cached by manifest update",
            floorId: CONTENDER.floor,
            command: at(BINARY_PATH, serveRead, cachedEnv),
          },
          {
            id: CONTENDER.runosCachedAll,
            label: "runos, compiled, signed in, 999-command cache, --tools all",
            display: "dist/runos mcp serve read --tools all, signed in, runos_full.json cached",
            floorId: CONTENDER.floor,
            command: at(BINARY_PATH, [...serveRead, "--tools", "all"], cachedEnv),
          },
          {
            id: CONTENDER.runosCachedUnstored,
            label: "runos, compiled, signed in, 999-command cache, no stored listing",
            display: "dist/runos mcp serve read, signed in, runos_full.json cached, the tools listing derived at every start",
            floorId: CONTENDER.floor,
            command: at(BINARY_PATH, serveRead, unstoredEnv),
          },
        ]
        : []),
      { id: CONTENDER.runosBun, label: "runos, bun from source", display: "bun mod.ts mcp serve read", floorId: CONTENDER.floorBun, command: at(join(BIN, "bun"), ["mod.ts", ...serveRead]) },
      { id: CONTENDER.runosDeno, label: "runos, deno from source", display: "deno run -A mod.ts mcp serve read", floorId: CONTENDER.floorDeno, command: at(join(BIN, "deno"), ["run", "-A", "mod.ts", ...serveRead]) },
      ...(hasFloorBinary ? [{ id: CONTENDER.floor, label: "floor, compiled", display: "dist/bench/floor_server", command: at(FLOOR_BINARY, []) }] : []),
      { id: CONTENDER.floorBun, label: "floor, bun from source", display: `bun ${FLOOR_SOURCE}`, command: at(join(BIN, "bun"), [FLOOR_SOURCE]) },
      { id: CONTENDER.floorDeno, label: "floor, deno from source (Deno floor)", display: `deno run -A ${FLOOR_SOURCE}`, command: at(join(BIN, "deno"), ["run", "-A", FLOOR_SOURCE]) },
      ...(anchor.ok
        ? [{
          id: CONTENDER.anchor,
          label: `Go anchor: kubernetes-mcp-server ${anchor.version}`,
          display: "kubernetes-mcp-server --read-only --kubeconfig <dummy>",
          command: at(anchor.binary, ["--read-only", "--kubeconfig", kubeconfig], { ...env, KUBECONFIG: kubeconfig }),
        }]
        : []),
    ];

    if (COMPARE.length > 0) console.error(`runos bench: building ${COMPARE.join(" ")} for the comparison…`);
    const builds = await buildRevisions(REPO_ROOT, COMPARE, buildsDir.path);
    // Each build its own signed-in home: a tools listing stored by one build is foreign to every other,
    // which would derive and store its own at every start, in turn.
    const buildHomes = new Map<string, Record<string, string>>();
    if (hasBinary) {
      for (const build of builds) {
        const buildHome = join(buildsDir.path, `home-${build.commit}`);
        await mkdir(buildHome, { recursive: true });
        buildHomes.set(build.commit, await cacheRunosSizedCatalog(BINARY_PATH, buildHome));
      }
    }
    const changeContenders: Contender[] = builds.flatMap((build) => [
      { id: `change-${build.commit}`, label: build.commit, display: "", floorId: CONTENDER.floor, command: at(build.binary, serveRead) },
      { id: `change-${build.commit}-sandbox`, label: build.commit, display: "", floorId: CONTENDER.floor, command: at(build.binary, [...serveRead, "--sandbox"]) },
      {
        id: `change-${build.commit}-deno`,
        label: build.commit,
        display: "",
        floorId: CONTENDER.floorDeno,
        command: { command: join(BIN, "deno"), args: ["run", "-A", "mod.ts", ...serveRead], env, cwd: build.dir },
      },
      ...(buildHomes.get(build.commit) === undefined ? [] : [
        { id: `change-${build.commit}-cached`, label: build.commit, display: "", floorId: CONTENDER.floor, command: at(build.binary, serveRead, buildHomes.get(build.commit)) },
        {
          id: `change-${build.commit}-cached-all`,
          label: build.commit,
          display: "",
          floorId: CONTENDER.floor,
          command: at(build.binary, [...serveRead, "--tools", "all"], buildHomes.get(build.commit)),
        },
      ]),
    ]);

    // Cold starts: a warm-up round (file cache, Deno's transpile cache), then RUNS interleaved rounds.
    const everyone = [...contenders, ...changeContenders];
    const starts = new Map<string, Start[]>(everyone.map((contender) => [contender.id, []]));
    const failures = new Map<string, string>();
    for (let round = 0; round <= RUNS; round++) {
      console.error(round === 0 ? "runos bench: warm-up round" : `runos bench: round ${round}/${RUNS}`);
      for (const contender of everyone) {
        if (failures.has(contender.id)) continue;
        try {
          const start = await coldStart(contender.command);
          if (round > 0) starts.get(contender.id)!.push(start);
        } catch (error) {
          failures.set(contender.id, String(error instanceof Error ? error.message : error).split("\n")[0]!);
        }
      }
    }
    const figuresOf = (contender: Contender): ContenderFigures => {
      const series = starts.get(contender.id)!;
      const failure = failures.get(contender.id);
      if (failure !== undefined) notes.push(`${contender.label} failed: ${failure}`);
      const rss = series.flatMap((start) => (start.rssKiB === undefined ? [] : [start.rssKiB]));
      return {
        id: contender.id,
        label: contender.label,
        command: contender.display,
        ...(contender.floorId === undefined ? {} : { floorId: contender.floorId }),
        ...(series.length === 0 ? { note: failure ?? "not run" } : {
          coldStartMs: summarize(series.map((start) => start.ms)),
          tools: series.at(-1)!.tools,
          toolsListBytes: series.at(-1)!.bytes,
          ...(rss.length === 0 ? {} : { peakRssKiB: summarize(rss) }),
        }),
      };
    };
    const figures: ContenderFigures[] = contenders.map(figuresOf);
    const changeFigures = new Map(changeContenders.map((contender) => [contender.id, figuresOf(contender)]));
    const byId = (id: string) => figures.find((figure) => figure.id === id);
    const changes: ChangeFigures[] = builds.length === 0 ? [] : [
      ...builds.map((build) => ({
        commit: build.commit,
        subject: build.subject,
        compiled: changeFigures.get(`change-${build.commit}`),
        sandbox: changeFigures.get(`change-${build.commit}-sandbox`),
        deno: changeFigures.get(`change-${build.commit}-deno`),
        cached: changeFigures.get(`change-${build.commit}-cached`),
        cachedAll: changeFigures.get(`change-${build.commit}-cached-all`),
      })),
      {
        commit: "this tree",
        subject: "(the build above)",
        compiled: byId(CONTENDER.runos),
        sandbox: byId(CONTENDER.runosSandbox),
        deno: byId(CONTENDER.runosDeno),
        cached: byId(CONTENDER.runosCached),
        cachedAll: byId(CONTENDER.runosCachedAll),
      },
    ];
    if (cachedEnv !== undefined) {
      notes.push(
        "The signed-in contenders start on a 999-command catalog (fixtures/catalog/runos_full.json, cached by `runos manifest update` as `runos login` does). The warm-up round's start derives and stores each tier's tools listing beside the cache (src/mcp/tools/listing_cache.ts); the counted starts answer from it, as every start after the first on one catalog and one runos does. The \"no stored listing\" contender cannot store it, so it shows the first start on a new catalog.",
      );
    }
    if (!anchor.ok) figures.push({ id: CONTENDER.anchor, label: "Go anchor: kubernetes-mcp-server", command: "kubernetes-mcp-server --read-only", note: anchor.reason });

    // Per-call overhead, signed in against the timed fake API.
    console.error("runos bench: per-call overhead");
    const signedIn = runosEnv({ configDir: signedInHome.path, apiUrl: api.url, apiKey: DEMO_TOKEN, accountId: DEMO_ACCOUNT_ID, clusterId: "i4y" });
    signedIn.XDG_CACHE_HOME = join(signedInHome.path, "cache");
    const calls: CallFigures[] = [];
    const callers: Array<[string, string, ChildCommand]> = [
      ...(hasBinary ? [[CONTENDER.runos, "runos, compiled", at(BINARY_PATH, serveRead, signedIn)] as [string, string, ChildCommand]] : []),
      ...(cachedEnv === undefined ? [] : [[
        CONTENDER.runosCached,
        "runos, compiled, 999-command cache",
        at(BINARY_PATH, serveRead, { ...cachedEnv, RUNOS_API_URL: api.url }),
      ] as [string, string, ChildCommand]]),
      [CONTENDER.runosBun, "runos, bun from source", at(join(BIN, "bun"), ["mod.ts", ...serveRead], signedIn)],
      [CONTENDER.runosDeno, "runos, deno from source", at(join(BIN, "deno"), ["run", "-A", "mod.ts", ...serveRead], signedIn)],
    ];
    // One run not counted first: the bench's own client and fake API (this process) start cold too,
    // and without it the first contender would pay for their warm-up.
    if (callers.length > 0) await perCall("warm-up", "warm-up", callers[0]![2], api, CALLS).catch(() => undefined);
    for (const [id, label, command] of callers) {
      try {
        const figures = await perCall(id, label, command, api, CALLS);
        // The first call of cold servers, for the compiled binaries (goal 2 of issue 18).
        const first = command.command === BINARY_PATH ? await firstCalls(command, FIRST_CALL_SERVERS) : undefined;
        calls.push(first === undefined ? figures : { ...figures, firstCalls: { ...first, pauseMs: PAUSE_BEFORE_FIRST_CALL_MS } });
      } catch (error) {
        notes.push(`per-call figures of ${label} failed: ${String(error instanceof Error ? error.message : error).split("\n")[0]}`);
      }
    }
    if (hasFloorBinary) calls.push(await floorPerCall(at(FLOOR_BINARY, []), CALLS));

    // One --http instance: one client at a time, then concurrent clients.
    const http: Array<NonNullable<BenchReport["http"]>[number]> = [];
    if (hasBinary) {
      // Likewise a run not counted first, for the SDK's HTTP client in this process.
      await httpLoad("binary", signedIn, api, 1, CALLS).catch(() => undefined);
      for (const [clients, perClient] of [[1, CALLS], [HTTP_CLIENTS, HTTP_CALLS]] as const) {
        console.error(`runos bench: one --http instance, ${clients} client${clients === 1 ? "" : "s"}`);
        try {
          http.push({ label: "runos, compiled, --http", ...(await httpLoad("binary", signedIn, api, clients, perClient)) });
        } catch (error) {
          notes.push(`the HTTP run with ${clients} clients failed: ${String(error instanceof Error ? error.message : error).split("\n")[0]}`);
        }
      }
    }

    // Per call, build by build: BENCH_COMPARE's builds and this tree, interleaved round by round.
    const changeCalls = new Map<string, ChangeCallSeries>();
    if (hasBinary && builds.length > 0) {
      const subjects = [...builds.map((build) => ({ key: build.commit, binary: build.binary, cached: buildHomes.get(build.commit) })), { key: "this tree", binary: BINARY_PATH, cached: cachedEnv }];
      for (let round = 1; round <= CHANGE_CALL_ROUNDS; round++) {
        console.error(`runos bench: per call, build by build, round ${round}/${CHANGE_CALL_ROUNDS}`);
        for (const subject of subjects) {
          const series = changeCalls.get(subject.key) ?? { embeddedOverMs: [], cachedOverMs: [], httpOverMs: [], httpCpuMs: [] };
          changeCalls.set(subject.key, series);
          // A fresh signed-in home each time: every run syncs the embedded catalog once, as the first run did.
          const fresh = join(buildsDir.path, `calls-${subject.key.replace(/\W/g, "-")}-${round}`);
          await mkdir(fresh, { recursive: true });
          const freshEnv = runosEnv({ configDir: fresh, apiUrl: api.url, apiKey: DEMO_TOKEN, accountId: DEMO_ACCOUNT_ID, clusterId: "i4y" });
          freshEnv.XDG_CACHE_HOME = join(fresh, "cache");
          try {
            const over = async (environment: Record<string, string>) => (await perCall(subject.key, subject.key, at(subject.binary, serveRead, environment), api, CALLS)).overHandlingMs?.median;
            const embedded = await over(freshEnv);
            if (embedded !== undefined) series.embeddedOverMs.push(embedded);
            const cached = subject.cached === undefined ? undefined : await over({ ...subject.cached, RUNOS_API_URL: api.url });
            if (cached !== undefined) series.cachedOverMs.push(cached);
            const load = await httpLoad("binary", freshEnv, api, 1, CALLS, subject.binary);
            if (load.overApiPairedMs !== undefined) series.httpOverMs.push(load.overApiPairedMs.median);
            if (load.serverCpuMsPerCall !== undefined) series.httpCpuMs.push(load.serverCpuMsPerCall);
          } catch (error) {
            notes.push(`per-call figures of ${subject.key} failed: ${String(error instanceof Error ? error.message : error).split("\n")[0]}`);
          }
        }
      }
    }
    const changesWithCalls = changes.map((change) => {
      const series = changeCalls.get(change.commit);
      if (series === undefined) return change;
      const median = (values: number[]) => (values.length === 0 ? undefined : summarize(values).median);
      const calls = { embeddedOverMs: median(series.embeddedOverMs), cachedOverMs: median(series.cachedOverMs), httpOverMs: median(series.httpOverMs), httpCpuMs: median(series.httpCpuMs) };
      return { ...change, calls: Object.fromEntries(Object.entries(calls).filter(([, value]) => value !== undefined)) };
    });

    // tools/list per tier, signed in with a default cluster (so `cid` is optional, as most users have it).
    console.error("runos bench: tools/list per tier");
    const tiers: TierFigures[] = [];
    const tierProgram = hasBinary ? "dist/runos" : "deno run -A mod.ts";
    for (const tier of TIERS) {
      const args = ["mcp", "serve", tier];
      const command = hasBinary ? at(BINARY_PATH, args, signedIn) : at(join(BIN, "deno"), ["run", "-A", "mod.ts", ...args], signedIn);
      const start = await coldStart(command);
      tiers.push({ tier, tools: start.tools, bytes: start.bytes });
    }

    // The four tier servers of one assistant, summed: embedded catalog and the RunOS-sized cache.
    const fourServers: FourServersFigures[] = [];
    if (hasBinary) {
      const setups: Array<[string, Record<string, string>]> = [["embedded catalog", env], ...(cachedEnv === undefined ? [] : [["999-command cache", cachedEnv] as [string, Record<string, string>]])];
      console.error("runos bench: the four tier servers of one assistant");
      const rss = new Map<string, number[]>();
      for (let round = 0; round <= RUNS; round++) {
        for (const [label, environment] of setups) {
          for (const tier of TIERS) {
            const start = await coldStart(at(BINARY_PATH, ["mcp", "serve", tier], environment));
            if (round > 0 && start.rssKiB !== undefined) rss.set(`${label}|${tier}`, [...(rss.get(`${label}|${tier}`) ?? []), start.rssKiB]);
          }
        }
      }
      for (const [label] of setups) {
        const tiersRss = TIERS.map((tier) => ({ tier, peakRssKiB: summarize(rss.get(`${label}|${tier}`) ?? [0]).median }));
        fourServers.push({ label, tiers: tiersRss, sumKiB: tiersRss.reduce((sum, tier) => sum + tier.peakRssKiB, 0) });
      }
    }

    const denoVersion = (await commandOutput(join(BIN, "deno"), ["--version"])).split("\n")[0]!;
    const cpus = os.cpus();
    const seconds = ((performance.now() - began) / 1000).toFixed(0);
    notes.push(`This run took ${seconds} s. The machine is shared: load average ${loadBefore.map((load) => load.toFixed(2)).join(" ")} at the start, ${os.loadavg().map((load) => load.toFixed(2)).join(" ")} at the end; figures move by several ms from run to run, ratios less.`);
    const report: BenchReport = {
      date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      runs: RUNS,
      machine: [
        ["nproc", await commandOutput("nproc", [])],
        ["CPU", `${cpus[0]?.model ?? "unknown"} (${cpus.length} logical)`],
        ["memory", `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
        ["OS", `${os.type()} ${os.release()} ${os.arch()}`],
        ["bun", await commandOutput(join(BIN, "bun"), ["--version"])],
        ["deno", denoVersion],
        ["node", await commandOutput("node", ["--version"])],
        ["harness", `tests/bench/startup_bench.ts under ${typeof (globalThis as { Bun?: unknown }).Bun === "undefined" ? "deno" : "bun"}`],
        ["runos commit", await commandOutput("git", ["rev-parse", "--short=7", "HEAD"])],
        ["dist/runos", sizeMiB(BINARY_PATH)],
        ["dist/bench/floor_server", sizeMiB(FLOOR_BINARY)],
        ["Go anchor", anchor.ok ? `kubernetes-mcp-server ${anchor.version} (${sizeMiB(anchor.binary)}, npm)` : `not available: ${anchor.reason}`],
      ],
      contenders: figures,
      calls,
      tiers,
      ...(fourServers.length === 0 ? {} : { fourServers }),
      ...(http.length === 0 ? {} : { http }),
      tiersSource: `Measured with \`${tierProgram} mcp serve <tier>\`, signed in with a default cluster (so \`cid\` is optional).`,
      ...(changes.length === 0 ? {} : { changes: changesWithCalls, compared: COMPARE.join(" ") }),
      notes,
    };
    const markdown = renderResults(report);
    await mkdir(join(REPO_ROOT, "bench"), { recursive: true });
    await writeFile(RESULTS, markdown);
    console.log(markdown);
    console.error(`runos bench: wrote ${RESULTS}`);
  } finally {
    await api.close();
    await home.remove();
    await signedInHome.remove();
    await buildsDir.remove();
    await cachedHome.remove();
    await unstoredHome.remove();
  }
}

await main();
// msw (loaded with the fake API) opens a BroadcastChannel at import, which keeps Deno alive: leave explicitly.
process.exit(0);
