/**
 * A bounded, seeded fuzz of what a hostile client can send: raw lines into the stdio screen, and
 * JSON-RPC requests with generated tool names and argument values into every tier's server. Holds:
 * every request is answered once, with its id; no internal error; no crash; a read tier sends no
 * mutating request; no destructive call reaches the API without the token its preview answered.
 * `FUZZ_MESSAGES` sets the size (`make test`: 2,000 per part; `make fuzz`: 12,000); `FUZZ_SEED` the seed.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { Buffer } from "node:buffer";
import { PassThrough } from "node:stream";
import { InMemoryTransport, type JSONRPCMessage } from "@modelcontextprotocol/server";
import type { ApiRequest } from "../../src/api/client.ts";
import { screenUnparsableLines } from "../../src/mcp/stdio/sdk_stdio.ts";
import { createTierServer } from "../../src/mcp/host/sdk_server.ts";
import { TIERS } from "../../src/policy/tier.ts";
import { baselineOperations } from "../mcp/_support.ts";
import { sampleArgs } from "../_harness/sample_args.ts";
import { WRITING_TIERS } from "../_harness/tier_powers.ts";
import { randomFor } from "../../scripts/catalog_gen/random.ts";

const MESSAGES = Number(process.env.FUZZ_MESSAGES ?? 2_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

/** The catalog generator's seeded generator (mulberry32), so a failure can be replayed with its seed. */
function generator(seed: number) {
  const random = randomFor(String(seed));
  return { next: random.next, int: (n: number) => random.int(0, n - 1), pick: random.pick };
}

const STRINGS = ["", " ", "..", ".", "i4y", "i4y (Production)", "Bad_Cid", "\ud800", "é".repeat(40), "x".repeat(3_000), "'; DROP TABLE users; --", "../../etc/passwd", "%2e%2e", "\u0000", "true", "1e309", "null", "👩‍💻", "__proto__"];

function value(random: ReturnType<typeof generator>, depth = 0): unknown {
  switch (random.int(depth > 3 ? 5 : 8)) {
    case 0: return random.pick(STRINGS);
    case 1: return random.pick([0, -1, 1.5, 2 ** 53, Number.MAX_SAFE_INTEGER, 7]);
    case 2: return random.pick([true, false]);
    case 3: return null;
    case 4: return random.pick(["true", "yes", 1]);
    case 5: return Array.from({ length: random.int(4) }, () => value(random, depth + 1));
    case 6: return Object.fromEntries(Array.from({ length: random.int(4) }, () => [random.pick(["a", "constructor", "readWrite", "flags", "confirm", "cid", "id"]), value(random, depth + 1)]));
    default: return random.pick(STRINGS).repeat(random.int(3));
  }
}

describe("fuzz: the stdio screen", () => {
  it(`answers ${MESSAGES} generated lines one each, passing only JSON-RPC on, and never throws`, async () => {
    const random = generator(SEED);
    const input = new PassThrough();
    const replies: JSONRPCMessage[] = [];
    const output = screenUnparsableLines(input, (message) => replies.push(message), 64 * 1024);
    let passed = 0;
    output.on("data", (chunk: Buffer) => (passed += chunk.toString("utf8").split("\n").length - 1));
    const ended = new Promise((resolve) => output.on("end", resolve));
    let expectAnswer = 0;
    let expectPass = 0;
    for (let i = 0; i < MESSAGES; i++) {
      const kind = random.int(5);
      if (kind === 0) {
        const bytes = Buffer.from(Array.from({ length: 1 + random.int(60) }, () => random.pick([0x7b, 0x22, 0xff, 0xc3, 0x41, 0x20, 0x5b, 0x7d]))).toString("latin1");
        input.write(`${bytes}\n`, "latin1");
        if (bytes.trim() !== "") expectAnswer++; // bytes that are not JSON (or not UTF-8); a blank line is skipped unanswered
      } else if (kind === 1) {
        input.write(`${JSON.stringify(value(random))}\n`);
        expectAnswer++; // JSON, but no JSON-RPC message
      } else if (kind === 2) {
        input.write(`${JSON.stringify({ jsonrpc: "2.0", id: i, method: random.pick(["ping", "tools/list", "tools/call"]), params: { name: "x" } })}\n`);
        expectPass++;
      } else if (kind === 3) {
        input.write(`{"jsonrpc":"2.0","id":${i},"method":"ping","params":{"pad":"${"y".repeat(70 * 1024)}"}}\n`);
        expectAnswer++; // over the line limit
      } else {
        const line = `${JSON.stringify({ jsonrpc: "2.0", method: "notifications/progress", params: { text: random.pick(STRINGS) } })}\n`;
        const cut = random.int(line.length);
        input.write(Buffer.from(line).subarray(0, cut));
        input.write(Buffer.from(line).subarray(cut));
        expectPass++;
      }
    }
    input.end();
    await ended;
    assert.equal(passed, expectPass);
    // A line of bytes can happen to be valid JSON (e.g. `"A"`): then it is answered -32600, still once.
    assert.equal(replies.length, expectAnswer);
    for (const reply of replies) assert.ok([-32700, -32600].includes((reply as { error: { code: number } }).error.code));
  });
});

for (const tier of TIERS) {
  describe(`fuzz: mcp serve ${tier}`, () => {
    it(`answers ${MESSAGES} generated requests once each, with their id, without an internal error or a forbidden request`, { timeout: 120_000 }, async () => {
      const random = generator(SEED + tier.length);
      const sent: ApiRequest[] = [];
      const client = { send: (request: ApiRequest) => (sent.push(request), Promise.resolve(request.method === "GET" ? [{ id: "x1" }] : { ok: true })) };
      const operations = baselineOperations();
      const tierServer = await createTierServer(tier, { session: { authenticated: true, accountId: "acme", defaultClusterId: "i4y", client }, operations, watchIntervalMs: 0, jobWaitMs: 5, jobPollMs: 1 });
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      const answers = new Map<unknown, JSONRPCMessage[]>();
      clientSide.onmessage = (message) => {
        const id = (message as { id?: unknown }).id;
        if (id !== undefined) answers.set(id, [...(answers.get(id) ?? []), message]);
      };
      await tierServer.server.connect(serverSide);
      await clientSide.start();
      await clientSide.send({ jsonrpc: "2.0", id: "init", method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "fuzz", version: "0" } } });
      await clientSide.send({ jsonrpc: "2.0", method: "notifications/initialized" });
      const names = [...operations.map((operation) => operation.toolName), "manifest_update", "jobs_follow", "call_tool", "nope", ""];
      for (let i = 0; i < MESSAGES; i++) {
        const name = random.pick(names);
        // From a well-formed call, mutated: half stay valid, so the fuzz reaches the API as well as the refusals.
        const operation = operations.find((candidate) => candidate.toolName === name);
        const args: unknown = random.int(8) === 0 ? value(random) : { ...(operation === undefined ? {} : sampleArgs(operation)) };
        if (args !== null && typeof args === "object" && !Array.isArray(args)) {
          const record = args as Record<string, unknown>;
          if (random.int(3) === 0) record.confirm = true;
          for (let k = random.int(2) === 0 ? 0 : 1 + random.int(2); k > 0; k--) {
            record[random.pick(["id", "cid", "name", "query", "readWrite", "confirm", "replicas", "flags", "vars", "bucket", ...Object.keys(record)])] = value(random);
          }
        }
        const method = random.int(10) === 0 ? random.pick(["tools/list", "ping", "resources/list", "nope/method"]) : "tools/call";
        await clientSide.send({ jsonrpc: "2.0", id: i, method, params: method === "tools/call" ? { name, arguments: args } : {} } as JSONRPCMessage);
      }
      const deadline = Date.now() + 60_000;
      while (answers.size < MESSAGES + 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      await tierServer.close();
      assert.equal(answers.size, MESSAGES + 1, "every request answered");
      for (const [id, list] of answers) {
        assert.equal(list.length, 1, `request ${String(id)} answered ${list.length} times`);
        const error = (list[0] as { error?: { code: number; message: string } }).error;
        assert.ok(error === undefined || error.code !== -32603, `request ${String(id)}: internal error ${error?.message}`);
        const text = JSON.stringify(list[0]);
        assert.ok(!text.includes("internal error"), `request ${String(id)}: ${text.slice(0, 300)}`);
      }
      if (!WRITING_TIERS.has(tier)) assert.deepEqual(sent.filter((request) => request.method !== "GET" && !request.path.endsWith("/exec-sql")).map((request) => `${request.method} ${request.path}`), []);
      assert.ok(sent.length > MESSAGES / 50, `only ${sent.length} of ${MESSAGES} generated calls reached the API: the fuzz is not exercising the call path`);
      // Only a call carrying its preview's token may delete, and no fuzzed call holds one: no DELETE at all.
      const deletes = sent.filter((request) => request.method === "DELETE").length;
      if (process.env.FUZZ_VERBOSE) console.error(tier, { sent: sent.length, deletes });
      assert.equal(deletes, 0, `${deletes} DELETEs without a confirmation token`);
    });
  });
}
