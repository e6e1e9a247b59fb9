import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { call, type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";

describe("fake API fault injection, log and reset", () => {
  let h: FakeApiHarness;
  before(async () => {
    h = await startFakeApi();
  });
  after(async () => {
    await h.close();
  });

  it("injects a 429 with Retry-After once, then answers normally", async () => {
    h.api.reset();
    h.api.injectFault({ method: "GET", path: "/acme/clusters", status: 429, retryAfter: 7 });
    const limited = await call(h, "GET", "/acme/clusters");
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "7");
    assert.equal(limited.body.statusCode, 429);
    assert.equal((await call(h, "GET", "/acme/clusters")).status, 200);
  });

  it("injects a 503 a given number of times matched by RegExp", async () => {
    h.api.reset();
    h.api.injectFault({ path: /\/services\/valkey$/, status: 503, times: 2 });
    assert.equal((await call(h, "GET", "/acme/i4y/services/valkey")).status, 503);
    assert.equal((await call(h, "GET", "/acme/i4y/services/valkey")).status, 503);
    assert.equal((await call(h, "GET", "/acme/i4y/services/valkey")).status, 200);
  });

  it("injects an error envelope sent with HTTP 200", async () => {
    h.api.reset();
    h.api.injectFault({ path: "/account", status: 200, body: { error: "upstream timeout", statusCode: 504 } });
    const answer = await call(h, "GET", "/acme/account");
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { error: "upstream timeout", statusCode: 504 });
  });

  it("logs every request with method, path, query, body and status", async () => {
    h.api.reset();
    await call(h, "GET", "/acme/i4y/nodes", { query: { state: "online" } });
    await call(h, "POST", "/acme/i4y/services/valkey", { body: { name: "logged-cache" } });
    await call(h, "GET", "/acme/account", { token: null });
    assert.deepEqual(h.api.log.map((entry) => [entry.method, entry.path, entry.status]), [
      ["GET", "/acme/i4y/nodes", 200],
      ["POST", "/acme/i4y/services/valkey", 200],
      ["GET", "/acme/account", 401],
    ]);
    assert.deepEqual(h.api.log[0]!.query, { state: "online" });
    assert.deepEqual(h.api.log[1]!.body, { name: "logged-cache" });
    assert.equal(typeof h.api.log[0]!.at, "number");
  });

  it("reset reseeds the state, empties the log and drops faults", async () => {
    await call(h, "POST", "/acme/i4y/services/minio/m3b9z/buckets", { body: { name: "reset-me" } });
    h.api.injectFault({ status: 500, times: Infinity });
    h.api.reset();
    assert.equal(h.api.log.length, 0);
    const buckets = (await call(h, "GET", "/acme/i4y/services/minio/m3b9z/buckets")).body;
    assert.ok(!buckets.some((bucket: { name: string }) => bucket.name === "reset-me"));
  });

  it("answers 400 for a body that is not JSON", async () => {
    const response = await fetch(`${h.url}/acme/i4y/services/valkey`, {
      method: "POST",
      headers: { authorization: "Bearer runos_pat_sandbox_demo_0000000000000000", "content-type": "application/json" },
      body: "{not json",
    });
    assert.equal(response.status, 400);
    assert.equal((await response.json()).statusCode, 400);
  });

  it("fails a request to any other host while intercepting, so nothing reaches the network by mistake", async () => {
    await assert.rejects(fetch("http://unhandled.invalid/anything"));
  });
});
