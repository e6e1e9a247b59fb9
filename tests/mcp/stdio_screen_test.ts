import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { screenUnparsableLines } from "../../src/mcp/stdio.ts";

async function screen(chunks: string[]): Promise<{ passed: string; replies: unknown[] }> {
  const input = new PassThrough();
  const replies: unknown[] = [];
  const output = screenUnparsableLines(input, (message) => replies.push(message));
  let passed = "";
  output.on("data", (chunk: Buffer) => (passed += chunk.toString()));
  const ended = new Promise((resolve) => output.on("end", resolve));
  for (const chunk of chunks) input.write(chunk);
  input.end();
  await ended;
  return { passed, replies };
}

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
});
