/**
 * The HTTP server's slots on their own: admitted up to the limit, refused past it, and given back once
 * an answer is delivered (a streamed one at its end), fails, is dropped by its client, or the request
 * is aborted; each slot given back once only. The server's use of them: overload_test.ts.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { admission, overloadedResponse, RETRY_AFTER_SECONDS } from "../../../src/mcp/http/admission.ts";
import { whenDelivered } from "../../../src/mcp/http/response.ts";
import { streamedAnswer } from "../../_harness/streamed_answer.ts";

describe("HTTP admission", () => {
  it("admits up to the limit, refuses past it, and admits again once a slot is given back", () => {
    const slots = admission(2);
    const first = slots.take();
    const second = slots.take();
    assert.ok(first !== undefined && second !== undefined);
    assert.equal(slots.take(), undefined);
    assert.equal(slots.held(), 2);
    first.release();
    first.release();
    assert.equal(slots.held(), 1, "a slot is given back once, however often it is released");
    assert.ok(slots.take() !== undefined);
    assert.equal(slots.take(), undefined);
  });

  it("holds a streamed answer's slot until its last chunk is read", async () => {
    const slots = admission(1);
    const slot = slots.take()!;
    const answer = streamedAnswer();
    const reader = whenDelivered(answer.response, slot.release).body!.getReader();
    answer.send("event: message\ndata: {\"progress\":1}\n\n");
    await reader.read();
    assert.equal(slots.held(), 1, "a progress notification is not the end");
    answer.end();
    assert.equal((await reader.read()).done, true);
    assert.equal(slots.held(), 0);
  });

  it("gives the slot back when the answer fails mid-stream or its client drops it", async () => {
    const slots = admission(2);
    const failing = streamedAnswer();
    const failed = whenDelivered(failing.response, slots.take()!.release).body!.getReader();
    failing.fail();
    await assert.rejects(failed.read(), /failed mid-stream/);
    const dropped = streamedAnswer();
    const reader = whenDelivered(dropped.response, slots.take()!.release).body!.getReader();
    assert.equal(slots.held(), 1);
    await reader.cancel("the client went away");
    assert.equal(slots.held(), 0);
  });

  it("gives the slot back when the request is aborted before any answer, and admits no request already aborted", () => {
    const slots = admission(1);
    const request = new AbortController();
    assert.ok(slots.take(request.signal) !== undefined);
    assert.equal(slots.take(), undefined);
    request.abort();
    assert.equal(slots.held(), 0);
    assert.equal(slots.take(request.signal), undefined);
    assert.equal(slots.held(), 0);
  });

  it("takes a limit of a whole number of at least 1", () => {
    for (const max of [0, -1, 1.5, Number.NaN]) assert.throws(() => admission(max), RangeError, String(max));
  });

  it("refuses with 503, Retry-After and a JSON-RPC error naming the limit", async () => {
    const response = overloadedResponse(64);
    assert.equal(response.status, 503);
    assert.equal(response.headers.get("retry-after"), String(RETRY_AFTER_SECONDS));
    assert.deepEqual(await response.json(), {
      jsonrpc: "2.0",
      error: { code: -32000, message: "Service Unavailable: too many requests at once (this server takes 64); retry after 1 s" },
      id: null,
    });
  });
});
