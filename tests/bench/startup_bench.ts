/**
 * `make bench`: how fast and how big the tier servers are. Not a test (no assertions, not named
 * `_test.ts`). Prints, for `deno run`, `bun` and the compiled binary (when dist/runos exists):
 *   - cold start: spawn → first `tools/list` answer, median of N runs;
 *   - per-call overhead: a read tool call's round trip minus the fake API's own handling time
 *     (measured in this process around the MSW handlers);
 *   - `tools/list` size in bytes, and bytes per tool, for each tier.
 * Run: `node_modules/.bin/bun tests/bench/startup_bench.ts` or `node_modules/.bin/deno run -A tests/bench/startup_bench.ts`.
 * Env: BENCH_STARTS (default 7), BENCH_CALLS (default 40).
 */
import process from "node:process";
import { getResponse } from "msw";
import { serveHttp } from "../../src/runtime.ts";
import { createFakeApi } from "../../src/fake_api/mod.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/demo.ts";
import { TIERS } from "../../src/policy/tier.ts";
import { hasBinary, RawStdioServer, runosEnv, type ServerRuntime } from "../_harness/mcp_client.ts";
import { makeTempDir } from "../_harness/temp_project.ts";

const STARTS = Number(process.env.BENCH_STARTS ?? 7);
const CALLS = Number(process.env.BENCH_CALLS ?? 40);

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "runos-bench", version: "0.0.0" } },
};

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Spawn a server and say hello; returns it once `initialize` is answered. */
async function handshake(runtime: ServerRuntime, tier: string, env: Record<string, string>): Promise<RawStdioServer> {
  const server = new RawStdioServer(runtime, ["mcp", "serve", tier], env);
  server.send(JSON.stringify(INITIALIZE));
  server.send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
  await server.response(1, 60_000);
  return server;
}

/** Spawn → first tools/list answer, once. The requests are written at spawn, as clients do. */
async function coldStart(runtime: ServerRuntime, env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const server = new RawStdioServer(runtime, ["mcp", "serve", "read"], env);
  server.send(JSON.stringify(INITIALIZE));
  server.send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
  server.send(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }));
  await server.response(2, 60_000);
  const elapsed = performance.now() - started;
  await server.kill();
  return elapsed;
}

async function main(): Promise<void> {
  const api = createFakeApi();
  const handling: number[] = [];
  const http = await serveHttp(async (request) => {
    const incoming = new URL(request.url);
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    const body = hasBody ? await request.arrayBuffer() : undefined;
    const rewritten = new Request(`${api.baseUrl}${incoming.pathname}${incoming.search}`, { method: request.method, headers: request.headers, body });
    const started = performance.now();
    const response = (await getResponse(api.handlers, rewritten)) ?? new Response("not found", { status: 404 });
    const answer = await response.arrayBuffer();
    handling.push(performance.now() - started);
    return new Response(answer, { status: response.status, headers: response.headers });
  }, { port: 0, hostname: "127.0.0.1" });
  const home = await makeTempDir("bench");
  const env = runosEnv({ configDir: home.path, apiUrl: `http://127.0.0.1:${http.port}`, apiKey: DEMO_TOKEN, accountId: DEMO_ACCOUNT_ID, clusterId: "i4y" });
  const runtimes: ServerRuntime[] = hasBinary() ? ["deno", "bun", "binary"] : ["deno", "bun"];

  try {
    console.log(`runos bench (${STARTS} cold starts, ${CALLS} calls per runtime)${hasBinary() ? "" : "; no dist/runos: run `make build-host` to include the binary"}`);
    console.log("");
    console.log("runtime   cold start → tools/list (median)   min        max        per-call round trip   fake API handling   overhead");
    for (const runtime of runtimes) {
      await coldStart(runtime, env); // warm the OS file cache and Deno's transpile cache
      const starts: number[] = [];
      for (let i = 0; i < STARTS; i++) starts.push(await coldStart(runtime, env));

      const server = await handshake(runtime, "read", env);
      const trips: number[] = [];
      const handled: number[] = [];
      let id = 100;
      for (let i = 0; i < CALLS + 3; i++) {
        const before = handling.length;
        const started = performance.now();
        server.send(JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "clusters_list", arguments: {} } }));
        const reply = await server.response(id, 30_000);
        const trip = performance.now() - started;
        id++;
        if (reply.error !== undefined || (reply.result as { isError?: boolean }).isError === true) {
          throw new Error(`clusters_list failed on ${runtime}: ${JSON.stringify(reply).slice(0, 300)}`);
        }
        if (i < 3) continue; // warm-up
        trips.push(trip);
        handled.push(handling.slice(before).reduce((sum, value) => sum + value, 0));
      }
      await server.kill();
      const overhead = median(trips.map((trip, index) => trip - handled[index]!));
      console.log(
        `${runtime.padEnd(9)} ${ms(median(starts)).padEnd(34)} ${ms(Math.min(...starts)).padEnd(10)} ${ms(Math.max(...starts)).padEnd(10)} ` +
          `${ms(median(trips)).padEnd(21)} ${ms(median(handled)).padEnd(19)} ${ms(overhead)}`,
      );
    }

    console.log("");
    console.log("tier              tools   tools/list bytes   bytes per tool");
    for (const tier of TIERS) {
      const server = await handshake("deno", tier, env);
      server.send(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }));
      const reply = await server.response(2, 30_000);
      const tools = (reply.result as { tools: unknown[] }).tools.length;
      const line = server.lines.find((text) => (JSON.parse(text) as { id?: unknown }).id === 2) ?? "";
      const bytes = new TextEncoder().encode(line).length;
      console.log(`${tier.padEnd(17)} ${String(tools).padEnd(7)} ${String(bytes).padEnd(18)} ${Math.round(bytes / Math.max(tools, 1))}`);
      await server.kill();
    }
  } finally {
    await http.close();
    await home.remove();
  }
}

await main();
// msw (loaded with the fake API) opens a BroadcastChannel at import, which keeps Deno alive: leave explicitly.
process.exit(0);
