/**
 * The handshake and the screen in front of the SDK read stdin with one splitter (lines.ts): a line the
 * handshake meets before the handover gets the answer the screen gives it after, whether the
 * handshake answers it itself (a line over the cap) or hands it over (anything else it does not
 * answer), and whatever reads the bytes arrive in.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { PassThrough, type Readable } from "node:stream";
import { answerHandshake, type Handover } from "../../../src/mcp/stdio/handshake.ts";
import { MAX_MESSAGE_BYTES } from "../../../src/mcp/stdio/lines.ts";
import { screenUnparsableLines } from "../../../src/mcp/stdio/sdk_stdio.ts";
import { serverCapabilities, serverInfo } from "../../../src/mcp/host/identity.ts";

const INITIALIZE = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "test", version: "1.0.0" } } };
/** A request the handshake never answers itself. */
const OTHER = { jsonrpc: "2.0", id: 2, method: "prompts/list" };
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const line = (message: unknown) => Buffer.from(`${JSON.stringify(message)}\n`);
/** A request padded past `bytes`, its id first as clients send it. */
const padded = (id: number, bytes: number) => `{"jsonrpc":"2.0","id":${id},"method":"ping","params":{"pad":"${"x".repeat(bytes)}"}}`;

/** Lines a client may send that the handshake does not answer as its own, each ending in a newline. */
const UNANSWERED: Array<[string, Buffer[]]> = [
  ["a request not UTF-8 inside a string", [Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":"u-1","method":"ping","params":{"q":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}\n')])]],
  ["a line that is not JSON", [Buffer.from("this is {not json\n")]],
  ["JSON that is no JSON-RPC message", [Buffer.from('{"jsonrpc":"2.0","id":103,"method":"tools/list","params":null}\n')]],
  ["a message behind a byte-order mark", [Buffer.concat([BOM, line(OTHER)])]],
  ["a message behind two byte-order marks", [Buffer.concat([BOM, BOM, line(OTHER)])]],
  ["a message ending in CRLF", [Buffer.from(`${JSON.stringify(OTHER)}\r\n`)]],
  ["blank lines", [Buffer.from("\n \r\n\t\n")]],
  ["a line over the cap in one read", [Buffer.from(`${padded(9, MAX_MESSAGE_BYTES)}\n`)]],
  ["a line over the cap in many reads", chunked(Buffer.from(`${padded(10, MAX_MESSAGE_BYTES)}\n`), 64 * 1024)],
  ["a line over the cap before its newline arrives", [Buffer.from(padded(11, MAX_MESSAGE_BYTES + 10)), Buffer.from("tail of it\n")]],
];

function chunked(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

/** What the screen answers and passes on for `input`, once it has ended. */
async function screened(input: Readable): Promise<{ replies: string[]; passed: string }> {
  const replies: string[] = [];
  const output = screenUnparsableLines(input, (message) => replies.push(JSON.stringify(message)));
  const passed: Buffer[] = [];
  output.on("data", (chunk: Buffer) => passed.push(chunk));
  await new Promise((resolve) => output.on("end", resolve));
  return { replies, passed: Buffer.concat(passed).toString("utf8") };
}

/** The screen alone, as after the handover. */
function screenAlone(chunks: Buffer[]): Promise<{ replies: string[]; passed: string }> {
  const input = new PassThrough();
  const result = screened(input);
  for (const chunk of chunks) input.write(chunk);
  input.end();
  return result;
}

/** A handshake on its own stdin, and the lines it writes to stdout as they come. */
function startHandshake(maxLineBytes?: number) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const written: string[] = [];
  const waiters: Array<() => void> = [];
  stdout.on("data", (chunk: Buffer | string) => {
    written.push(...chunk.toString().split("\n").filter((text) => text !== ""));
    for (const wake of waiters.splice(0)) wake();
  });
  const handshake = answerHandshake({
    input: stdin,
    output: stdout,
    identity: { serverInfo: serverInfo("read"), capabilities: serverCapabilities() },
    listTools: () => Promise.resolve([]),
    ...(maxLineBytes === undefined ? {} : { maxLineBytes }),
  });
  /** The first `count` lines written, once there are that many. */
  const lines = async (count: number): Promise<string[]> => {
    while (written.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    return written.slice(0, count);
  };
  return { stdin, handshake, written, lines };
}

/** Where the handshake handed over: its handover, which must not be the end of stdin. */
async function handedOver(handshake: { readonly handover: Promise<Handover> }): Promise<Extract<Handover, { ended: false }>> {
  const handover = await handshake.handover;
  assert.equal(handover.ended, false);
  return handover as Extract<Handover, { ended: false }>;
}

/**
 * The handshake, then the screen from where it hands over: what both answer (the handshake's answer
 * to initialize aside) and what the screen passes on (the replayed initialize aside).
 */
async function handshakeThenScreen(chunks: Buffer[]): Promise<{ replies: string[]; passed: string }> {
  const { stdin, handshake, written } = startHandshake();
  for (const chunk of chunks) stdin.write(chunk);
  const handover = await handedOver(handshake);
  const toScreen = new PassThrough();
  const result = screened(toScreen);
  handover.pipeTo(toScreen);
  stdin.end();
  const { replies, passed } = await result;
  const answered = written.filter((text) => (JSON.parse(text) as { id?: unknown }).id !== INITIALIZE.id);
  return { replies: [...answered, ...replies], passed: withoutReplay(passed) };
}

/** What the screen passed on after the handover, minus the replayed initialize that comes first. */
const withoutReplay = (passed: string) => passed.split("\n").slice(1).join("\n");

describe("the handshake reads a line as the screen does", () => {
  for (const [name, chunks] of UNANSWERED) {
    it(`treats ${name} before the handover as the screen does after it`, async () => {
      const before = await handshakeThenScreen([line(INITIALIZE), ...chunks, line(OTHER)]);
      const after = await screenAlone([...chunks, line(OTHER)]);
      assert.deepEqual(before, after);
      assert.ok(after.passed.endsWith(`${JSON.stringify(OTHER)}\n`), after.passed);
    });
  }

  it("answers a line over the cap itself, as the screen does, and goes on with the handshake", async () => {
    const { stdin, handshake, lines } = startHandshake();
    // An initialize the handshake would answer, were it not over the cap: the screen refuses it.
    const huge = { ...INITIALIZE, id: 7, params: { ...INITIALIZE.params, clientInfo: { name: "c", version: "1", description: "d".repeat(MAX_MESSAGE_BYTES) } } };
    stdin.write(Buffer.concat([line(huge), line(INITIALIZE)]));
    const [refused, initialized] = await lines(2);
    assert.deepEqual(JSON.parse(refused!), { jsonrpc: "2.0", id: 7, error: { code: -32600, message: `Invalid Request: message larger than ${MAX_MESSAGE_BYTES} bytes` } });
    assert.deepEqual((await screenAlone([line(huge)])).replies, [refused]);
    assert.equal((JSON.parse(initialized!) as { id: unknown }).id, 1);
    stdin.end();
    assert.deepEqual(await handshake.handover, { ended: true });
  });

  it("hands over a complete line longer than it reads, as it does one still arriving", async () => {
    const { stdin, handshake, written } = startHandshake(1_024);
    const long = line({ ...INITIALIZE, params: { ...INITIALIZE.params, clientInfo: { name: "c", version: "1", description: "d".repeat(2_000) } } });
    stdin.write(long);
    const handover = await handedOver(handshake);
    assert.deepEqual(written, [], "not answered by the handshake");
    const sink = new PassThrough();
    const forwarded: Buffer[] = [];
    sink.on("data", (chunk: Buffer) => forwarded.push(chunk));
    const done = new Promise((resolve) => sink.on("end", resolve));
    handover.pipeTo(sink);
    stdin.end();
    await done;
    assert.equal(Buffer.concat(forwarded).toString("utf8"), long.toString("utf8"), "as sent, with no replay: nothing was answered");
  });
});
