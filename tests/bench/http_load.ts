/**
 * One `runos mcp serve read --http` instance under concurrent clients: each of `clients` official SDK
 * Streamable HTTP clients (over loopback) calls the per-call tool in a loop, all at once, against the
 * timed fake API (per_call.ts). Calls per second over the whole run, the round trip's p50 and p99, the
 * API's own handling time, and the overhead per call over it. The server is started as the e2e tests
 * start one (tests/_harness/http_server.ts).
 */
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
}

/** Calls each client makes first, not counted (connections, JIT). */
const WARM_CALLS = 10;

/** `clients` clients, `callsPerClient` counted calls each, against one --http instance of `runtime`. */
export async function httpLoad(runtime: ServerRuntime, env: Record<string, string>, api: TimedApi, clients: number, callsPerClient: number): Promise<HttpLoadFigures> {
  const child = await startHttpChild({ runtime, tier: "read", env: { ...env, RUNOS_MCP_TOKEN: TEST_TOKEN } });
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
    const began = performance.now();
    await Promise.all(connected.map(async (client) => {
      for (let i = 0; i < callsPerClient; i++) trips.push(await call(client));
    }));
    const seconds = (performance.now() - began) / 1000;
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
    };
  } finally {
    await Promise.all(connected.map((client) => client.close().catch(() => {})));
    await child.stop("SIGTERM");
  }
}
