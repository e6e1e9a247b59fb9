import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { call, type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";
import { DONE_MS, KNOWN_SECRETS, QUEUED_MS } from "../../src/fake_api/mod.ts";

describe("fake API jobs and API keys", () => {
  let h: FakeApiHarness;
  before(async () => {
    h = await startFakeApi();
  });
  after(async () => {
    await h.close();
  });

  it("a job goes queued → running with progress → completed as the manual clock advances", async () => {
    h.api.reset();
    const { body } = await call(h, "POST", "/acme/i4y/services/valkey", { body: { name: "session-store", replicas: 2 } });
    const show = async () => (await call(h, "GET", `/acme/jobs/${body.jobId}`)).body;
    const queued = await show();
    assert.equal(queued.status, "queued");
    assert.equal(queued.type, "service.add");
    h.api.clock.advance(QUEUED_MS + 100);
    const early = await show();
    assert.equal(early.status, "running");
    h.api.clock.advance(800);
    const later = await show();
    assert.equal(later.status, "running");
    assert.ok(later.progress > early.progress);
    assert.equal(typeof later.currentStep, "string");
    h.api.clock.advance(DONE_MS);
    const done = await show();
    assert.equal(done.status, "completed");
    assert.equal(done.progress, 100);
    assert.equal(done.result.serviceId, body.id);
  });

  it("the bare /jobs/:id route reports the same job", async () => {
    const answer = await call(h, "GET", "/jobs/0b7f4d2e-5c1a-4f0e-9a51-3f2b8c6d1e90");
    assert.equal(answer.body.status, "completed");
  });

  it("jobs/list includes recorded jobs and filters by status; unknown jobs are 404", async () => {
    h.api.reset();
    const all = (await call(h, "GET", "/acme/jobs")).body;
    assert.ok(all.length >= 3);
    const failed = (await call(h, "GET", "/acme/jobs", { query: { status: "failed" } })).body;
    assert.ok(failed.length >= 1 && failed.every((job: { status: string }) => job.status === "failed"));
    assert.equal((await call(h, "GET", "/acme/jobs/00000000-0000-4000-8000-000000000000")).status, 404);
  });

  it("api-keys list shows prefixes, never tokens", async () => {
    const { body } = await call(h, "GET", "/acme/api-keys");
    assert.ok(body.length >= 4);
    const text = JSON.stringify(body);
    for (const secret of KNOWN_SECRETS) assert.ok(!text.includes(secret));
    assert.ok(body.some((key: { revokedAt: string | null }) => key.revokedAt !== null));
  });

  it("api-keys add validates expiresAt and names; revoke twice is 409, unknown is 404", async () => {
    h.api.reset();
    assert.equal((await call(h, "POST", "/acme/api-keys", { body: { name: "x", expiresAt: "2030-01-01" } })).status, 422);
    assert.equal((await call(h, "POST", "/acme/api-keys", { body: { name: "x", expiresAt: "2001-01-01T00:00:00Z" } })).status, 422);
    assert.equal((await call(h, "POST", "/acme/api-keys", { body: { name: "ci-deploy" } })).status, 409);
    const added = await call(h, "POST", "/acme/api-keys", { body: { name: "nightly", expiresAt: "2030-01-01T00:00:00+02:00" } });
    assert.equal(added.body.expiresAt, "2029-12-31T22:00:00Z");
    assert.equal((await call(h, "POST", "/acme/api-keys/key3d/revoke", { body: {} })).status, 200);
    assert.equal((await call(h, "POST", "/acme/api-keys/key3d/revoke", { body: {} })).status, 409);
    assert.equal((await call(h, "POST", "/acme/api-keys/nokey/revoke", { body: {} })).status, 404);
  });
});
