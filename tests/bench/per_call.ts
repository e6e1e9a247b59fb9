/**
 * The bench's per-call figures: a read tool called many times through a running server, each call
 * paired with (a) the time the fake RunOS API spent in its own handlers for that call's requests and
 * (b) the same HTTP request sent directly by the bench just before, so what runos adds can be told
 * apart from what the API costs. The API runs in the bench's own process over loopback HTTP.
 */
import { getResponse } from "msw";
import { createFakeApi } from "../../src/fake_api/mod.ts";
import { serveHttp } from "../../src/runtime.ts";
import { INITIALIZE } from "./cold_start.ts";
import { type ChildCommand, JsonRpcChild } from "./json_rpc_child.ts";
import { type CallFigures, CONTENDER } from "./report.ts";
import { pairedDifferences, type Summary, summarize } from "./stats.ts";

/** The read tool every per-call run calls (no arguments; one GET). */
export const PER_CALL_TOOL = "clusters_list";

/** Calls made and thrown away before measuring (JIT, connection reuse). */
const WARM_CALLS = 20;

/** The fake RunOS API over loopback HTTP, timing its own handlers and remembering the last request. */
export async function startTimedApi() {
  const api = createFakeApi();
  const handling: number[] = [];
  let last: { method: string; path: string; headers: Headers; body?: ArrayBuffer } | undefined;
  const http = await serveHttp(async (request) => {
    // The API's own time: this whole handler (msw's handlers, and the URL rewrite and the copy kept
    // for the replay around them), not what the HTTP stacks of both sides spend.
    const started = performance.now();
    const incoming = new URL(request.url);
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    const body = hasBody ? await request.arrayBuffer() : undefined;
    last = { method: request.method, path: `${incoming.pathname}${incoming.search}`, headers: new Headers(request.headers), ...(body === undefined ? {} : { body }) };
    const rewritten = new Request(`${api.baseUrl}${incoming.pathname}${incoming.search}`, { method: request.method, headers: request.headers, body });
    const response = (await getResponse(api.handlers, rewritten)) ?? new Response("not found", { status: 404 });
    const answer = new Response(await response.arrayBuffer(), { status: response.status, headers: response.headers });
    handling.push(performance.now() - started);
    return answer;
  }, { port: 0, hostname: "127.0.0.1" });
  const url = `http://127.0.0.1:${http.port}`;
  return {
    url,
    handling,
    lastRequest: () => last,
    /** Send the last request seen again, straight from this process; resolves with its round trip. */
    replay: async (request: NonNullable<typeof last>): Promise<number> => {
      const headers = new Headers(request.headers);
      for (const name of ["host", "content-length", "connection"]) headers.delete(name);
      const started = performance.now();
      const response = await fetch(`${url}${request.path}`, { method: request.method, headers, body: request.body });
      await response.arrayBuffer();
      return performance.now() - started;
    },
    close: () => http.close(),
  };
}

/** The running timed API. */
export type TimedApi = Awaited<ReturnType<typeof startTimedApi>>;

/** How long a client waits after tools/list before its first call, in {@link firstCalls}: shorter than any model's turn. */
export const PAUSE_BEFORE_FIRST_CALL_MS = 300;

/**
 * The first call of `servers` cold servers each way: right after initialize (the client calls at once)
 * and after initialize, tools/list and a pause of {@link PAUSE_BEFORE_FIRST_CALL_MS} (as a client whose
 * model reads the tools first does); servers started in turn, one way then the other.
 */
export async function firstCalls(command: ChildCommand, servers: number): Promise<{ immediate: Summary; afterList: Summary }> {
  const immediate: number[] = [];
  const afterList: number[] = [];
  for (let i = 0; i < servers; i++) {
    for (const listFirst of [false, true]) {
      const child = new JsonRpcChild(command);
      try {
        await child.request("initialize", INITIALIZE);
        child.notify("notifications/initialized");
        if (listFirst) {
          await child.request("tools/list");
          await new Promise((resolve) => setTimeout(resolve, PAUSE_BEFORE_FIRST_CALL_MS));
        }
        const started = performance.now();
        const answer = await child.request("tools/call", { name: PER_CALL_TOOL, arguments: {} });
        const trip = performance.now() - started;
        const result = answer.message.result as { isError?: boolean } | undefined;
        if (answer.message.error !== undefined || result?.isError === true) throw new Error(`${PER_CALL_TOOL} failed: ${JSON.stringify(answer.message).slice(0, 300)}`);
        (listFirst ? afterList : immediate).push(trip);
      } finally {
        await child.close();
      }
    }
  }
  return { immediate: summarize(immediate), afterList: summarize(afterList) };
}

/** `calls` calls of the per-call tool, each paired with a direct HTTP request and the API's handling time. */
export async function perCall(id: string, label: string, command: ChildCommand, api: TimedApi, calls: number): Promise<CallFigures> {
  const child = new JsonRpcChild(command);
  try {
    await child.request("initialize", INITIALIZE);
    child.notify("notifications/initialized");
    const call = async (): Promise<number> => {
      const started = performance.now();
      const answer = await child.request("tools/call", { name: PER_CALL_TOOL, arguments: {} });
      const trip = performance.now() - started;
      const result = answer.message.result as { isError?: boolean } | undefined;
      if (answer.message.error !== undefined || result?.isError === true) throw new Error(`${PER_CALL_TOOL} failed on ${label}: ${JSON.stringify(answer.message).slice(0, 300)}`);
      return trip;
    };
    const firstCallMs = await call();
    for (let i = 1; i < WARM_CALLS; i++) await call();
    const request = api.lastRequest();
    if (request === undefined) throw new Error(`${PER_CALL_TOOL} sent no request to the fake API`);
    for (let i = 0; i < WARM_CALLS; i++) await api.replay(request);
    const trips: number[] = [];
    const handled: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < calls; i++) {
      direct.push(await api.replay(request));
      const before = api.handling.length;
      trips.push(await call());
      handled.push(api.handling.slice(before).reduce((sum, value) => sum + value, 0));
    }
    return {
      id,
      label,
      tool: PER_CALL_TOOL,
      roundTripMs: summarize(trips),
      apiHandlingMs: summarize(handled),
      directHttpMs: summarize(direct),
      overHandlingMs: summarize(pairedDifferences(trips, handled)),
      overDirectMs: summarize(pairedDifferences(trips, direct)),
      firstCallMs,
      ...optionalRss(child.peakRssKiB()),
    };
  } finally {
    await child.close();
  }
}

function optionalRss(kib: number | undefined): { peakRssKiB?: number } {
  return kib === undefined ? {} : { peakRssKiB: kib };
}

/** The floor's echo tool, called `calls` times: the stdio + SDK cost of a call with no API behind it. */
export async function floorPerCall(command: ChildCommand, calls: number): Promise<CallFigures> {
  const child = new JsonRpcChild(command);
  try {
    await child.request("initialize", INITIALIZE);
    child.notify("notifications/initialized");
    const trips: number[] = [];
    let firstCallMs = 0;
    for (let i = 0; i < WARM_CALLS + calls; i++) {
      const started = performance.now();
      await child.request("tools/call", { name: "echo", arguments: { text: "hello" } });
      if (i === 0) firstCallMs = performance.now() - started;
      if (i >= WARM_CALLS) trips.push(performance.now() - started);
    }
    return { id: CONTENDER.floor, label: "floor, compiled (echo, no API)", tool: "echo", roundTripMs: summarize(trips), firstCallMs, ...optionalRss(child.peakRssKiB()) };
  } finally {
    await child.close();
  }
}
