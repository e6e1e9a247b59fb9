import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { call, type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";
import { DONE_MS, KNOWN_SECRETS } from "../../src/fake_api/mod.ts";

describe("fake API applications", () => {
  let h: FakeApiHarness;
  before(async () => {
    h = await startFakeApi();
  });
  after(async () => {
    await h.close();
  });

  it("lists, shows and checks the health of applications", async () => {
    const list = (await call(h, "GET", "/acme/i4y/apps")).body;
    assert.deepEqual(list.map((app: { name: string }) => app.name), ["web", "api", "worker"]);
    const shown = (await call(h, "GET", "/acme/i4y/apps/web")).body;
    assert.equal(shown.id, "a1web");
    assert.deepEqual(shown.uses.map((service: { name: string }) => service.name), ["users-db", "cache"]);
    const worker = (await call(h, "GET", "/acme/i4y/apps/a3wrk/status")).body;
    assert.equal(worker.health, "unhealthy");
    assert.ok(worker.restarts > 0);
    assert.equal((await call(h, "GET", "/acme/i4y/apps/nope9")).status, 404);
  });

  it("add creates an app whose first deployment completes with its job", async () => {
    h.api.reset();
    const added = await call(h, "POST", "/acme/i4y/apps", { body: { name: "docs", repository: "https://github.com/acme/docs", port: 4000 } });
    assert.equal(added.status, 200);
    assert.equal(added.body.status, "deploying");
    h.api.clock.advance(DONE_MS);
    const status = (await call(h, "GET", `/acme/i4y/apps/${added.body.id}/status`)).body;
    assert.equal(status.status, "running");
    assert.equal(status.lastDeployment.status, "succeeded");
    assert.equal((await call(h, "POST", "/acme/i4y/apps", { body: { name: "docs", repository: "https://github.com/acme/docs" } })).status, 409);
    const bad = await call(h, "POST", "/acme/i4y/apps", { body: { name: "x", repository: "ftp://nope", port: 70000 } });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.fields.map((field: { name: string }) => field.name).sort(), ["name", "port", "repository"]);
  });

  it("deploy at a sha records a deployment, and a sha starting with dead fails its build", async () => {
    h.api.reset();
    const ok = await call(h, "POST", "/acme/i4y/apps/a1web/deploy", { body: { sha: "abc1234" } });
    assert.equal(ok.body.sha, "abc1234");
    h.api.clock.advance(DONE_MS);
    assert.equal((await call(h, "GET", "/acme/i4y/apps/a1web")).body.currentSha, "abc1234");
    const bad = await call(h, "POST", "/acme/i4y/apps/a1web/deploy", { body: { sha: "deadbee" } });
    h.api.clock.advance(DONE_MS);
    const job = (await call(h, "GET", `/acme/jobs/${bad.body.jobId}`)).body;
    assert.equal(job.status, "failed");
    const deployments = (await call(h, "GET", "/acme/i4y/apps/a1web/deployments", { query: { limit: "2" } })).body;
    assert.deepEqual(deployments.map((deployment: { sha: string; status: string }) => [deployment.sha, deployment.status]), [["deadbee", "failed"], ["abc1234", "succeeded"]]);
    assert.equal((await call(h, "GET", "/acme/i4y/apps/a1web")).body.currentSha, "abc1234");
    assert.equal((await call(h, "POST", "/acme/i4y/apps/a1web/deploy", { body: { sha: "not-hex" } })).status, 422);
  });

  it("delete removes the app when its job completes", async () => {
    h.api.reset();
    const deleted = await call(h, "DELETE", "/acme/i4y/apps/a3wrk");
    assert.ok(deleted.body.jobId);
    h.api.clock.advance(DONE_MS);
    assert.equal((await call(h, "GET", "/acme/i4y/apps/a3wrk")).status, 404);
  });

  it("env vars are listed with values and set by object", async () => {
    h.api.reset();
    const before = (await call(h, "GET", "/acme/i4y/apps/a1web/env-vars")).body;
    assert.ok(before.some((item: { name: string; value: string }) => item.name === "NODE_ENV" && item.value === "production"));
    const after = (await call(h, "POST", "/acme/i4y/apps/a1web/env-vars", { body: { vars: { FEATURE_X: "on", LOG_LEVEL: "debug" } } })).body;
    assert.ok(after.some((item: { name: string; value: string }) => item.name === "LOG_LEVEL" && item.value === "debug"));
    assert.equal((await call(h, "POST", "/acme/i4y/apps/a1web/env-vars", { body: { vars: { "bad-name": "x" } } })).status, 422);
    assert.equal((await call(h, "POST", "/acme/i4y/apps/a1web/env-vars", { body: { vars: { A: 1 } } })).status, 422);
    assert.equal((await call(h, "POST", "/acme/i4y/apps/a1web/env-vars", { body: { vars: { SESSION_SECRET: "x" } } })).status, 409);
  });

  it("secrets list shows names only; reveal shows values", async () => {
    const listed = await call(h, "GET", "/acme/i4y/apps/a1web/secrets");
    const text = JSON.stringify(listed.body);
    for (const secret of KNOWN_SECRETS) assert.ok(!text.includes(secret));
    assert.deepEqual(listed.body.map((item: { name: string }) => item.name).sort(), ["DATABASE_URL", "SESSION_SECRET", "STRIPE_SECRET_KEY"]);
    const revealed = (await call(h, "GET", "/acme/i4y/apps/a1web/secrets/reveal")).body;
    assert.equal(revealed.find((item: { name: string }) => item.name === "STRIPE_SECRET_KEY").value, "sk_test_fake_web_8Hq2Lz");
  });

  it("secrets set creates or replaces without echoing the value, and delete removes one", async () => {
    h.api.reset();
    const set = await call(h, "POST", "/acme/i4y/apps/a1web/secrets", { body: { name: "SENTRY_DSN", value: "https://k@sentry.example/1" } });
    assert.equal(set.status, 200);
    assert.ok(!JSON.stringify(set.body).includes("sentry.example"));
    assert.equal(set.body.created, true);
    assert.equal((await call(h, "POST", "/acme/i4y/apps/a1web/secrets", { body: { name: "lower", value: "x" } })).status, 422);
    assert.equal((await call(h, "DELETE", "/acme/i4y/apps/a1web/secrets/SENTRY_DSN")).status, 200);
    assert.equal((await call(h, "DELETE", "/acme/i4y/apps/a1web/secrets/SENTRY_DSN")).status, 404);
  });
});
