import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { call, type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";
import { DONE_MS, FAILING_NAME, KNOWN_SECRETS } from "../../src/fake_api/mod.ts";

describe("fake API services", () => {
  let h: FakeApiHarness;
  before(async () => {
    h = await startFakeApi();
  });
  after(async () => {
    await h.close();
  });

  it("services/list shows every type in production and filters by type", async () => {
    h.api.reset();
    const all = (await call(h, "GET", "/acme/i4y/services")).body;
    assert.deepEqual([...new Set(all.map((service: { type: string }) => service.type))].sort(), ["minio", "postgresql", "valkey"]);
    const pg = (await call(h, "GET", "/acme/i4y/services", { query: { type: "postgresql" } })).body;
    assert.ok(pg.some((service: { name: string }) => service.name === "users-db"));
    assert.ok(pg.every((service: { type: string }) => service.type === "postgresql"));
  });

  it("show, status and list answer without credentials", async () => {
    for (const path of ["/acme/i4y/services/postgresql/k7m2p", "/acme/i4y/services/postgresql/k7m2p/status", "/acme/i4y/services/postgresql", "/acme/i4y/services/valkey/v4n8x", "/acme/i4y/services/minio/m3b9z"]) {
      const answer = await call(h, "GET", path);
      assert.equal(answer.status, 200, path);
      const text = JSON.stringify(answer.body);
      for (const secret of KNOWN_SECRETS) assert.ok(!text.includes(secret), `${path} leaks a secret`);
    }
  });

  it("finds a service by name as well as by id", async () => {
    const byName = await call(h, "GET", "/acme/i4y/services/postgresql/users-db");
    assert.equal(byName.body.id, "k7m2p");
    assert.equal(byName.body.osid, "postgresql-k7m2p");
  });

  it("credentials return each type's shape with the known fake secrets", async () => {
    const pg = (await call(h, "GET", "/acme/i4y/services/postgresql/users-db/credentials")).body;
    assert.deepEqual(Object.keys(pg).sort(), ["connectionString", "database", "host", "password", "port", "username"]);
    assert.equal(pg.password, "pg-pass-users-db-7Qx9");
    assert.match(pg.connectionString, /^postgresql:\/\/users_admin:pg-pass-users-db-7Qx9@users-db\.i4y\.svc\.runos\.internal:5432\/postgres/);
    const vk = (await call(h, "GET", "/acme/i4y/services/valkey/v4n8x/credentials")).body;
    assert.deepEqual(Object.keys(vk).sort(), ["host", "password", "port", "url"]);
    const minio = (await call(h, "GET", "/acme/i4y/services/minio/m3b9z/credentials")).body;
    assert.deepEqual(Object.keys(minio).sort(), ["accessKey", "endpoint", "secretKey"]);
    for (const value of [pg.password, vk.password, minio.accessKey, minio.secretKey]) assert.ok(KNOWN_SECRETS.includes(value));
  });

  it("answers 404 for an unknown service and for a service of another type", async () => {
    assert.equal((await call(h, "GET", "/acme/i4y/services/valkey/nope1")).status, 404);
    const wrongType = await call(h, "GET", "/acme/i4y/services/valkey/k7m2p");
    assert.equal(wrongType.status, 404);
    assert.match(wrongType.body.error, /valkey service "k7m2p" not found in cluster i4y/);
  });

  it("valkey add answers a jobId and the cache becomes running with its replicas when the job completes", async () => {
    h.api.reset();
    const added = await call(h, "POST", "/acme/i4y/services/valkey", { body: { name: "session-store", replicas: 2 } });
    assert.equal(added.status, 200);
    assert.match(added.body.jobId, /^[0-9a-f-]{36}$/);
    assert.equal(added.body.status, "provisioning");
    assert.equal((await call(h, "GET", `/acme/i4y/services/valkey/${added.body.id}`)).body.status, "provisioning");
    h.api.clock.advance(DONE_MS);
    const shown = (await call(h, "GET", "/acme/i4y/services/valkey/session-store")).body;
    assert.equal(shown.status, "running");
    assert.equal(shown.replicas, 2);
    assert.equal(shown.maxMemoryMb, 256);
  });

  it("add refuses a taken name with 409 and bad input with 422 listing every field", async () => {
    const taken = await call(h, "POST", "/acme/i4y/services/postgresql", { body: { name: "users-db" } });
    assert.equal(taken.status, 409);
    const bad = await call(h, "POST", "/acme/i4y/services/valkey", { body: { name: "Bad Name", replicas: 9, version: "6.0" } });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.fields.map((field: { name: string }) => field.name).sort(), ["name", "replicas", "version"]);
    const missing = await call(h, "POST", "/acme/i4y/services/minio", { body: {} });
    assert.equal(missing.status, 422);
    assert.equal(missing.body.fields[0].name, "name");
  });

  it("add refuses path fields and unknown fields in the body", async () => {
    const answer = await call(h, "POST", "/acme/i4y/services/valkey", { body: { name: "x-cache", cid: "i4y" } });
    assert.equal(answer.status, 422);
    assert.equal(answer.body.fields[0].name, "cid");
  });

  it(`an add named "${FAILING_NAME}" ends in a failed job and a failed service`, async () => {
    h.api.reset();
    const added = await call(h, "POST", "/acme/i4y/services/postgresql", { body: { name: FAILING_NAME } });
    h.api.clock.advance(DONE_MS);
    const job = (await call(h, "GET", `/acme/jobs/${added.body.jobId}`)).body;
    assert.equal(job.status, "failed");
    assert.match(job.error, /failed/);
    assert.equal((await call(h, "GET", `/acme/i4y/services/postgresql/${added.body.id}`)).body.status, "failed");
  });

  it("update applies new sizes when its job completes and refuses shrinking storage", async () => {
    h.api.reset();
    const updated = await call(h, "PATCH", "/acme/i4y/services/valkey/v4n8x", { body: { replicas: 4 } });
    assert.equal(updated.status, 200);
    assert.equal((await call(h, "GET", "/acme/i4y/services/valkey/v4n8x")).body.status, "updating");
    h.api.clock.advance(DONE_MS);
    const shown = (await call(h, "GET", "/acme/i4y/services/valkey/v4n8x")).body;
    assert.equal(shown.replicas, 4);
    assert.equal(shown.status, "running");
    const shrink = await call(h, "PATCH", "/acme/i4y/services/postgresql/k7m2p", { body: { storageGb: 5 } });
    assert.equal(shrink.status, 422);
    assert.equal(shrink.body.fields[0].name, "storageGb");
    const empty = await call(h, "PATCH", "/acme/i4y/services/postgresql/k7m2p", { body: {} });
    assert.equal(empty.status, 422);
  });

  it("delete of a PostgreSQL used by apps answers 409 with its dependents", async () => {
    const answer = await call(h, "DELETE", "/acme/i4y/services/postgresql/k7m2p");
    assert.equal(answer.status, 409);
    assert.deepEqual(answer.body.dependents.map((dependent: { name: string }) => dependent.name).sort(), ["api", "web"]);
    assert.ok(answer.body.dependents.every((dependent: { type: string; id: string }) => dependent.type === "app" && dependent.id.length === 5));
  });

  it("delete of an unused service removes it when its job completes", async () => {
    h.api.reset();
    const answer = await call(h, "DELETE", "/acme/dev7/services/postgresql/d1pg9");
    assert.equal(answer.status, 200);
    assert.ok(answer.body.jobId);
    assert.equal((await call(h, "GET", "/acme/dev7/services/postgresql/d1pg9")).body.status, "deleting");
    h.api.clock.advance(DONE_MS);
    assert.equal((await call(h, "GET", "/acme/dev7/services/postgresql/d1pg9")).status, 404);
  });

  it("rotate-credentials replaces the password when its job completes", async () => {
    h.api.reset();
    const rotated = await call(h, "POST", "/acme/i4y/services/postgresql/q8d3w/rotate-credentials", { body: {} });
    assert.equal(rotated.status, 200);
    assert.equal((await call(h, "GET", "/acme/i4y/services/postgresql/q8d3w/credentials")).body.password, "pg-pass-orders-db-3Kd8");
    h.api.clock.advance(DONE_MS);
    const fresh = (await call(h, "GET", "/acme/i4y/services/postgresql/q8d3w/credentials")).body;
    assert.notEqual(fresh.password, "pg-pass-orders-db-3Kd8");
    assert.ok(h.api.knownSecrets().includes(fresh.password));
    assert.ok(fresh.connectionString.includes(encodeURIComponent(fresh.password)));
  });

  it("refuses a second change while a job is still running on the service", async () => {
    h.api.reset();
    await call(h, "PATCH", "/acme/i4y/services/valkey/v4n8x", { body: { replicas: 2 } });
    const again = await call(h, "PATCH", "/acme/i4y/services/valkey/v4n8x", { body: { replicas: 5 } });
    assert.equal(again.status, 409);
  });

  it("valkey logs (the newer catalog's extra command) returns recent lines", async () => {
    const answer = await call(h, "GET", "/acme/i4y/services/valkey/v4n8x/logs", { query: { lines: "5" } });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.length, 5);
    assert.ok(answer.body.every((line: { message: string }) => typeof line.message === "string"));
  });
});
