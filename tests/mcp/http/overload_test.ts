/**
 * One HTTP tier server asked for far more than its limit at once, in-process over loopback against the
 * fake API: 512 clients each send a tool call while the limit is 8. The calls admitted first wait at a
 * gate in front of the fake API (a seam the test opens, no timing involved), so exactly 8 hold their
 * slots while the other 504 are answered; the refused clients then retry after `Retry-After`, as a
 * client should, until each has its answer. Correctness and bounds are asserted; the speed is only
 * printed (calls/s, p99, peak RSS on stderr), since speed targets belong in benchmarks. Bun's fetch
 * keeps at most 256 connections open at once, so there the 512 arrive in two overlapping halves.
 * Also: a refusal comes before the body is read, after a wrong token's 401, and not on the metadata route.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import process from "node:process";
import { createFakeApi, DEMO_ACCOUNT_ID, DEMO_TOKEN, type FakeApiServer, serveFakeApiHttp } from "../../../src/fake_api/mod.ts";
import { MAX_BODY_BYTES, type RunningHttpServer, startHttpTierServer } from "../../../src/mcp/http/serve.ts";
import { connectHttpClient, postJson, TEST_TOKEN } from "../../_harness/http_server.ts";
import { markCatalogChecked, resultText, runosEnv } from "../../_harness/mcp_client.ts";
import { until } from "../../_harness/poll.ts";
import { makeTempDir, type TempDir } from "../../_harness/temp_project.ts";

const LIMIT = 8;
const CLIENTS = 512;
/** A client gives up after this many refusals (some 20 s of retrying): the test fails rather than waits without end. */
const MAX_ATTEMPTS = 15;
/**
 * How much the process's peak RSS may grow over the run, the 512 clients in it included: about 25 MiB
 * on Bun and 100 MiB on Deno here; unbounded, each request could hold a 4 MiB body.
 */
const RSS_GROWTH_BOUND = 256 * 1024 * 1024;

/** The fake API's cluster list, behind a gate: while it is shut, the calls that reach it wait there. */
function gatedFetch() {
  const waiting: (() => void)[] = [];
  let open = false;
  const fetchThroughGate: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!open && new URL(url).pathname.endsWith("/clusters")) await new Promise<void>((resolve) => waiting.push(resolve));
    return await fetch(input, init);
  };
  return {
    fetch: fetchThroughGate,
    waiting: () => waiting.length,
    open() {
      open = true;
      for (const resolve of waiting.splice(0)) resolve();
    },
  };
}

/** One HTTP exchange a client made. */
interface Exchange {
  readonly client: number;
  readonly attempt: number;
  readonly status: number;
  /** From sending the request to the end of its answer. */
  readonly ms: number;
  /** When the answer ended (performance.now()). */
  readonly at: number;
  readonly retryAfter: string | null;
  readonly body: { id?: unknown; result?: { isError?: boolean; content?: unknown }; error?: { code?: number; message?: string } };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** The JSON-RPC message of a `text/event-stream` or JSON answer. */
function messageOf(contentType: string, text: string): Exchange["body"] {
  if (!contentType.startsWith("text/event-stream")) return JSON.parse(text) as Exchange["body"];
  const data = text.split("\n").filter((line) => line.startsWith("data: ")).map((line) => JSON.parse(line.slice(6)) as Exchange["body"]);
  return data.find((message) => message.id !== undefined) ?? {};
}

const MiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const AUTH = { Authorization: `Bearer ${TEST_TOKEN}` };
/** A call that reaches the gate (the fake API's cluster list). */
const listClusters = (id: number) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "clusters_list", arguments: {} } });
/** A call that does not. */
const listServiceTypes = (id: number) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "services_types", arguments: {} } });

/**
 * A POST whose head announces `declared` bytes of body but sends only its first line, over a raw
 * socket: what comes back before the rest is the answer of a server that did not wait for the body.
 */
function postWithoutBody(server: RunningHttpServer, declared: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, "127.0.0.1", () => {
      socket.write(
        `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${TEST_TOKEN}\r\nContent-Type: application/json\r\n` +
          `Accept: application/json, text/event-stream\r\nContent-Length: ${declared}\r\n\r\n{"jsonrpc":"2.0","id":9,`,
      );
    });
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer without the body; got ${JSON.stringify(text)}`));
    }, 10_000);
    socket.on("data", (chunk: Uint8Array) => {
      text += new TextDecoder().decode(chunk);
      if (/\r\n\r\n[\s\S]*\}/.test(text)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(text);
      }
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** The fake API over HTTP, a temp home, and HTTP tier servers started on demand, each behind its own gate; all closed after. */
function world() {
  let api: FakeApiServer | undefined;
  let home: TempDir | undefined;
  const started: { server: RunningHttpServer; gate: ReturnType<typeof gatedFetch> }[] = [];
  after(async () => {
    for (const { gate } of started) gate.open();
    await Promise.all(started.map(({ server }) => server.shutdown({ graceMs: 0 }).catch(() => {})));
    await api?.close();
    await home?.remove();
  });
  return {
    async start(maxConcurrent: number): Promise<{ server: RunningHttpServer; gate: ReturnType<typeof gatedFetch> }> {
      if (api === undefined) {
        api = await serveFakeApiHttp(createFakeApi(), { port: 0, hostname: "127.0.0.1" });
        home = await makeTempDir("http-overload");
        await markCatalogChecked(home.path);
      }
      const env = { ...runosEnv({ configDir: home!.path, apiUrl: api.url, apiKey: DEMO_TOKEN, accountId: DEMO_ACCOUNT_ID }), RUNOS_MCP_TOKEN: TEST_TOKEN };
      const gate = gatedFetch();
      const server = await startHttpTierServer("read", { address: { hostname: "127.0.0.1", port: 0 }, env, stderr: () => {}, maxConcurrent, fetch: gate.fetch });
      started.push({ server, gate });
      return { server, gate };
    },
  };
}

const holding = (what: string, probe: () => boolean) => until(what, () => Promise.resolve(probe() ? true : undefined), 30_000);

describe("HTTP tier server at its limit", () => {
  const w = world();

  it("refuses before reading the body, after a wrong token's 401, and still serves its metadata", { timeout: 60_000 }, async () => {
    const { server, gate } = await w.start(2);
    const held = [postJson(server.url, listClusters(1), AUTH), postJson(server.url, listClusters(2), AUTH)];
    try {
      await holding("two calls at the gate", () => gate.waiting() === 2);
      assert.equal(server.slotsHeld(), 2);
      const refused = await postWithoutBody(server, MAX_BODY_BYTES);
      assert.match(refused, /^HTTP\/1\.1 503 /);
      assert.match(refused, /^retry-after: 1\r$/im);
      assert.match(refused, /\{"jsonrpc":"2\.0","error":\{"code":-32000,"message":"Service Unavailable: too many requests at once \(this server takes 2\); retry after 1 s"\},"id":null\}/);
      const wrongToken = await postJson(server.url, listServiceTypes(3), { Authorization: "Bearer not-the-token-0123456789" });
      assert.equal(wrongToken.status, 401);
      await wrongToken.body?.cancel();
      const metadata = await fetch(server.url.replace("/mcp", "/.well-known/oauth-protected-resource/mcp"));
      assert.equal(metadata.status, 200);
      await metadata.body?.cancel();
    } finally {
      gate.open();
    }
    for (const response of await Promise.all(held)) {
      assert.equal(response.status, 200);
      assert.match(await response.text(), /"result"/);
    }
    await holding("the slots to be given back", () => server.slotsHeld() === 0);
    const after = await postJson(server.url, listServiceTypes(4), AUTH);
    assert.equal(after.status, 200);
    await after.body?.cancel();
  });

  it("lets a subscriptions/listen stream stay open without holding a call's slot", { timeout: 60_000 }, async () => {
    const { server } = await w.start(1);
    const client = await connectHttpClient(server.url, TEST_TOKEN, { modern: true });
    try {
      const subscription = await client.listen({ toolsListChanged: true });
      await holding("the listen request's slot to be given back", () => server.slotsHeld() === 0);
      assert.ok(server.inFlight() >= 1, "the listen stream is open");
      const result = await client.callTool({ name: "services_types", arguments: {} });
      assert.notEqual(result.isError, true, resultText(result));
      await subscription.close();
    } finally {
      await client.close();
    }
  });
});

describe("HTTP tier server under overload", () => {
  const w = world();

  it(`answers ${CLIENTS} clients at once with a limit of ${LIMIT}: the excess gets 503 and Retry-After, every client its call, memory bounded`, { timeout: 60_000 }, async () => {
    const { server, gate } = await w.start(LIMIT);
    const url = server.url;

    // Warm up (modules, the first answer's background start) so the baseline is the serving process.
    const warm = await postJson(url, listServiceTypes(0), AUTH);
    assert.equal(warm.status, 200);
    await warm.body?.cancel();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => void (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 10);

    const exchanges: Exchange[] = [];
    const failures: string[] = [];
    const firstAnswers = () => exchanges.filter((exchange) => exchange.attempt === 1).length;
    const client = async (index: number): Promise<void> => {
      const id = 1000 + index;
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const started = performance.now();
        let exchange: Exchange;
        try {
          const response = await postJson(url, listClusters(id), AUTH);
          const text = await response.text();
          exchange = {
            client: index,
            attempt,
            status: response.status,
            ms: performance.now() - started,
            at: performance.now(),
            retryAfter: response.headers.get("retry-after"),
            body: messageOf(response.headers.get("content-type") ?? "", text),
          };
        } catch (error) {
          failures.push(`client ${index}, attempt ${attempt}: ${error instanceof Error ? error.message : String(error)}`);
          return;
        }
        exchanges.push(exchange);
        if (exchange.status !== 503) return;
        // As a client should: wait what Retry-After says, spread a little so the retries do not all land at once.
        await new Promise((resolve) => setTimeout(resolve, Number(exchange.retryAfter) * 1000 * (1 + Math.random())));
      }
      failures.push(`client ${index}: still refused after ${MAX_ATTEMPTS} attempts`);
    };

    const started = performance.now();
    const clients = Array.from({ length: CLIENTS }, (_, index) => client(index));
    try {
      // Exactly LIMIT calls hold their slots at the gate while every other first attempt is answered.
      await holding("the first attempts to be answered", () => gate.waiting() === LIMIT && firstAnswers() === CLIENTS - LIMIT);
      assert.equal(server.slotsHeld(), LIMIT);
    } finally {
      gate.open();
    }
    await Promise.all(clients);
    const wallMs = performance.now() - started;
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);

    assert.deepEqual(failures, [], "every request was answered (no timeout, no reset) and every client got its call");
    const first = exchanges.filter((exchange) => exchange.attempt === 1);
    assert.equal(first.filter((exchange) => exchange.status === 200).length, LIMIT, "the first attempts admitted are exactly the limit");
    const refused = exchanges.filter((exchange) => exchange.status === 503);
    assert.ok(refused.length >= CLIENTS - LIMIT, `${refused.length} refusals`);
    for (const exchange of refused) {
      assert.equal(exchange.retryAfter, "1");
      assert.equal(exchange.body.error?.code, -32000);
      assert.equal(exchange.body.error?.message, `Service Unavailable: too many requests at once (this server takes ${LIMIT}); retry after 1 s`);
    }
    const admitted = exchanges.filter((exchange) => exchange.status !== 503);
    assert.equal(admitted.length, CLIENTS, "one admitted exchange per client");
    for (const exchange of admitted) {
      assert.equal(exchange.status, 200);
      assert.equal(exchange.body.id, 1000 + exchange.client, "the answer carries its own request's id");
      assert.ok(exchange.body.result !== undefined && exchange.body.result.isError !== true, JSON.stringify(exchange.body));
    }
    await holding("every slot to be given back", () => server.slotsHeld() === 0 && server.inFlight() === 0);

    // Afterwards it serves as before.
    const sdk = await connectHttpClient(url, TEST_TOKEN);
    try {
      assert.ok((await sdk.listTools()).tools.some((tool) => tool.name === "clusters_list"));
      const result = await sdk.callTool({ name: "clusters_list", arguments: {} });
      assert.notEqual(result.isError, true, resultText(result));
    } finally {
      await sdk.close();
    }

    const growth = rssPeak - rssBefore;
    const ms = exchanges.map((exchange) => exchange.ms);
    const shedMs = Math.max(...first.filter((exchange) => exchange.status === 503).map((exchange) => exchange.at)) - started;
    const mostAttempts = Math.max(...exchanges.map((exchange) => exchange.attempt));
    process.stderr.write(
      `overload: ${CLIENTS} clients, limit ${LIMIT}: ${exchanges.length} requests, ${refused.length} refused 503 (${CLIENTS - LIMIT} of the first within ${shedMs.toFixed(0)} ms), ` +
        `at most ${mostAttempts} attempts per client; ` +
        `${(CLIENTS / (wallMs / 1000)).toFixed(0)} calls/s and ${(exchanges.length / (wallMs / 1000)).toFixed(0)} answers/s over ${(wallMs / 1000).toFixed(1)} s; ` +
        `p99 ${percentile(ms, 99).toFixed(0)} ms (admitted ${percentile(admitted.map((exchange) => exchange.ms), 99).toFixed(0)} ms, refused ${percentile(refused.map((exchange) => exchange.ms), 99).toFixed(0)} ms); ` +
        `RSS ${MiB(rssBefore)} → peak ${MiB(rssPeak)} (+${MiB(growth)})\n`,
    );
    assert.ok(growth < RSS_GROWTH_BOUND, `peak RSS grew by ${MiB(growth)}`);
  });
});
