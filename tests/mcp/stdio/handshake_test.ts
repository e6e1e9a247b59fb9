/**
 * The handshake answered before the SDK loads writes exactly what the SDK's own server writes, byte
 * for byte, for every handshake it answers; everything else it hands over unanswered, in order, with
 * the client's initialize and initialized replayed first.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { PassThrough } from "node:stream";
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import {
  answerHandshake,
  type Handover,
  type HandshakeOptions,
  HANDSHAKE_PROTOCOL_VERSIONS,
  readHandshakeMessage,
  REPLAYED_INITIALIZE_ID,
  TOOLS_LIST_CHANGED,
} from "../../../src/mcp/stdio/handshake.ts";
import { serverCapabilities, serverInfo, tierInstructions } from "../../../src/mcp/host/identity.ts";
import { createTierServer } from "../../../src/mcp/host/sdk_server.ts";
import { createTierHost } from "../../../src/mcp/host/tier_host.ts";
import { TIERS, type Tier } from "../../../src/policy/tier.ts";
import { baselineCatalog } from "../../../src/catalog/load.ts";
import { baselineOperations, signedIn, stubApi } from "../_support.ts";

const INITIALIZE = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "test", version: "1.0.0" } } };
const INITIALIZED = { jsonrpc: "2.0", method: "notifications/initialized" };
const TOOLS_LIST = { jsonrpc: "2.0", id: 2, method: "tools/list" };

const line = (message: unknown) => `${JSON.stringify(message)}\n`;
const initialize = (params: Record<string, unknown>, id: unknown = 1) => ({ ...INITIALIZE, id, params: { ...INITIALIZE.params, ...params } });

/** Collects a stream's text and wakes waiters for a number of lines. */
function collect(stream: PassThrough): { text(): string; lines(count: number): Promise<string[]> } {
  let text = "";
  const waiters: Array<() => void> = [];
  stream.on("data", (chunk: Buffer | string) => {
    text += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  const complete = () => text.split("\n").slice(0, -1);
  return {
    text: () => text,
    lines: async (count) => {
      while (complete().length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return complete();
    },
  };
}

/** What the SDK's own server writes for `input`, which must hold `answers` requests. */
async function sdkAnswers(tier: Tier, input: string, answers: number, defaultClusterId?: string): Promise<string[]> {
  const tierServer = await createTierServer(tier, {
    session: signedIn(stubApi(), defaultClusterId),
    operations: baselineOperations(),
    catalogVersion: baselineCatalog().version,
    watchIntervalMs: 0,
  });
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const out = collect(stdout);
  await tierServer.server.connect(new StdioServerTransport(stdin, stdout));
  stdin.write(input);
  try {
    return await out.lines(answers);
  } finally {
    await tierServer.close();
  }
}

/** What the handshake writes for `input`, and where it handed over. */
async function handshakeAnswers(tier: Tier, input: string | Buffer[], options: { end?: boolean; defaultClusterId?: string } = {}) {
  const host = await createTierHost(tier, { session: signedIn(stubApi(), options.defaultClusterId), operations: baselineOperations(), catalogVersion: baselineCatalog().version });
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const out = collect(stdout);
  const handshake = answerHandshake({
    input: stdin,
    output: stdout,
    identity: { serverInfo: serverInfo(tier), capabilities: serverCapabilities(), instructions: tierInstructions(tier) },
    listTools: () => host.listTools(),
  });
  for (const chunk of typeof input === "string" ? [input] : input) stdin.write(chunk);
  if (options.end === true) stdin.end();
  return { stdin, out, handshake };
}

/** A handshake of the read tier over fresh pipes, listing whatever `listTools` gives. */
function listingHandshake(listTools: HandshakeOptions["listTools"]) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const out = collect(stdout);
  const handshake = answerHandshake({ input: stdin, output: stdout, identity: { serverInfo: serverInfo("read"), capabilities: serverCapabilities() }, listTools });
  return { stdin, out, handshake };
}

/** Everything a handover passes on, as text, once stdin has ended. */
async function forwarded(handover: Handover, stdin: PassThrough): Promise<string> {
  assert.equal(handover.ended, false);
  if (handover.ended) return "";
  const sink = new PassThrough();
  const text = collect(sink);
  const done = new Promise((resolve) => sink.on("end", resolve));
  handover.pipeTo(sink);
  stdin.end();
  await done;
  return text.text();
}

describe("the handshake answered before the SDK loads", () => {
  it("knows the protocol versions the SDK agrees to, in the SDK's order", () => {
    assert.deepEqual(HANDSHAKE_PROTOCOL_VERSIONS, SUPPORTED_PROTOCOL_VERSIONS);
  });

  for (const tier of TIERS) {
    for (const defaultClusterId of [undefined, "i4y"]) {
      it(`answers initialize and tools/list of ${tier}${defaultClusterId === undefined ? "" : " with a default cluster"} byte for byte as the SDK`, async () => {
        const input = line(INITIALIZE) + line(INITIALIZED) + line(TOOLS_LIST);
        const expected = await sdkAnswers(tier, input, 2, defaultClusterId);
        const { out } = await handshakeAnswers(tier, input, { defaultClusterId });
        assert.deepEqual(await out.lines(2), expected);
      });
    }
  }

  const variants: Array<[string, unknown[]]> = [
    ...HANDSHAKE_PROTOCOL_VERSIONS.map((version): [string, unknown[]] => [`protocol version ${version}`, [initialize({ protocolVersion: version })]]),
    ["string ids", [initialize({}, "a-1"), INITIALIZED, { ...TOOLS_LIST, id: "b-2" }]],
    ["id 0", [initialize({}, 0), INITIALIZED, { ...TOOLS_LIST, id: 7 }]],
    ["roots, sampling and elicitation capabilities", [initialize({ capabilities: { roots: { listChanged: true }, sampling: {}, elicitation: {} } })]],
    ["form and url elicitation", [initialize({ capabilities: { elicitation: { form: { applyDefaults: true }, url: {} } } })]],
    ["experimental and extension capabilities", [initialize({ capabilities: { experimental: { x: { on: true } }, extensions: { "io.example/ext": {} } } })]],
    ["a described client", [initialize({ clientInfo: { name: "c", version: "2", title: "C", websiteUrl: "https://c.example", description: "a client" } })]],
    ["tools/list with a cursor", [INITIALIZE, INITIALIZED, { ...TOOLS_LIST, params: { cursor: "next" } }]],
    ["tools/list with empty params, without initialized", [INITIALIZE, { ...TOOLS_LIST, params: {} }]],
  ];
  for (const [name, messages] of variants) {
    it(`answers ${name} as the SDK does`, async () => {
      const input = messages.map(line).join("");
      const requests = messages.filter((message) => (message as { id?: unknown }).id !== undefined).length;
      const expected = await sdkAnswers("read", input, requests);
      const { out } = await handshakeAnswers("read", input);
      assert.deepEqual(await out.lines(requests), expected);
    });
  }

  const refused: Array<[string, unknown]> = [
    ["a request _meta", initialize({ _meta: { progressToken: 1 } })],
    ["an unknown params key", initialize({ extra: true })],
    ["a protocol version the SDK would not echo", initialize({ protocolVersion: "2026-07-28" })],
    ["an unknown protocol version", initialize({ protocolVersion: "1999-01-01" })],
    ["the tasks capability", initialize({ capabilities: { tasks: {} } })],
    ["an unknown capability", initialize({ capabilities: { telepathy: {} } })],
    ["a mistyped capability", initialize({ capabilities: { roots: { listChanged: "yes" } } })],
    ["a capability that is no object", initialize({ capabilities: { sampling: true } })],
    ["client icons", initialize({ clientInfo: { name: "c", version: "1", icons: [] } })],
    ["a client without a version", initialize({ clientInfo: { name: "c" } })],
    ["a fractional id", initialize({}, 1.5)],
    ["a null id", initialize({}, null)],
    ["an extra top-level key", { ...INITIALIZE, extra: 1 }],
    ["another JSON-RPC version", { ...INITIALIZE, jsonrpc: "1.0" }],
    ["initialized with params", { ...INITIALIZED, params: {} }],
    ["a tools/list cursor that is no string", { ...TOOLS_LIST, params: { cursor: 3 } }],
    ["a tools/list _meta", { ...TOOLS_LIST, params: { _meta: {} } }],
    ["any other method", { jsonrpc: "2.0", id: 3, method: "prompts/list" }],
  ];
  for (const [name, message] of refused) {
    it(`leaves ${name} to the SDK`, () => {
      assert.equal(readHandshakeMessage(JSON.stringify(message)), undefined);
    });
  }

  it("hands over at the first other message: the replay, then every byte it did not answer, then stdin", async () => {
    const prompts = line({ jsonrpc: "2.0", id: 3, method: "prompts/list" });
    const later = line({ jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "clusters_list", arguments: {} } });
    const { stdin, out, handshake } = await handshakeAnswers("read", line(INITIALIZE) + line(INITIALIZED) + line(TOOLS_LIST) + prompts + '{"jsonrpc":"2.0","id":5');
    const handover = await handshake.handover;
    assert.equal(out.text().split("\n").length - 1, 2);
    stdin.write(`,"method":"ping"}\n${later}`);
    const text = await forwarded(handover, stdin);
    const replayed = JSON.stringify({ ...INITIALIZE, id: REPLAYED_INITIALIZE_ID });
    assert.equal(text, `${replayed}\n${line(INITIALIZED)}${prompts}{"jsonrpc":"2.0","id":5,"method":"ping"}\n${later}`);
  });

  it("hands over before initialize without a replay when the first message is not its own", async () => {
    const prompts = line({ jsonrpc: "2.0", id: 1, method: "prompts/list" });
    const { stdin, out, handshake } = await handshakeAnswers("read", prompts + line(INITIALIZE));
    const handover = await handshake.handover;
    assert.equal(handover.ended === false && handover.replaysInitialize, false);
    assert.equal(await forwarded(handover, stdin), prompts + line(INITIALIZE));
    assert.equal(out.text(), "");
  });

  it("hands over a line that is not UTF-8 or not JSON, and a second initialize, unanswered", async () => {
    for (const bad of [Buffer.from([0x7b, 0xff, 0x7d, 0x0a]), Buffer.from("this is {not json\n"), Buffer.from(line(INITIALIZE))]) {
      const { stdin, handshake } = await handshakeAnswers("read", [Buffer.from(line(INITIALIZE)), bad]);
      const handover = await handshake.handover;
      const text = await forwarded(handover, stdin);
      assert.ok(text.endsWith(bad.toString()), text);
    }
  });

  it("hands over a line longer than it reads before the line is complete", async () => {
    const { stdin, handshake } = await handshakeAnswers("read", [Buffer.from(line(INITIALIZE)), Buffer.from(`{"pad":"${"x".repeat(300_000)}`)]);
    const handover = await handshake.handover;
    const text = await forwarded(handover, stdin);
    assert.ok(text.endsWith(`${"x".repeat(1_000)}`));
  });

  it("ignores blank lines, and ends with stdin when nothing is left to answer", async () => {
    const { out, handshake } = await handshakeAnswers("read", `\n  \n${line(INITIALIZE)}\n`, { end: true });
    assert.deepEqual(await handshake.handover, { ended: true });
    assert.equal((await out.lines(1)).length, 1);
  });

  it("hands over a last line without its newline when stdin ends", async () => {
    const { handshake } = await handshakeAnswers("read", line(INITIALIZE) + JSON.stringify(TOOLS_LIST), { end: true });
    const handover = await handshake.handover;
    assert.equal(handover.ended, false);
  });

  it("hands over tools/list when it has no listing of its own to give (one the SDK would rewrite)", async () => {
    const { stdin, handshake } = listingHandshake(() => Promise.resolve(undefined));
    stdin.write(line(INITIALIZE) + line(TOOLS_LIST));
    const handover = await handshake.handover;
    assert.ok((await forwarded(handover, stdin)).endsWith(line(TOOLS_LIST)));
  });

  it("announces replaced tools with the very line the SDK's server writes", async () => {
    const tierServer = await createTierServer("read", { session: signedIn(stubApi()), operations: baselineOperations(), catalogVersion: baselineCatalog().version, watchIntervalMs: 0 });
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const out = collect(stdout);
    try {
      await tierServer.server.connect(new StdioServerTransport(stdin, stdout));
      stdin.write(line(INITIALIZE) + line(INITIALIZED));
      await out.lines(1);
      await tierServer.server.sendToolListChanged();
      assert.equal(`${(await out.lines(2))[1]}\n`, TOOLS_LIST_CHANGED);
    } finally {
      await tierServer.close();
    }
  });

  it("announces replaced tools once initialize is answered, and leaves it to the SDK's server after a handover", async () => {
    let tools: unknown[] = [{ name: "first", inputSchema: { type: "object" } }];
    const { stdin, out, handshake } = listingHandshake(() => Promise.resolve(tools));
    // Before initialize is answered the client has listed nothing: nothing to announce, and nothing for the SDK to announce either.
    assert.equal(handshake.toolsChanged(), true);
    assert.equal(out.text(), "");
    stdin.write(line(INITIALIZE) + line(INITIALIZED) + line(TOOLS_LIST));
    const [, listed] = await out.lines(2);
    assert.deepEqual((JSON.parse(listed!) as { result: { tools: unknown[] } }).result.tools, tools);
    tools = [{ name: "second", inputSchema: { type: "object" } }];
    assert.equal(handshake.toolsChanged(), true);
    stdin.write(line({ ...TOOLS_LIST, id: 3 }));
    const after = await out.lines(4);
    assert.equal(`${after[2]}\n`, TOOLS_LIST_CHANGED);
    assert.deepEqual(JSON.parse(after[3]!), { result: { tools }, jsonrpc: "2.0", id: 3 });
    stdin.write(line({ jsonrpc: "2.0", id: 4, method: "prompts/list" }));
    const handover = await handshake.handover;
    assert.equal(handshake.toolsChanged(), false, "after the handover the SDK's server announces");
    assert.equal(out.text().split("\n").length - 1, 4, "nothing more was written");
    assert.ok((await forwarded(handover, stdin)).endsWith(line({ jsonrpc: "2.0", id: 4, method: "prompts/list" })));
  });

  it("lists again when the tools were replaced while it listed them: the answer is never older than the announcement", async () => {
    let listings = 0;
    const { stdin, out, handshake }: ReturnType<typeof listingHandshake> = listingHandshake(() => {
      listings++;
      // The first listing is overtaken by a replacement, announced before its answer is written.
      if (listings === 1) handshake.toolsChanged();
      return Promise.resolve([{ name: `listing-${listings}`, inputSchema: { type: "object" } }]);
    });
    stdin.write(line(INITIALIZE) + line(TOOLS_LIST));
    const [, announced, listed] = await out.lines(3);
    assert.equal(`${announced}\n`, TOOLS_LIST_CHANGED);
    assert.deepEqual((JSON.parse(listed!) as { result: { tools: Array<{ name: string }> } }).result.tools.map((tool) => tool.name), ["listing-2"]);
  });
});
