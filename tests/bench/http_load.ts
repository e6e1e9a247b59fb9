/**
 * One `runos mcp serve read --http` instance under concurrent clients: each of `clients` official SDK
 * Streamable HTTP clients (over loopback) calls the per-call tool in a loop, all at once, against the
 * timed fake API (per_call.ts). Calls per second over the whole run, the round trip's p50 and p99, the
 * API's own handling time, the overhead per call over it (paired call by call when there is one client),
 * and the server's CPU time per call. The server is started as the e2e tests
 * start one (tests/_harness/http_server.ts).
 */
import { readFileSync } from "node:fs";
import type { Client } from "@modelcontextprotocol/client";
import { connectHttpClient, startHttpChild, TEST_TOKEN } from "../_harness/http_server.ts";
import type { ServerRuntime } from "../_harness/mcp_client.ts";
import { PER_CALL_TOOL, type TimedApi } from "./per_call.ts";
import { percentile, type Summary, summarize } from "./stats.ts";

/** What one run under load found. */
export interface HttpLoadFigures {
  readonly clients: number;
  readonly calls: number;
  readonly seconds: number;
  readonly callsPerSecond: number;
  readonly roundTripMs: Summary;
  readonly roundTripP99Ms: number;
  readonly apiHandlingMs: Summary;
  /** Round trip p50 − the API's handling p50: calls are not paired under concurrency, so medians are. */
  readonly overApiP50Ms: number;
  /** With one client, calls run one at a time and pair with their API handling: each call's round trip minus its own. */
  readonly overApiPairedMs?: Summary;
  /** The server's CPU time (user + system) over the counted calls, per call, when /proc tells it. */
  readonly serverCpuMsPerCall?: number;
}

/** A process's CPU time so far (user + system), in ms, from /proc (Linux); undefined elsewhere. */
function cpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").split(" ");
    // After the command: state is field 3, utime 14 and stime 15 (1-based over the whole line).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Calls each client makes first, not counted (connections, JIT). */
const WARM_CALLS = 10;

/** `clients` clients, `callsPerClient` counted calls each, against one --http instance of `runtime` (or of another compiled `binary`). */
export async function httpLoad(
  runtime: ServerRuntime,
  env: Record<string, string>,
  api: TimedApi,
  clients: number,
  callsPerClient: number,
  binary?: string,
): Promise<HttpLoadFigures> {
  const child = await startHttpChild({ runtime, tier: "read", env: { ...env, RUNOS_MCP_TOKEN: TEST_TOKEN }, ...(binary === undefined ? {} : { binary }) });
  const connected: Client[] = [];
  try {
    for (let i = 0; i < clients; i++) connected.push(await connectHttpClient(child.url, TEST_TOKEN, { name: `bench-${i}` }));
    const call = async (client: Client): Promise<number> => {
      const started = performance.now();
      const result = await client.callTool({ name: PER_CALL_TOOL, arguments: {} });
      const trip = performance.now() - started;
      if (result.isError === true) throw new Error(`${PER_CALL_TOOL} failed over HTTP: ${JSON.stringify(result).slice(0, 300)}`);
      return trip;
    };
    await Promise.all(connected.map(async (client) => {
      for (let i = 0; i < WARM_CALLS; i++) await call(client);
    }));
    const handledBefore = api.handling.length;
    const trips: number[] = [];
    const cpuBefore = cpuMs(child.pid);
    const began = performance.now();
    const paired: number[] = [];
    await Promise.all(connected.map(async (client) => {
      for (let i = 0; i < callsPerClient; i++) {
        const before = api.handling.length;
        const trip = await call(client);
        trips.push(trip);
        if (clients === 1) paired.push(trip - api.handling.slice(before).reduce((sum, value) => sum + value, 0));
      }
    }));
    const seconds = (performance.now() - began) / 1000;
    const cpuAfter = cpuMs(child.pid);
    const handled = api.handling.slice(handledBefore);
    const roundTripMs = summarize(trips);
    const apiHandlingMs = summarize(handled);
    return {
      clients,
      calls: trips.length,
      seconds,
      callsPerSecond: trips.length / seconds,
      roundTripMs,
      roundTripP99Ms: percentile(trips, 99),
      apiHandlingMs,
      overApiP50Ms: roundTripMs.median - apiHandlingMs.median,
      ...(clients === 1 ? { overApiPairedMs: summarize(paired) } : {}),
      ...(cpuBefore === undefined || cpuAfter === undefined ? {} : { serverCpuMsPerCall: (cpuAfter - cpuBefore) / trips.length }),
    };
  } finally {
    await Promise.all(connected.map((client) => client.close().catch(() => {})));
    await child.stop("SIGTERM");
  }
}
