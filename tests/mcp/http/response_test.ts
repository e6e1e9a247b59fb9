/**
 * When an answer counts as delivered, however many layers wait for it: an answer made whole is
 * delivered as it is handed over; any other streamed answer is wrapped once, by the first layer, and
 * every layer hears of its end once, when the stream was read to its end or given up; a copy with
 * other headers is delivered with it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { jsonRpcError, sameDelivery, whenDelivered, wholeResponse, withHeader } from "../../../src/mcp/http/response.ts";
import { withCors } from "../../../src/mcp/http/guard.ts";
import { streamedAnswer as foreignStream } from "../../_harness/streamed_answer.ts";

describe("HTTP answers' delivery", () => {
  it("wraps a foreign stream once, and tells every layer once, at its end", async () => {
    const answer = foreignStream();
    const heard: string[] = [];
    const first = whenDelivered(answer.response, () => heard.push("call"));
    assert.notEqual(first, answer.response, "the first layer wraps it");
    const second = whenDelivered(first, () => heard.push("slot"));
    const copy = withHeader(second, "Mcp-Session-Id", "s-1");
    const third = whenDelivered(withCors(copy, "https://app.example"), () => heard.push("in flight"));
    assert.equal(second, first, "later layers add a waiter, no wrapper");
    assert.equal(third.headers.get("mcp-session-id"), "s-1");
    assert.equal(third.headers.get("access-control-allow-origin"), "https://app.example");
    const reader = third.body!.getReader();
    answer.send("event: message\ndata: {}\n\n");
    assert.equal(new TextDecoder().decode((await reader.read()).value), "event: message\ndata: {}\n\n");
    assert.deepEqual(heard, [], "not before the end");
    answer.end();
    assert.equal((await reader.read()).done, true);
    assert.deepEqual(heard, ["call", "slot", "in flight"]);
  });

  it("tells every layer when the client gives the stream up", async () => {
    const answer = foreignStream();
    let heard = 0;
    const wrapped = whenDelivered(whenDelivered(answer.response, () => heard++), () => heard++);
    await wrapped.body!.cancel("client went away");
    assert.equal(heard, 2);
  });

  it("counts an answer made whole, and a refusal, as delivered when handed over", () => {
    for (const response of [wholeResponse(new Response("event: message\ndata: {}\n\n")), jsonRpcError(503, "busy")]) {
      let heard = 0;
      assert.equal(whenDelivered(response, () => heard++), response);
      assert.equal(heard, 1);
    }
  });

  it("delivers a copy with its original, and leaves a copy of a foreign answer to be wrapped", () => {
    const made = wholeResponse(new Response("x"));
    let heard = 0;
    whenDelivered(sameDelivery(made, new Response("x", { headers: { "X-A": "1" } })), () => heard++);
    assert.equal(heard, 1);
    const foreign = foreignStream().response;
    const copy = new Response("y");
    assert.equal(sameDelivery(foreign, copy), copy);
    assert.equal(whenDelivered(copy, () => heard++) === copy, false, "an answer of unknown delivery is wrapped");
  });
});
