import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { call, type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";
import { parseCatalog } from "../../src/catalog/schema.ts";
import baseline from "../../src/catalog/baseline.json" with { type: "json" };

describe("fake API catalog routes", () => {
  let h: FakeApiHarness;
  before(async () => {
    h = await startFakeApi();
  });
  after(async () => {
    await h.close();
  });

  it("serves the fixture catalog at /:aid/cli/manifest, valid and newer than the baseline", async () => {
    const answer = await call(h, "GET", "/acme/cli/manifest");
    assert.equal(answer.status, 200);
    const parsed = parseCatalog(answer.body);
    assert.ok(parsed.ok);
    assert.equal(parsed.catalog.version, "1.1.0");
    assert.notEqual(parsed.catalog.version, baseline.version);
    const served = new Set(parsed.catalog.commands.map((command) => command.command));
    for (const command of baseline.commands) assert.ok(served.has(command.command), command.command);
    assert.ok(served.has("services/valkey/{id}/logs"));
    assert.ok(!baseline.commands.some((command) => command.command === "services/valkey/{id}/logs"));
  });

  it("answers manifest-version with the served catalog's version", async () => {
    const answer = await call(h, "GET", "/acme/cli/manifest-version");
    assert.deepEqual(answer.body, { version: "1.1.0" });
  });

  it("sends an ETag and answers 304 with no body when If-None-Match matches", async () => {
    const first = await call(h, "GET", "/acme/cli/manifest");
    const etag = first.headers.get("etag");
    assert.ok(etag !== null && etag.startsWith('"'));
    const again = await call(h, "GET", "/acme/cli/manifest", { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
    assert.equal(again.body, undefined);
    const stale = await call(h, "GET", "/acme/cli/manifest", { headers: { "if-none-match": '"stale"' } });
    assert.equal(stale.status, 200);
  });

  it("changes the ETag when the served catalog is replaced", async () => {
    const before = (await call(h, "GET", "/acme/cli/manifest")).headers.get("etag");
    const original = h.api.state.manifest;
    h.api.state.manifest = { ...original, version: "1.2.0" };
    try {
      const after = await call(h, "GET", "/acme/cli/manifest");
      assert.notEqual(after.headers.get("etag"), before);
      assert.equal(after.body.version, "1.2.0");
    } finally {
      h.api.state.manifest = original;
    }
  });

  it("serves the bare /cli routes too", async () => {
    assert.deepEqual((await call(h, "GET", "/cli/manifest-version")).body, { version: "1.1.0" });
    assert.equal((await call(h, "GET", "/cli/manifest")).body.commands.length, h.api.state.manifest.commands.length);
  });

  it("refuses the catalog of another account with 403", async () => {
    const answer = await call(h, "GET", "/globex/cli/manifest");
    assert.equal(answer.status, 403);
    assert.equal(answer.body.statusCode, 403);
  });

  it("answers 404 with an error envelope for an unknown route", async () => {
    const answer = await call(h, "GET", "/acme/no/such/route/here");
    assert.equal(answer.status, 404);
    assert.equal(answer.body.statusCode, 404);
    assert.match(answer.body.error, /no route/);
  });
});
