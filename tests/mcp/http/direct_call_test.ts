/**
 * A plain tool call over HTTP is answered without an SDK server with what the SDK's stateless handler
 * answers: the same status, headers and SSE body (once the per-call random parts are set aside), over
 * two servers on one fake API, one answering directly and one through the SDK. Anything else still
 * goes to the SDK. A call done quickly is answered whole; a longer one, or one that reports progress,
 * is streamed, and is delivered only once its stream was read to the end.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createFakeApi, DEMO_ACCOUNT_ID, DEMO_TOKEN, type FakeApiServer, serveFakeApiHttp } from "../../../src/fake_api/mod.ts";
import { type RunningHttpServer, startHttpTierServer } from "../../../src/mcp/http/serve.ts";
import { answerCall, directCallOf } from "../../../src/mcp/http/direct_call.ts";
import { whenDelivered } from "../../../src/mcp/http/response.ts";
import type { CallExtras } from "../../../src/mcp/call/call.ts";
import type { Tier } from "../../../src/policy/tier.ts";
import { TEST_TOKEN } from "../../_harness/http_server.ts";
import { toolCall as call, withoutPerCallParts as settled } from "../../_harness/wire.ts";
import { markCatalogChecked, runosEnv } from "../../_harness/mcp_client.ts";
import { fastClock } from "../../_harness/sample_args.ts";
import { makeTempDir, type TempDir } from "../../_harness/temp_project.ts";

const HEADERS = {
  "authorization": `Bearer ${TEST_TOKEN}`,
  "content-type": "application/json",
  "accept": "application/json, text/event-stream",
  "mcp-protocol-version": "2025-06-18",
};

/** What a POST of `message` got: status, the headers that matter, the body. */
async function post(server: RunningHttpServer, message: unknown, headers: Record<string, string> = HEADERS) {
  const response = await fetch(server.url, { method: "POST", headers, body: JSON.stringify(message) });
  const kept = ["content-type", "cache-control", "connection", "x-accel-buffering", "mcp-session-id"].map((name) => `${name}: ${response.headers.get(name)}`);
  return { status: response.status, headers: kept, body: await response.text() };
}

describe("HTTP tool calls answered without the SDK", () => {
  let api: FakeApiServer;
  let home: TempDir;
  const servers: Partial<Record<Tier, { direct: RunningHttpServer; sdk: RunningHttpServer }>> = {};
  before(async () => {
    api = await serveFakeApiHttp(createFakeApi({ clock: fastClock() }), { port: 0, hostname: "127.0.0.1" });
    home = await makeTempDir("http-direct");
    await markCatalogChecked(home.path);
    const env = { ...runosEnv({ configDir: home.path, apiUrl: api.url, apiKey: DEMO_TOKEN, accountId: DEMO_ACCOUNT_ID }), RUNOS_MCP_TOKEN: TEST_TOKEN };
    for (const tier of ["read", "write"] as const) {
      const start = (direct: boolean) => startHttpTierServer(tier, { address: { hostname: "127.0.0.1", port: 0 }, env, stderr: () => {}, direct });
      servers[tier] = { direct: await start(true), sdk: await start(false) };
    }
  });
  after(async () => {
    for (const pair of Object.values(servers)) await Promise.all([pair.direct.shutdown({ graceMs: 0 }), pair.sdk.shutdown({ graceMs: 0 })]);
    await api.close();
    await home.remove();
  });

  const samples: Array<[Tier, unknown]> = [
    ["read", call(1, "clusters_list", {})],
    ["read", call("s-2", "clusters_list")],
    ["read", call(3, "services_valkey_list", { cid: "i4y" })],
    ["read", call(4, "services_valkey_add", { cid: "i4y", name: "cache" })],
    ["read", call(5, "no_such_tool", {})],
    ["read", call(6, "services_valkey_list", { cid: 5 })],
    ["read", call(7, "clusters_list", {}, { progressToken: "p" })],
    ["write", call(8, "services_valkey_delete", { cid: "i4y", id: "d7vk3" })],
    ["write", call(9, "clusters_list", {})],
  ];
  for (const [tier, message] of samples) {
    it(`answers ${tier}: ${JSON.stringify((message as { params: unknown }).params)} as the SDK does`, async () => {
      const pair = servers[tier]!;
      const expected = await post(pair.sdk, message);
      const answered = await post(pair.direct, message);
      assert.equal(answered.status, expected.status);
      assert.deepEqual(answered.headers, expected.headers);
      assert.equal(settled(answered.body), settled(expected.body));
      assert.match(answered.body, /^event: message\ndata: \{"result":/);
    });
  }

  it("streams a job's progress before the answer, then ends the stream", async () => {
    const pair = servers.write!;
    const message = call(10, "services_valkey_add", { cid: "i4y", name: "direct-progress", replicas: 2 }, { progressToken: 42 });
    const answered = await post(pair.direct, message);
    const events = answered.body.split("\n\n").filter((event) => event !== "").map((event) => JSON.parse(event.replace(/^event: message\ndata: /, "")) as Record<string, unknown>);
    const progress = events.filter((event) => event.method === "notifications/progress");
    assert.ok(progress.length >= 1, answered.body);
    assert.equal((progress[0]!.params as { progressToken: unknown }).progressToken, 42);
    assert.equal(events.at(-1)!.id, 10, "the answer comes last");
    assert.notEqual((events.at(-1)!.result as { isError?: boolean }).isError, true, answered.body);
  });

  it("leaves to the SDK what it would read otherwise", () => {
    const plain = call(1, "clusters_list", {});
    const headers = (changes: Record<string, string | undefined>) => {
      const result = new Headers();
      for (const [name, value] of Object.entries({ ...HEADERS, ...changes })) if (value !== undefined) result.set(name, value);
      return result;
    };
    assert.notEqual(directCallOf(headers({}), plain), undefined);
    assert.equal(directCallOf(headers({ "accept": "application/json" }), plain), undefined, "the SDK answers 406");
    assert.equal(directCallOf(headers({ "mcp-protocol-version": undefined }), plain), undefined, "no version: the SDK decides");
    assert.equal(directCallOf(headers({ "mcp-protocol-version": "2026-07-28" }), plain), undefined, "another era");
    assert.equal(directCallOf(headers({}), [plain]), undefined, "a batch");
    assert.equal(directCallOf(headers({}), { jsonrpc: "2.0", id: 1, method: "tools/list" }), undefined);
    assert.equal(directCallOf(headers({}), { ...plain, params: { name: "clusters_list", task: {} } }), undefined);
  });

  describe("whole or streamed", () => {
    const result = { content: [{ type: "text" as const, text: "done" }] };
    const answerLine = (id: number) => `event: message\ndata: ${JSON.stringify({ result, jsonrpc: "2.0", id })}\n\n`;
    /** A call that ends when the test says so, after reporting progress if it is asked to. */
    const gated = (reportProgress = false) => {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const run = async (_name: string, _args: unknown, extras: CallExtras) => {
        if (reportProgress) extras.progress?.job({ status: "running", progress: 40, currentStep: "volumes" } as never);
        await gate;
        return result;
      };
      return { run, open };
    };
    const delivery = (response: Response) => {
      let delivered = false;
      assert.equal(whenDelivered(response, () => (delivered = true)), response, "no wrapper around an answer made here");
      return () => delivered;
    };

    it("answers a call done in time whole: the SSE bytes, delivered as it is handed over", async () => {
      const response = await answerCall({ id: 1, name: "clusters_list", arguments: {} }, { tier: "read", call: () => Promise.resolve(result), signal: new AbortController().signal });
      const delivered = delivery(response);
      assert.equal(delivered(), true);
      assert.equal(response.headers.get("content-type"), "text/event-stream");
      assert.equal(await response.text(), answerLine(1));
    });

    it("streams a call that runs past the time: its headers first, the answer when it comes, delivered at the stream's end", async () => {
      const call = gated();
      const response = await answerCall({ id: 2, name: "clusters_list", arguments: {} }, { tier: "read", call: call.run, signal: new AbortController().signal, streamAfterMs: 10 });
      const delivered = delivery(response);
      assert.equal(delivered(), false);
      const reader = response.body!.getReader();
      call.open();
      const first = await reader.read();
      assert.equal(new TextDecoder().decode(first.value), answerLine(2));
      assert.equal(delivered(), false, "not before the stream was read to its end");
      assert.equal((await reader.read()).done, true);
      assert.equal(delivered(), true);
    });

    it("streams at a call's first progress notification, however soon", async () => {
      const call = gated(true);
      const response = await answerCall(
        { id: 3, name: "services_valkey_add", arguments: {}, progressToken: "p" },
        { tier: "write", call: call.run, signal: new AbortController().signal, streamAfterMs: 60_000 },
      );
      const reader = response.body!.getReader();
      const progress = JSON.parse(new TextDecoder().decode((await reader.read()).value).replace(/^event: message\ndata: /, "")) as { method: string; params: { progressToken: unknown } };
      assert.equal(progress.method, "notifications/progress");
      assert.equal(progress.params.progressToken, "p");
      call.open();
      assert.equal(new TextDecoder().decode((await reader.read()).value), answerLine(3));
      assert.equal((await reader.read()).done, true);
    });

    it("ends a cancelled call's stream without an answer, and counts it delivered", async () => {
      const call = gated();
      const controller = new AbortController();
      const response = await answerCall({ id: 4, name: "clusters_list", arguments: {} }, { tier: "read", call: call.run, signal: controller.signal, streamAfterMs: 10 });
      const delivered = delivery(response);
      controller.abort();
      call.open();
      assert.equal(await response.text(), "");
      assert.equal(delivered(), true);
    });

    it("answers a call cancelled in time with an empty whole body, as the SDK ends its stream", async () => {
      const controller = new AbortController();
      const run = async () => {
        controller.abort();
        return result;
      };
      const response = await answerCall({ id: 5, name: "clusters_list", arguments: {} }, { tier: "read", call: run, signal: controller.signal, streamAfterMs: 60_000 });
      assert.equal(delivery(response)(), true);
      assert.equal(await response.text(), "");
    });

    it("ends the stream after the answer: a progress notification that comes later is dropped", async () => {
      let late: CallExtras | undefined;
      const call = gated(true);
      const run = async (name: string, args: unknown, extras: CallExtras) => {
        late = extras;
        return await call.run(name, args, extras);
      };
      const response = await answerCall(
        { id: 6, name: "services_valkey_add", arguments: {}, progressToken: "p" },
        { tier: "write", call: run, signal: new AbortController().signal, streamAfterMs: 60_000 },
      );
      call.open();
      await new Promise((resolve) => setTimeout(resolve, 10));
      late!.progress?.job({ status: "running", progress: 90, currentStep: "late" } as never);
      await new Promise((resolve) => setTimeout(resolve, 10));
      const events = (await response.text()).split("\n\n").filter((event) => event !== "");
      assert.equal(events.at(-1), answerLine(6).trimEnd(), "the answer is the last message");
      assert.ok(!events.some((event) => event.includes('"late')), "the late notification was dropped");
    });

    it("ends the stream, and counts it delivered, when the answer cannot be written", async () => {
      const unwritable = { content: [{ type: "text" as const, text: "x" }], structuredContent: { big: 1n } } as unknown as typeof result;
      const response = await answerCall({ id: 7, name: "clusters_list", arguments: {} }, { tier: "read", call: () => Promise.resolve(unwritable), signal: new AbortController().signal });
      assert.equal(delivery(response)(), true);
      assert.equal(await response.text(), "");
    });
  });
});
