import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { call, type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";

const BUCKETS = "/acme/i4y/services/minio/m3b9z/buckets";

describe("fake API MinIO buckets", () => {
  let h: FakeApiHarness;
  before(async () => {
    h = await startFakeApi();
  });
  after(async () => {
    await h.close();
  });

  it("lists the fixture buckets, one of them public", async () => {
    const { body } = await call(h, "GET", BUCKETS);
    assert.ok(body.length >= 3);
    assert.ok(body.some((bucket: { access: string }) => bucket.access === "public-read"));
  });

  it("creates a public bucket, private by default, and refuses a duplicate name", async () => {
    h.api.reset();
    const created = await call(h, "POST", BUCKETS, { body: { name: "press-kit", access: "public-read" } });
    assert.equal(created.status, 200);
    assert.equal(created.body.access, "public-read");
    assert.equal(created.body.url, "https://assets.i4y.acme.runos.app/press-kit");
    const defaulted = await call(h, "POST", BUCKETS, { body: { name: "internal-reports" } });
    assert.equal(defaulted.body.access, "private");
    assert.equal((await call(h, "POST", BUCKETS, { body: { name: "press-kit" } })).status, 409);
  });

  it("validates the bucket name and access with 422", async () => {
    const answer = await call(h, "POST", BUCKETS, { body: { name: "UPPER_case", access: "world" } });
    assert.equal(answer.status, 422);
    assert.deepEqual(answer.body.fields.map((field: { name: string }) => field.name).sort(), ["access", "name"]);
  });

  it("deletes an empty bucket, refuses a non-empty one without force, and 404s an unknown one", async () => {
    h.api.reset();
    await call(h, "POST", BUCKETS, { body: { name: "tmp-bucket" } });
    assert.equal((await call(h, "DELETE", `${BUCKETS}/tmp-bucket`)).status, 200);
    assert.equal((await call(h, "DELETE", `${BUCKETS}/tmp-bucket`)).status, 404);
    const full = await call(h, "DELETE", `${BUCKETS}/user-uploads`);
    assert.equal(full.status, 409);
    const forced = await call(h, "DELETE", `${BUCKETS}/user-uploads`, { query: { force: "true" } });
    assert.equal(forced.status, 200);
    assert.equal(forced.body.deleted, true);
  });

  it("answers 404 for buckets of a service that is not MinIO", async () => {
    assert.equal((await call(h, "GET", "/acme/i4y/services/minio/k7m2p/buckets")).status, 404);
  });
});
