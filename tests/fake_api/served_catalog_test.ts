/**
 * The fake API serving a chosen catalog instead of its default: RunOS's full catalog (a thousand
 * commands) and the vLLM family. Every command answers through its in-depth handler or the generic
 * one, with realistic arguments; the generic handler keeps a collection consistent, runs jobs on the
 * clock and reveals only fake secrets the no-secret sweeps know.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildOperations, type Operation } from "../../src/catalog/operation.ts";
import { parseCatalog } from "../../src/catalog/schema.ts";
import { DONE_MS, genericSeedIds, KNOWN_SECRETS, loadCatalogFixture } from "../../src/fake_api/mod.ts";
import { handlerFor } from "../../src/fake_api/resources/registry.ts";
import { call, type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";
import { catalogSampleArgs, requestFor } from "../_harness/catalog_sample_args.ts";

const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Call every operation once on a fresh state; what each answered. */
async function sweep(h: FakeApiHarness, operations: readonly Operation[]) {
  const answers = [];
  for (const operation of operations) {
    h.api.reset();
    const request = requestFor(operation, catalogSampleArgs(operation));
    const answer = await call(h, operation.method, request.path, { query: request.query, body: request.body });
    answers.push({ operation, answer, routedTo: h.api.log.at(-1)?.command });
  }
  return answers;
}

for (const name of ["runos_full", "vllm_45_6_0"] as const) {
  describe(`fake API serving ${name}`, () => {
    let h: FakeApiHarness;
    let operations: Operation[];
    before(async () => {
      h = await startFakeApi({ catalog: name });
      operations = buildOperations(await loadCatalogFixture(name));
    });
    after(async () => {
      await h.close();
    });

    it("serves the chosen catalog at /:aid/cli/manifest and its version at manifest-version", async () => {
      const expected = await loadCatalogFixture(name);
      const manifest = await call(h, "GET", "/acme/cli/manifest");
      assert.equal(manifest.status, 200);
      assert.deepEqual(manifest.body, expected);
      const parsed = parseCatalog(manifest.body);
      assert.ok(parsed.ok);
      assert.deepEqual((await call(h, "GET", "/acme/cli/manifest-version")).body, { version: expected.version });
    });

    it("routes every command to itself and answers it 2xx with realistic arguments (jobs where it says so)", { timeout: 120_000 }, async () => {
      const problems: string[] = [];
      for (const { operation, answer, routedTo } of await sweep(h, operations)) {
        const blockedDelete = answer.status === 409 && Array.isArray(answer.body?.dependents);
        if (routedTo !== operation.command) problems.push(`${operation.command} was routed to ${routedTo}`);
        else if (!((answer.status >= 200 && answer.status < 300) || blockedDelete)) problems.push(`${operation.command} → ${answer.status} ${JSON.stringify(answer.body)}`);
        // A read that lists jobs is not a job (operation.ts counts any output field `jobId` as one).
        else if (operation.returnsJob && operation.method !== "GET" && !blockedDelete && !JOB_ID.test(String(answer.body?.jobId))) problems.push(`${operation.command} answered no jobId`);
      }
      assert.deepEqual(problems, []);
    });
  });
}

describe("the generic handler on RunOS's full catalog", () => {
  let h: FakeApiHarness;
  before(async () => {
    h = await startFakeApi({ catalog: "runos_full" });
  });
  after(async () => {
    await h.close();
  });

  it("keeps the baseline's in-depth handlers for the commands it models, and is generic for the rest", () => {
    assert.equal(handlerFor("services/postgresql/{id}/credentials", true)?.kind, "deep");
    assert.equal(handlerFor("services/postgresql/{id}/create-database", true)?.kind, "deep");
    assert.equal(handlerFor("services/kafka/{id}/show", true)?.kind, "generic");
    assert.equal(handlerFor("services/kafka/{id}/show", false), undefined);
  });

  it("lists two seeded items per cluster; add, show, update and delete agree, with jobs that complete on the clock", async () => {
    h.api.reset();
    const seeded = (await call(h, "GET", "/acme/i4y/services/kafka")).body;
    assert.deepEqual(seeded.map((item: { id: string }) => item.id), genericSeedIds("services/kafka", "i4y"));
    const added = await call(h, "POST", "/acme/i4y/services/kafka", { body: { name: "events", replicas: 3 } });
    assert.equal(added.status, 200);
    assert.match(added.body.jobId, JOB_ID);
    assert.equal(added.body.status, "provisioning");
    assert.equal((await call(h, "GET", `/acme/i4y/services/kafka/${added.body.id}`)).body.status, "provisioning");
    h.api.clock.advance(DONE_MS);
    assert.equal((await call(h, "GET", `/jobs/${added.body.jobId}`)).body.status, "completed");
    const shown = (await call(h, "GET", "/acme/i4y/services/kafka/events")).body;
    assert.equal(shown.status, "running");
    assert.equal(shown.replicas, 3);
    assert.equal((await call(h, "GET", "/acme/i4y/services/kafka")).body.length, 3);
    const renamed = await call(h, "PATCH", `/acme/i4y/services/kafka/${added.body.id}/rename`, { body: { newName: "events-v2" } });
    assert.equal(renamed.body.name, "events-v2");
    assert.equal((await call(h, "DELETE", `/acme/i4y/services/kafka/${added.body.id}/topics/orders`)).status, 200);
    assert.equal((await call(h, "GET", `/acme/i4y/services/kafka/events-v2`)).status, 200, "deleting a topic deleted the service");
    const removed = await call(h, "DELETE", `/acme/i4y/services/kafka/${added.body.id}`);
    assert.match(removed.body.jobId, JOB_ID);
    h.api.clock.advance(DONE_MS);
    assert.equal((await call(h, "GET", `/acme/i4y/services/kafka/${added.body.id}`)).status, 404);
  });

  it("refuses a duplicate name with 409 and answers 404 for unknown items and clusters", async () => {
    h.api.reset();
    const [first] = genericSeedIds("services/kafka", "i4y");
    const taken = (await call(h, "GET", `/acme/i4y/services/kafka/${first}`)).body.name;
    assert.equal((await call(h, "POST", "/acme/i4y/services/kafka", { body: { name: taken } })).status, 409);
    const missing = await call(h, "GET", "/acme/i4y/services/kafka/nope1/status");
    assert.equal(missing.status, 404);
    assert.match(missing.body.error, /kafka service "nope1" not found in cluster i4y/);
    assert.equal((await call(h, "GET", "/acme/zz9/services/kafka")).status, 404);
    assert.equal((await call(h, "GET", "/acme/i4y/apps/nope1/builds")).status, 404);
  });

  it("reveals fake secrets that the sweeps know, the same on every read, in a connection string too", async () => {
    h.api.reset();
    const [grafana] = genericSeedIds("services/grafana", "i4y");
    const first = (await call(h, "GET", `/acme/i4y/services/grafana/${grafana}/credentials`)).body;
    const again = (await call(h, "GET", `/acme/i4y/services/grafana/${grafana}/credentials`)).body;
    assert.equal(first.password, again.password);
    assert.ok(h.api.knownSecrets().includes(first.password), "the minted password is not a known secret");
    const [mysql] = genericSeedIds("services/mysql", "i4y");
    const credentials = (await call(h, "GET", `/acme/i4y/services/mysql/${mysql}/credentials`)).body;
    assert.ok(credentials.connectionString.includes(`:${encodeURIComponent(credentials.password)}@`));
    const pg = (await call(h, "GET", "/acme/i4y/services/postgresql/k7m2p/credentials")).body;
    assert.ok(KNOWN_SECRETS.includes(pg.password), "the in-depth handler still answers PostgreSQL credentials");
  });

  it("reveals nothing minted in an answer that is not secret-bearing", async () => {
    h.api.reset();
    const [kafka] = genericSeedIds("services/kafka", "i4y");
    for (const path of [`/acme/i4y/services/kafka/${kafka}`, `/acme/i4y/services/kafka/${kafka}/connection-info`, `/acme/i4y/services/kafka/${kafka}/topics`]) {
      assert.equal((await call(h, "GET", path)).status, 200, path);
    }
    assert.deepEqual(h.api.knownSecrets(), KNOWN_SECRETS);
  });

  it("serves RunOS's names of modelled commands in depth: exec-sql takes `query`, create-database creates one", async () => {
    h.api.reset();
    const sql = await call(h, "POST", "/acme/i4y/services/postgresql/k7m2p/exec-sql", { body: { query: "SELECT count(*) AS n FROM users" } });
    assert.equal(sql.status, 200, JSON.stringify(sql.body));
    assert.equal(sql.body.readOnly, true);
    assert.equal((await call(h, "POST", "/acme/i4y/services/postgresql/k7m2p/databases", { body: { name: "reports" } })).status, 200);
    const databases = (await call(h, "GET", "/acme/i4y/services/postgresql/k7m2p/databases")).body;
    assert.ok(databases.some((db: { name: string }) => db.name === "reports"));
  });

  it("answers the account-less endpoint without an account in the path, and 404 for an unknown type", async () => {
    const schema = await call(h, "GET", "/service-info/vllm/advanced-config-schema");
    assert.equal(schema.status, 200);
    assert.equal(schema.body.type, "vllm");
    assert.equal((await call(h, "GET", "/service-info/nope/advanced-config-schema")).status, 404);
    assert.equal((await call(h, "GET", "/service-info/vllm/advanced-config-schema", { token: null })).status, 401);
  });
});
