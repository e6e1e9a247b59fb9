import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { Buffer } from "node:buffer";
import { screenUnparsableLines } from "../../../src/mcp/stdio/sdk_stdio.ts";
import { leadingId } from "../../../src/mcp/stdio/screen.ts";

async function screen(chunks: (string | Uint8Array)[], maxBytes?: number): Promise<{ passed: string; replies: unknown[] }> {
  const input = new PassThrough();
  const replies: unknown[] = [];
  const output = screenUnparsableLines(input, (message) => replies.push(message), maxBytes);
  const received: Buffer[] = [];
  output.on("data", (chunk: Buffer) => received.push(chunk));
  const ended = new Promise((resolve) => output.on("end", resolve));
  for (const chunk of chunks) input.write(chunk);
  input.end();
  await ended;
  return { passed: Buffer.concat(received).toString("utf8"), replies };
}

/** A sample with 2-, 3- and 4-byte UTF-8 sequences. */
const MULTIBYTE_SAMPLE = "SELECT 'café', 'naïve', '€', '日本語', '𝄞', '👩‍💻'";

describe("screenUnparsableLines()", () => {
  it("passes JSON-RPC messages through whole, even when split across chunks", async () => {
    const { passed, replies } = await screen(['{"jsonrpc":"2.0",', '"id":1,"method":"ping"}\n{"jsonrpc":"2.0","method":"notifications/initialized"', "}\n"]);
    assert.equal(passed, '{"jsonrpc":"2.0","id":1,"method":"ping"}\n{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    assert.deepEqual(replies, []);
  });

  it("answers JSON that is not a JSON-RPC message with -32600, keeping its id so the sender is not left waiting", async () => {
    const { passed, replies } = await screen(['{"jsonrpc":"2.0","id":103,"method":"tools/list","params":null}\n{"a":1}\n']);
    assert.equal(passed, "");
    assert.deepEqual(replies, [
      { jsonrpc: "2.0", id: 103, error: { code: -32600, message: "Invalid Request" } },
      { jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid Request" } },
    ]);
  });

  it("answers each line that is not JSON with a -32700 parse error and keeps it from the SDK", async () => {
    const { passed, replies } = await screen(['this is {not json\n{"jsonrpc":"2.0","id":2,"method":"ping"}\n', "also bad"]);
    assert.equal(passed, '{"jsonrpc":"2.0","id":2,"method":"ping"}\n');
    assert.deepEqual(replies, [
      { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } },
      { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } },
    ]);
  });

  it("ignores blank lines", async () => {
    const { passed, replies } = await screen(["\n  \n"]);
    assert.equal(passed, "");
    assert.deepEqual(replies, []);
  });

  it("keeps a character intact when a read splits it, at every byte of every multi-byte sequence", async () => {
    const line = Buffer.from(`${JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "q", arguments: { query: MULTIBYTE_SAMPLE } } })}\n`, "utf8");
    for (let cut = 1; cut < line.length; cut++) {
      if ((line[cut]! & 0xc0) !== 0x80) continue; // only cuts inside a multi-byte sequence
      const { passed, replies } = await screen([line.subarray(0, cut), line.subarray(cut)]);
      assert.deepEqual(replies, [], `cut at byte ${cut}`);
      assert.equal(JSON.parse(passed).params.arguments.query, MULTIBYTE_SAMPLE, `cut at byte ${cut}`);
    }
  });

  it("keeps a long run of multi-byte characters intact across many small reads", async () => {
    const query = "é".repeat(200_000);
    const bytes = Buffer.from(`${JSON.stringify({ jsonrpc: "2.0", id: 8, method: "ping", params: { query } })}\n`, "utf8");
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += 65_535) chunks.push(bytes.subarray(at, at + 65_535));
    const { passed } = await screen(chunks);
    assert.equal(JSON.parse(passed).params.query, query);
  });

  it("answers a line that is not UTF-8 with a -32700 parse error", async () => {
    const { passed, replies } = await screen([Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a])]);
    assert.equal(passed, "");
    assert.deepEqual(replies, [{ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } }]);
  });

  it("refuses a message over the size limit with one -32600 answer, drops its bytes and serves the next line", async () => {
    const big = `{"jsonrpc":"2.0","id":9,"method":"ping","params":{"pad":"${"x".repeat(5_000)}"}}`;
    const { passed, replies } = await screen([big.slice(0, 2_000), big.slice(2_000), '\n{"jsonrpc":"2.0","id":10,"method":"ping"}\n'], 1_024);
    assert.equal(passed, '{"jsonrpc":"2.0","id":10,"method":"ping"}\n');
    assert.deepEqual(replies, [{ jsonrpc: "2.0", id: 9, error: { code: -32600, message: "Invalid Request: message larger than 1024 bytes" } }], "answered under its own id, which came first");
  });

  it("takes a byte-order mark off a message, which the SDK's parser would drop unanswered", async () => {
    const { passed, replies } = await screen([Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"jsonrpc":"2.0","id":1,"method":"ping"}\n')])]);
    assert.equal(passed, '{"jsonrpc":"2.0","id":1,"method":"ping"}\n');
    assert.deepEqual(replies, []);
  });

  it("answers a request with bytes that are not UTF-8 inside a string under its own id", async () => {
    const line = Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":"req-7","method":"tools/call","params":{"name":"x","arguments":{"q":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}}\n')]);
    const { passed, replies } = await screen([line]);
    assert.equal(passed, "");
    assert.deepEqual(replies, [{ jsonrpc: "2.0", id: "req-7", error: { code: -32700, message: "Parse error" } }]);
  });

  it("reads only a top-level id from a line's start: not one nested in params, not one cut off", () => {
    const cases: [string, string | number | null][] = [
      ['{"jsonrpc":"2.0","id":42,"method":"x"}', 42],
      ['{"method":"x","params":{"id":5},"id":"outer"}', "outer"],
      ['{"method":"x","params":{"id":5}', null],
      ['{"note":"a \\"id\\": 3 inside a string","id":-8}', -8],
      ['{"id":"unterminated', null],
      ['{"id":{"not":"an id"}}', null],
    ];
    for (const [text, id] of cases) assert.equal(leadingId(Buffer.from(text)), id, text);
  });
});
