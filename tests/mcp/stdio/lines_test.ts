/**
 * The one splitter both readers of stdin use (the handshake and the screen in front of the SDK): what
 * a line is, whatever the reads it arrives in.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { LEADING_BYTES, type Line, LineSplitter } from "../../../src/mcp/stdio/lines.ts";

/** Everything the splitter yields for `chunks`, each written then drained; `end` ends the input. */
function split(chunks: (string | Buffer)[], options: { limit?: number; end?: boolean } = {}): Line[] {
  const lines = new LineSplitter(options.limit);
  const out: Line[] = [];
  const drain = () => {
    for (let line = lines.next(); line !== undefined; line = lines.next()) out.push(line);
  };
  for (const chunk of chunks) {
    lines.write(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk);
    drain();
  }
  if (options.end === true) {
    lines.end();
    drain();
  }
  return out;
}

/** A line's content as text, or `oversized:<its start>` for a line over the cap. */
function shown(line: Line): string {
  return line.kind === "line" ? line.bytes.toString("utf8") : `oversized:${line.start.toString("utf8")}`;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** A sample with 2-, 3- and 4-byte UTF-8 sequences. */
const MULTIBYTE_SAMPLE = "café naïve € 日本語 𝄞 👩‍💻";

describe("LineSplitter", () => {
  it("cuts a line at each newline and keeps the start of the next one until it is complete", () => {
    const lines = new LineSplitter();
    lines.write(Buffer.from('{"a":1}\n{"b":'));
    assert.equal(shown(lines.next()!), '{"a":1}');
    assert.equal(lines.next(), undefined);
    assert.equal(lines.heldBytes, 5);
    lines.write(Buffer.from('2}\n{"c":3}\n'));
    assert.deepEqual([shown(lines.next()!), shown(lines.next()!)], ['{"b":2}', '{"c":3}']);
    assert.equal(lines.next(), undefined);
    assert.equal(lines.heldBytes, 0);
  });

  it("keeps a character whole when a read splits it, at every byte of every multi-byte sequence", () => {
    const bytes = Buffer.from(`${MULTIBYTE_SAMPLE}\n`, "utf8");
    for (let cut = 1; cut < bytes.length; cut++) {
      const lines = split([bytes.subarray(0, cut), bytes.subarray(cut)]);
      assert.deepEqual(lines.map(shown), [MULTIBYTE_SAMPLE], `cut at byte ${cut}`);
    }
    const byteByByte = split([...bytes].map((byte) => Buffer.from([byte])));
    assert.deepEqual(byteByByte.map(shown), [MULTIBYTE_SAMPLE]);
  });

  it("takes the carriage return of a CRLF off a line's content, and keeps it in what was sent", () => {
    const lines = split(["one\r\ntwo\r", "\nthree\rstill three\n"]);
    assert.deepEqual(lines.map(shown), ["one", "two", "three\rstill three"]);
    assert.deepEqual(lines.map((line) => line.kind === "line" && line.sent.toString("utf8")), ["one\r", "two\r", "three\rstill three"]);
  });

  it("yields empty lines as empty", () => {
    assert.deepEqual(split(["\n\r\n", "\n"]).map(shown), ["", "", ""]);
  });

  it("takes one byte-order mark off a line's start, even when a read splits it; a second one stays", () => {
    const marked = Buffer.concat([BOM, Buffer.from('{"a":1}\n')]);
    for (let cut = 1; cut <= BOM.length; cut++) {
      const [line] = split([marked.subarray(0, cut), marked.subarray(cut)]);
      assert.equal(shown(line!), '{"a":1}', `cut at byte ${cut}`);
      assert.deepEqual(line!.kind === "line" && [...line.sent.subarray(0, 3)], [...BOM], "sent as it came");
    }
    const [twice] = split([Buffer.concat([BOM, BOM, Buffer.from("x\n")])]);
    assert.deepEqual(twice!.kind === "line" && [...twice.bytes], [...BOM, 0x78]);
    assert.deepEqual(split([Buffer.concat([Buffer.from("x"), BOM, Buffer.from("\n")])]).map((line) => line.kind === "line" && line.bytes.length), [4], "only at the start");
  });

  it("takes a line of exactly the cap, and refuses one a byte longer, counting the bytes as sent", () => {
    assert.deepEqual(split(["12345678\n"], { limit: 8 }).map(shown), ["12345678"]);
    assert.deepEqual(split(["123456789\nnext\n"], { limit: 8 }).map(shown), ["oversized:123456789", "next"]);
    assert.deepEqual(split(["1234567\r\n"], { limit: 8 }).map(shown), ["1234567"]);
    assert.deepEqual(split(["12345678\r\n"], { limit: 8 }).map(shown), ["oversized:12345678\r"], "a CR counts");
    assert.deepEqual(split([Buffer.concat([BOM, Buffer.from("123456\n")])], { limit: 8 }).map(shown), ["oversized:\ufeff123456"], "a byte-order mark counts");
    const oversized = split(["123456789\n"], { limit: 8 })[0]!;
    assert.equal(oversized.kind === "oversized" && oversized.limit, 8);
  });

  it("reports a line over the cap as soon as it passes it, then drops the rest of it as it arrives", () => {
    const lines = new LineSplitter(8);
    lines.write(Buffer.from("12345"));
    assert.equal(lines.next(), undefined);
    lines.write(Buffer.from("6789"));
    assert.equal(shown(lines.next()!), "oversized:123456789", "before its newline");
    assert.equal(lines.heldBytes, 0);
    lines.write(Buffer.from("x".repeat(100)));
    assert.equal(lines.next(), undefined);
    assert.equal(lines.heldBytes, 0, "nothing of it is kept");
    lines.write(Buffer.from("xx\nok\n"));
    assert.equal(shown(lines.next()!), "ok");
    assert.equal(lines.next(), undefined);
  });

  it("keeps the first bytes of a line over the cap, for its id, and no more", () => {
    const start = '{"jsonrpc":"2.0","id":9,"params":{"pad":"';
    const [line] = split([start, "x".repeat(LEADING_BYTES), "x".repeat(LEADING_BYTES), "\n"], { limit: LEADING_BYTES });
    assert.equal(line!.kind, "oversized");
    if (line!.kind !== "oversized") return;
    assert.equal(line.start.length, LEADING_BYTES);
    assert.ok(line.start.toString("utf8").startsWith(start));
  });

  it("makes a last line without its newline a line once the input ends", () => {
    assert.deepEqual(split(["one\ntwo"]).map(shown), ["one"]);
    assert.deepEqual(split(["one\ntwo"], { end: true }).map(shown), ["one", "two"]);
    assert.deepEqual(split(["one\n"], { end: true }).map(shown), ["one"], "nothing after a last newline");
    assert.deepEqual(split(["123456789"], { limit: 8, end: true }).map(shown), ["oversized:123456789"], "a line over the cap is reported once");
  });

  it("hands off the bytes it has not cut, as sent, for a reader that splits them again", () => {
    const lines = new LineSplitter();
    lines.write(Buffer.from("one\r\ntwo\r\nthr"));
    lines.write(Buffer.from("ee"));
    assert.equal(shown(lines.next()!), "one");
    assert.equal(Buffer.concat(lines.handOff()).toString("utf8"), "two\r\nthree");
    assert.equal(lines.passOn(Buffer.from("\nfour\n")).toString("utf8"), "\nfour\n");
  });

  it("hands off nothing of a line over the cap, and passes on what follows its newline", () => {
    const lines = new LineSplitter(4);
    lines.write(Buffer.from("123456"));
    assert.equal(lines.next()!.kind, "oversized");
    assert.deepEqual(lines.handOff(), []);
    assert.equal(lines.passOn(Buffer.from("789")).length, 0);
    assert.equal(lines.passOn(Buffer.from("0\nnext\n")).toString("utf8"), "next\n");
    assert.equal(lines.passOn(Buffer.from("more\n")).toString("utf8"), "more\n");
  });
});
