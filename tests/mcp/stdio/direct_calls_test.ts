/**
 * Tool calls answered over stdio without the SDK write what the SDK's own server writes for the same
 * calls, byte for byte once the per-call random parts (the fence's boundary, a confirm token) are set
 * aside; a cancelled call is not answered; a destructive call asks through elicitation where the
 * client declared it; and the calls keep their cancellations and elicitation answers past a handover.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import type { CallToolResult } from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { answerHandshake, type Handover } from "../../../src/mcp/stdio/handshake.ts";
import { type DirectCalls, directCalls, ELICITATION_ID_PREFIX } from "../../../src/mcp/stdio/direct_calls.ts";
import { projectCallToolResult } from "../../../src/mcp/host/direct_call.ts";
import { screenUnparsableLines } from "../../../src/mcp/stdio/sdk_stdio.ts";
import type { CallExtras } from "../../../src/mcp/call/call.ts";
import { serverCapabilities, serverInfo, tierInstructions } from "../../../src/mcp/host/identity.ts";
import { createSdkServer } from "../../../src/mcp/host/sdk_server.ts";
import { createTierHost, type TierHost } from "../../../src/mcp/host/tier_host.ts";
import type { ApiRequest } from "../../../src/api/client.ts";
import { baselineCatalog } from "../../../src/catalog/load.ts";
import type { Tier } from "../../../src/policy/tier.ts";
import { baselineOperations, signedIn, stubApi } from "../_support.ts";
import { toolCall as call, withoutPerCallParts as settled } from "../../_harness/wire.ts";

type Json = Record<string, unknown>;

const initialize = (capabilities: Json = {}) => ({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities, clientInfo: { name: "test", version: "1.0.0" } },
});
const INITIALIZED = { jsonrpc: "2.0", method: "notifications/initialized" };
const line = (message: unknown) => `${JSON.stringify(message)}\n`;

/** A stream's lines as they arrive, and a wait for the next one. */
function lineReader(stream: PassThrough): { next(): Promise<string>; count(): number; all(): string[] } {
  const lines: string[] = [];
  let buffered = "";
  let taken = 0;
  const waiters: Array<() => void> = [];
  stream.on("data", (chunk: Buffer | string) => {
    buffered += chunk.toString();
    const parts = buffered.split("\n");
    buffered = parts.pop() ?? "";
    lines.push(...parts);
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    next: async () => {
      while (lines.length <= taken) await new Promise<void>((resolve) => waiters.push(resolve));
      return lines[taken++]!;
    },
    count: () => lines.length,
    all: () => [...lines],
  };
}

const valkey = () => ({ id: "vk001", name: "cache", type: "valkey", status: "running", usedBy: [{ id: "a1", name: "web" }] });

/** A host over the baseline catalog and a stub API that answers every read with a valkey service. */
async function hostOf(tier: Tier, requests: ApiRequest[] = []): Promise<TierHost> {
  const api = stubApi((request) => {
    requests.push(request);
    return request.method === "GET" ? (request.path.endsWith("/clusters") ? [{ id: "i4y", name: "production" }] : valkey()) : {};
  });
  return await createTierHost(tier, { session: signedIn(api), operations: baselineOperations(), catalogVersion: baselineCatalog().version });
}

/** A server speaking JSON-RPC lines: its stdin, and its stdout as lines. */
interface LineServer {
  readonly stdin: PassThrough;
  readonly out: ReturnType<typeof lineReader>;
  close(): Promise<void>;
}

/** The SDK's server over `host`, connected to a pair of streams. */
async function sdkServer(host: TierHost): Promise<LineServer> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const out = lineReader(stdout);
  const sdk = createSdkServer(host);
  await sdk.server.connect(new StdioServerTransport(stdin, stdout));
  return { stdin, out, close: () => sdk.close() };
}

/** The handshake with direct calls over `host`, as serve.ts wires them. */
function directServer(host: TierHost): LineServer & { calls: DirectCalls; handover: Promise<Handover> } {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const out = lineReader(stdout);
  let capabilities: Json | undefined;
  const calls = directCalls({
    tier: host.tier,
    write: (text) => void stdout.write(text),
    call: (name, args, extras) => host.call(name, args, extras),
    clientCapabilities: () => capabilities,
  });
  const handshake = answerHandshake({
    input: stdin,
    output: stdout,
    identity: { serverInfo: serverInfo(host.tier), capabilities: serverCapabilities(), instructions: tierInstructions(host.tier) },
    listTools: () => host.listTools(),
    calls,
    initialize: (declared) => (capabilities = declared),
  });
  return { stdin, out, calls, handover: handshake.handover, close: async () => void stdin.end() };
}

/** Send each message in turn, waiting for the answer of each request; the answers, in order. */
async function converse(server: LineServer, messages: readonly unknown[]): Promise<string[]> {
  const answers: string[] = [];
  for (const message of messages) {
    server.stdin.write(line(message));
    if ((message as { id?: unknown }).id !== undefined) answers.push(await server.out.next());
  }
  return answers;
}

describe("tool calls answered without the SDK", () => {
  const samples: Record<Tier, unknown[]> = {
    "read": [
      call(2, "clusters_list", {}),
      call("s-3", "clusters_list"),
      call(4, "clusters_list", {}, { progressToken: "p-1" }),
      call(5, "services_valkey_list", { cid: "i4y" }),
      call(6, "services_valkey_credentials", { cid: "i4y", id: "vk001" }),
      call(7, "services_valkey_delete", { cid: "i4y", id: "vk001", confirm: true }),
      call(8, "preview_destructive", { tool: "services_valkey_delete", arguments: { cid: "i4y", id: "vk001" } }),
      call(9, "no_such_tool", {}),
      call(10, "clusters_list", { surprise: 1 }),
      call(11, "services_valkey_list", { cid: 5 }),
      call(0, "search_tools", { query: "valkey" }),
      { jsonrpc: "2.0", id: 12, method: "ping" },
      { jsonrpc: "2.0", id: 13, method: "resources/list" },
      { jsonrpc: "2.0", id: 14, method: "resources/templates/list", params: { cursor: "x" } },
    ],
    "sensitive-read": [call(2, "services_valkey_credentials", { cid: "i4y", id: "vk001" }), call(3, "clusters_list", {})],
    "write": [
      call(2, "services_valkey_delete", { cid: "i4y", id: "vk001" }),
      call(3, "services_valkey_delete", { cid: "i4y", id: "vk001", confirm: true }),
      call(4, "services_valkey_add", { cid: "i4y", name: "cache" }),
      call(5, "clusters_list", {}),
    ],
    "sensitive-write": [call(2, "services_valkey_add", { cid: "i4y", name: "cache" }), call(3, "services_valkey_delete", { cid: "i4y", id: "vk001" })],
  };
  for (const [tier, messages] of Object.entries(samples) as Array<[Tier, unknown[]]>) {
    it(`answers ${tier}'s calls, ping and the resource lists as the SDK's server does`, async () => {
      const opening = [initialize(), INITIALIZED];
      const sdkRequests: ApiRequest[] = [];
      const sdk = await sdkServer(await hostOf(tier, sdkRequests));
      const directRequests: ApiRequest[] = [];
      const direct = directServer(await hostOf(tier, directRequests));
      try {
        const expected = (await converse(sdk, [...opening, ...messages])).slice(1);
        const answered = (await converse(direct, [...opening, ...messages])).slice(1);
        assert.equal(answered.length, expected.length);
        for (let index = 0; index < expected.length; index++) assert.equal(settled(answered[index]!), settled(expected[index]!));
        assert.deepEqual(directRequests.map((request) => `${request.method} ${request.path}`), sdkRequests.map((request) => `${request.method} ${request.path}`));
        direct.stdin.end();
        assert.deepEqual(await direct.handover, { ended: true }, "nothing was handed to the SDK");
      } finally {
        await sdk.close();
        await direct.close();
      }
    });
  }

  it("writes progress, a failing host and a result that is no object as the SDK's server does", async () => {
    const fakeCall = async (name: string, _args: unknown, extras: CallExtras): Promise<CallToolResult> => {
      if (name === "fails") throw new Error("boom");
      extras.progress?.job({ status: "running", progress: 40, currentStep: "volumes" });
      extras.progress?.job({ status: "running", progress: 40, currentStep: "volumes" });
      extras.progress?.job({ status: "done", progress: 100 });
      await new Promise((resolve) => setTimeout(resolve, 5));
      return name === "array" ? { content: [], structuredContent: [1, 2] as unknown as Json } : { content: [{ type: "text", text: "ok" }] };
    };
    const host = { ...(await hostOf("read")), call: (name: string, args: unknown, extras?: CallExtras) => fakeCall(name, args, extras ?? {}) } as TierHost;
    const messages = [call(2, "progress", {}, { progressToken: 7 }), call(3, "fails", {}), call(4, "array", {})];
    // The calls run side by side: their lines are compared as a set.
    const read = async (server: LineServer) => {
      await converse(server, [initialize(), INITIALIZED]);
      for (const message of messages) server.stdin.write(line(message));
      const lines: string[] = [];
      while (lines.length < 5) lines.push(await server.out.next());
      return lines.sort();
    };
    const sdk = await sdkServer(host);
    const direct = directServer(host);
    try {
      const expected = await read(sdk);
      assert.deepEqual(await read(direct), expected);
      assert.equal(expected.filter((text) => text.includes("notifications/progress")).length, 2, "a repeated progress is folded");
    } finally {
      await sdk.close();
      await direct.close();
    }
  });

  it("does not answer a cancelled call, and aborts it", async () => {
    let aborted: boolean | undefined;
    const host = {
      ...(await hostOf("read")),
      call: (_name: string, _args: unknown, extras?: CallExtras) =>
        new Promise<CallToolResult>((resolve) => {
          extras?.signal?.addEventListener("abort", () => {
            aborted = true;
            resolve({ content: [{ type: "text", text: "stopped" }] });
          });
        }),
    } as TierHost;
    const direct = directServer(host);
    try {
      await converse(direct, [initialize(), INITIALIZED]);
      direct.stdin.write(line(call(2, "slow", {})));
      await waitFor(() => direct.calls.running === 1);
      direct.stdin.write(line({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 2, reason: "user" } }));
      assert.deepEqual(await converse(direct, [{ jsonrpc: "2.0", id: 3, method: "ping" }]), ['{"result":{},"jsonrpc":"2.0","id":3}']);
      await direct.calls.settled(1_000);
      assert.equal(aborted, true);
      assert.equal(direct.out.count(), 2, "the initialize and ping answers only");
    } finally {
      await direct.close();
    }
  });

  it("asks through elicitation as the SDK's server does, and runs the delete only on an explicit yes", async () => {
    const capabilities = { elicitation: { form: {} } };
    const askSdk = async () => {
      const sdk = await sdkServer(await hostOf("write"));
      sdk.stdin.write(line(initialize(capabilities)) + line(INITIALIZED) + line(call(2, "services_valkey_delete", { cid: "i4y", id: "vk001" })));
      await sdk.out.next();
      const question = JSON.parse(await sdk.out.next()) as Json;
      await sdk.close();
      return question;
    };
    const requests: ApiRequest[] = [];
    const direct = directServer(await hostOf("write", requests));
    try {
      await converse(direct, [initialize(capabilities), INITIALIZED]);
      direct.stdin.write(line(call(2, "services_valkey_delete", { cid: "i4y", id: "vk001" })));
      const question = JSON.parse(await direct.out.next()) as Json;
      const { id, ...asked } = question;
      const { id: sdkId, ...sdkAsked } = await askSdk();
      assert.equal(typeof sdkId, "number");
      assert.deepEqual(asked, sdkAsked, "the same question, in the same words");
      assert.equal(id, `${ELICITATION_ID_PREFIX}1`);
      direct.stdin.write(line({ jsonrpc: "2.0", id, result: { action: "accept", content: { confirm: true } } }));
      const answer = JSON.parse(await direct.out.next()) as { id: number; result: CallToolResult };
      assert.equal(answer.id, 2);
      assert.notEqual(answer.result.isError, true, JSON.stringify(answer.result));
      assert.deepEqual(requests.map((request) => `${request.method} ${request.path}`), ["GET /acme/i4y/services/valkey/vk001", "DELETE /acme/i4y/services/valkey/vk001"]);

      for (const reply of [{ result: { action: "decline" } }, { result: { action: "accept", content: { confirm: "yes" } } }, { error: { code: -1, message: "no" } }]) {
        direct.stdin.write(line(call(3, "services_valkey_delete", { cid: "i4y", id: "vk001" })));
        const asked = JSON.parse(await direct.out.next()) as Json;
        direct.stdin.write(line({ jsonrpc: "2.0", id: asked.id, ...reply }));
        const refused = JSON.parse(await direct.out.next()) as { result: CallToolResult };
        assert.equal(refused.result.isError, true);
      }
      assert.equal(requests.filter((request) => request.method === "DELETE").length, 1, "no other delete was sent");
    } finally {
      await direct.close();
    }
  });

  it("answers a call whose question nobody can answer any more (stdin ended) with the preview and its token", async () => {
    const requests: ApiRequest[] = [];
    const direct = directServer(await hostOf("write", requests));
    await converse(direct, [initialize({ elicitation: {} }), INITIALIZED]);
    direct.stdin.write(line(call(2, "services_valkey_delete", { cid: "i4y", id: "vk001" })));
    assert.match(await direct.out.next(), /"method":"elicitation\/create"/);
    direct.stdin.end();
    assert.deepEqual(await direct.handover, { ended: true });
    direct.calls.inputEnded();
    await direct.calls.settled(5_000);
    const answer = JSON.parse(await direct.out.next()) as { result: CallToolResult };
    assert.equal(typeof (answer.result.structuredContent as { confirm?: unknown }).confirm, "string", "the preview carries a token");
    assert.ok(!requests.some((request) => request.method === "DELETE"));
  });

  it("keeps the answer to a question and a cancellation after the SDK took stdin", async () => {
    const direct = directServer(await hostOf("write"));
    await converse(direct, [initialize({ elicitation: { form: {} } }), INITIALIZED]);
    direct.stdin.write(line(call(2, "services_valkey_delete", { cid: "i4y", id: "vk001" })));
    const asked = JSON.parse(await direct.out.next()) as Json;
    direct.stdin.write(line({ jsonrpc: "2.0", id: 3, method: "prompts/list" }));
    const handover = await direct.handover;
    assert.equal(handover.ended, false);
    // What reaches the SDK goes through the screen, which gives the direct calls theirs first.
    const toSdk = new PassThrough();
    const screened = screenUnparsableLines(toSdk, () => {}, undefined, (message) => direct.calls.claims(message));
    const passed = lineReader(screened as PassThrough);
    if (!handover.ended) handover.pipeTo(toSdk);
    toSdk.write(line({ jsonrpc: "2.0", id: asked.id, result: { action: "accept", content: { confirm: true } } }));
    toSdk.write(line({ jsonrpc: "2.0", id: 4, method: "ping" }));
    const answer = JSON.parse(await direct.out.next()) as { id: number; result: CallToolResult };
    assert.equal(answer.id, 2);
    assert.notEqual(answer.result.isError, true);
    const forwarded: string[] = [];
    while (!forwarded.some((text) => text.includes('"ping"'))) forwarded.push(await passed.next());
    assert.ok(!forwarded.some((text) => text.includes(String(asked.id))), "the SDK never sees the answer to our question");
    assert.ok(forwarded.some((text) => text.includes("prompts/list")));
    assert.equal(direct.calls.claims({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 99 } }), false, "not ours: the SDK's");
    toSdk.end();
  });

  it("leaves to the SDK a call it would read otherwise, and a call before initialize", async () => {
    const refused = [
      { ...call(2, "clusters_list", {}), params: { name: "clusters_list", arguments: {}, task: { ttl: 1 } } },
      call(2, "clusters_list", {}, { progressToken: 1, other: true }),
      call(2, "clusters_list", {}, { progressToken: 1.5 }),
      { ...call(2, "clusters_list"), params: { name: "clusters_list", arguments: [] } },
      { ...call(2, "clusters_list"), params: { name: 5 } },
      { jsonrpc: "2.0", id: 2, method: "ping", params: { _meta: {} } },
      { jsonrpc: "2.0", id: 2, method: "prompts/list" },
    ];
    for (const message of refused) {
      const direct = directServer(await hostOf("read"));
      await converse(direct, [initialize(), INITIALIZED]);
      direct.stdin.write(line(message));
      const handover = await direct.handover;
      assert.equal(handover.ended, false, JSON.stringify(message));
      assert.equal(direct.calls.running, 0);
      await direct.close();
    }
    const early = directServer(await hostOf("read"));
    early.stdin.write(line(call(2, "clusters_list", {})));
    assert.equal((await early.handover).ended, false, "the SDK refuses a call before initialize");
    await early.close();
  });

  it("projects a result as the SDK's server does", () => {
    const plain: CallToolResult = { content: [{ type: "text", text: "a" }], structuredContent: { a: 1 } };
    assert.equal(projectCallToolResult(plain), plain);
    assert.deepEqual(projectCallToolResult({ content: [], structuredContent: [1] as unknown as Json }), {
      content: [{ type: "text", text: "[1]" }],
      structuredContent: { result: [1] },
    });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}
