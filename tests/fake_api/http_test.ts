import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { call, type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";
import { DONE_MS } from "../../src/fake_api/mod.ts";

describe("fake API over real HTTP on loopback", () => {
  let h: FakeApiHarness;
  before(async () => {
    h = await startFakeApi({ mode: "http" });
  });
  after(async () => {
    await h.close();
  });

  it("listens on a loopback URL with a real port", () => {
    assert.match(h.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("serves the catalog with ETag and 304 over HTTP", async () => {
    const first = await call(h, "GET", "/acme/cli/manifest");
    assert.equal(first.status, 200);
    const etag = first.headers.get("etag")!;
    assert.equal((await call(h, "GET", "/acme/cli/manifest", { headers: { "if-none-match": etag } })).status, 304);
  });

  it("runs a write, its job and the resulting state over HTTP", async () => {
    const added = await call(h, "POST", "/acme/i4y/services/valkey", { body: { name: "http-cache", replicas: 3 } });
    assert.equal(added.status, 200);
    h.api.clock.advance(DONE_MS);
    const job = await call(h, "GET", `/acme/jobs/${added.body.jobId}`);
    assert.equal(job.body.status, "completed");
    const shown = await call(h, "GET", "/acme/i4y/services/valkey/http-cache");
    assert.equal(shown.body.replicas, 3);
    assert.equal(h.api.log.at(-1)!.path, "/acme/i4y/services/valkey/http-cache");
  });

  it("answers errors with the RunOS envelope over HTTP", async () => {
    const unauthorized = await call(h, "GET", "/acme/clusters", { token: "wrong" });
    assert.equal(unauthorized.status, 401);
    assert.deepEqual(unauthorized.body, { error: "Invalid token" });
    const conflict = await call(h, "DELETE", "/acme/i4y/services/postgresql/users-db");
    assert.equal(conflict.status, 409);
    assert.ok(conflict.body.dependents.length > 0);
  });

  it("decodes path-escaped segments", async () => {
    const answer = await call(h, "GET", `/acme/i4y/apps/${encodeURIComponent("web")}`);
    assert.equal(answer.body.id, "a1web");
  });
});
