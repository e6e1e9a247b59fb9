import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { call, type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";

describe("fake API authentication", () => {
  let h: FakeApiHarness;
  before(async () => {
    h = await startFakeApi();
  });
  after(async () => {
    await h.close();
  });

  it("answers 401 Invalid token without an Authorization header", async () => {
    const answer = await call(h, "GET", "/acme/account", { token: null });
    assert.equal(answer.status, 401);
    assert.deepEqual(answer.body, { error: "Invalid token" });
  });

  it("answers 401 Invalid token for an unknown token, on every route", async () => {
    for (const path of ["/acme/account", "/acme/cli/manifest", "/acme/i4y/services", "/acme/jobs"]) {
      const answer = await call(h, "GET", path, { token: "runos_pat_not_a_real_token" });
      assert.equal(answer.status, 401, path);
      assert.deepEqual(answer.body, { error: "Invalid token" });
    }
  });

  it("answers 401 with reason revoked for a revoked fixture key", async () => {
    const answer = await call(h, "GET", "/acme/account", { token: "runos_pat_old_ci_revoked_T6y1Bn4Vc8Xe" });
    assert.equal(answer.status, 401);
    assert.equal(answer.body.reason, "revoked");
    assert.equal(answer.body.statusCode, 401);
    assert.equal(answer.body.revokedAt, "2024-08-01T10:05:00Z");
  });

  it("answers 401 with reason expired for an expired fixture key", async () => {
    const answer = await call(h, "GET", "/acme/account", { token: "runos_pat_temp_demo_expired_Q2w3Er4Ty5" });
    assert.equal(answer.status, 401);
    assert.equal(answer.body.reason, "expired");
  });

  it("accepts a valid fixture key and the demo token", async () => {
    assert.equal((await call(h, "GET", "/acme/account", { token: "runos_pat_ci_deploy_F9s2Kd8Lq1Zx" })).status, 200);
    assert.equal((await call(h, "GET", "/acme/account")).status, 200);
  });

  it("answers 403 when the path names another account", async () => {
    const answer = await call(h, "GET", "/globex/clusters");
    assert.equal(answer.status, 403);
    assert.match(answer.body.error, /globex/);
  });

  it("accepts a key minted by api-keys add at once and refuses it once revoked", async () => {
    h.api.reset();
    const added = await call(h, "POST", "/acme/api-keys", { body: { name: "ci-preview" } });
    assert.equal(added.status, 200);
    assert.equal(typeof added.body.token, "string");
    assert.equal((await call(h, "GET", "/acme/account", { token: added.body.token })).status, 200);
    const revoked = await call(h, "POST", `/acme/api-keys/${added.body.id}/revoke`);
    assert.equal(revoked.status, 200);
    const refused = await call(h, "GET", "/acme/account", { token: added.body.token });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.reason, "revoked");
    assert.ok(h.api.knownSecrets().includes(added.body.token));
  });
});
