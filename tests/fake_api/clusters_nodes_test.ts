import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { call, type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";

describe("fake API account, clusters and nodes", () => {
  let h: FakeApiHarness;
  before(async () => {
    h = await startFakeApi();
  });
  after(async () => {
    await h.close();
  });

  it("account/show names the account and the signed-in user", async () => {
    const { body } = await call(h, "GET", "/acme/account");
    assert.equal(body.id, "acme");
    assert.equal(typeof body.user.email, "string");
    assert.equal(typeof body.plan, "string");
  });

  it("clusters/list lists production, staging and a degraded dev cluster", async () => {
    const { body } = await call(h, "GET", "/acme/clusters");
    assert.deepEqual(body.map((cluster: { id: string }) => cluster.id), ["i4y", "stg01", "dev7"]);
    assert.equal(body.find((cluster: { id: string }) => cluster.id === "i4y").name, "production");
    assert.equal(body.find((cluster: { id: string }) => cluster.id === "dev7").health.status, "degraded");
  });

  it("clusters/{cid}/show includes health checks and ready counts", async () => {
    const { status, body } = await call(h, "GET", "/acme/clusters/i4y");
    assert.equal(status, 200);
    assert.ok(["healthy", "degraded", "unreachable"].includes(body.health.status));
    assert.ok(body.health.nodesReady <= body.health.nodesTotal);
    assert.ok(body.health.checks.length > 0);
  });

  it("answers 404 for an unknown cluster and 422 for a malformed cluster id", async () => {
    const missing = await call(h, "GET", "/acme/clusters/zzz9");
    assert.equal(missing.status, 404);
    const malformed = await call(h, "GET", "/acme/Not_A_Cluster/nodes");
    assert.equal(malformed.status, 422);
    assert.equal(malformed.body.fields[0].name, "cid");
  });

  it("nodes/list covers every state and type across clusters", async () => {
    const states = new Set<string>();
    const types = new Set<string>();
    for (const cid of ["i4y", "stg01", "dev7"]) {
      for (const node of (await call(h, "GET", `/acme/${cid}/nodes`)).body) {
        states.add(node.state);
        types.add(node.type);
      }
    }
    assert.deepEqual([...states].sort(), ["error", "offline", "online", "provisioning"]);
    assert.deepEqual([...types].sort(), ["control-plane", "hybrid", "worker"]);
  });

  it("nodes/list filters by state and type, and rejects an unknown state with 422", async () => {
    const online = (await call(h, "GET", "/acme/i4y/nodes", { query: { state: "online", type: "worker" } })).body;
    assert.ok(online.length > 0);
    assert.ok(online.every((node: { state: string; type: string }) => node.state === "online" && node.type === "worker"));
    const bad = await call(h, "GET", "/acme/i4y/nodes", { query: { state: "sleeping" } });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.fields.map((field: { name: string }) => field.name), ["state"]);
  });

  it("nodes/{id}/show returns one node and 404 for a node of another cluster", async () => {
    const node = await call(h, "GET", "/acme/i4y/nodes/n1cpa");
    assert.equal(node.body.type, "control-plane");
    assert.ok(Array.isArray(node.body.conditions));
    assert.equal((await call(h, "GET", "/acme/i4y/nodes/d2wka")).status, 404);
  });

  it("services/types lists PostgreSQL, Valkey and MinIO with versions", async () => {
    const { body } = await call(h, "GET", "/acme/service-types");
    assert.deepEqual(body.map((type: { type: string }) => type.type).sort(), ["minio", "postgresql", "valkey"]);
    assert.ok(body.every((type: { versions: string[] }) => type.versions.length > 0));
  });

  it("refuses unknown query parameters with 422 naming them", async () => {
    const answer = await call(h, "GET", "/acme/i4y/nodes", { query: { colour: "blue" } });
    assert.equal(answer.status, 422);
    assert.equal(answer.body.fields[0].name, "colour");
  });

  it("answers 405 for a known path with the wrong method", async () => {
    const answer = await call(h, "PUT", "/acme/clusters");
    assert.equal(answer.status, 405);
  });
});
