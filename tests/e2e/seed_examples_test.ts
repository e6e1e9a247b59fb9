/**
 * Each usage example of the seed ("What services are running in my production cluster?", …) as the
 * tool calls a model would make against the real servers, asserting the effect in the answers and in
 * the fake RunOS API. Also the seed's "Server Not Starting" case: not logged in, the server still
 * starts and every call answers "not authenticated: run `runos login`".
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { CallToolResult } from "@modelcontextprotocol/client";
import nodeFixtures from "../../fixtures/state/nodes.json" with { type: "json" };
import { createFakeApi, serveFakeApiHttp } from "../../src/fake_api/mod.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/demo.ts";
import { resultText, resultValue, type RunningServer, runosEnv, startServer, markCatalogChecked } from "../_harness/mcp_client.ts";
import { callCapturing, CLUSTER, fastClock } from "../_harness/sample_args.ts";
import { makeTempDir, type TempDir } from "../_harness/temp_project.ts";

type Row = Record<string, unknown>;

/** The JSON a successful tool answered: structured content, else the text parsed as JSON. */
function payload(result: CallToolResult, what: string): unknown {
  assert.notEqual(result.isError, true, `${what} failed: ${resultText(result)}`);
  return resultValue(result);
}

/** The list inside an answer: the value itself, or the first array property (`{items: [...]}`). */
function rowsOf(value: unknown): Row[] {
  if (Array.isArray(value)) return value as Row[];
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) if (Array.isArray(inner)) return inner as Row[];
  }
  throw new Error(`no list in ${JSON.stringify(value).slice(0, 300)}`);
}

/** The object inside an answer: the value, or its single object property when wrapped. */
function objectOf(value: unknown): Row {
  assert.ok(typeof value === "object" && value !== null && !Array.isArray(value), `not an object: ${JSON.stringify(value).slice(0, 300)}`);
  return value as Row;
}

describe("the seed's usage examples, as a model would call the servers", () => {
  let api: ReturnType<typeof createFakeApi>;
  let http: Awaited<ReturnType<typeof serveFakeApiHttp>>;
  let home: TempDir;
  const servers: Partial<Record<"read" | "sensitive-read" | "write", RunningServer>> = {};
  let pending: Promise<void> | undefined;
  /** The fake API and the three servers, started by the first call (Bun gives hooks only 5 s). */
  const ready = () => (pending ??= start());
  /** One tool call; `confirm: true` stands for the user's agreement to the preview (callCapturing). */
  const call = async (tier: "read" | "sensitive-read" | "write", name: string, args: Record<string, unknown>) => {
    await ready();
    const made = await callCapturing(servers[tier]!.client, name, args);
    if (made.result === undefined) throw new Error(made.thrown);
    return made.result;
  };

  async function start(): Promise<void> {
    api = createFakeApi({ clock: fastClock() });
    http = await serveFakeApiHttp(api, { port: 0, hostname: "127.0.0.1" });
    home = await makeTempDir("seed");
    await markCatalogChecked(home.path); // the served catalog is newer: keep the baseline these checks are about
    const env = runosEnv({ configDir: home.path, apiUrl: http.url, apiKey: DEMO_TOKEN, accountId: DEMO_ACCOUNT_ID, clusterId: CLUSTER });
    await Promise.all((["read", "sensitive-read", "write"] as const).map(async (tier) => {
      servers[tier] = await startServer({ runtime: "deno", tier, env });
    }));
  }

  after(async () => {
    await pending?.catch(() => {});
    await Promise.all(Object.values(servers).map((server) => server.close()));
    await http?.close();
    await home?.remove();
  });

  it("\"What services are running in my production cluster?\" lists the services of i4y", { timeout: 60_000 }, async () => {
    const clusters = rowsOf(payload(await call("read", "clusters_list", {}), "clusters_list"));
    const production = clusters.find((cluster) => cluster.name === "production");
    assert.equal(production?.id, "i4y");
    const services = rowsOf(payload(await call("read", "services_list", { cid: production.id }), "services_list"));
    const names = services.map((service) => service.name).sort();
    assert.deepEqual(names, ["assets", "cache", "orders-db", "users-db"]);
    assert.ok(services.every((service) => service.status === "running"));
    assert.ok(api.log.some((entry) => entry.method === "GET" && entry.path === `/${DEMO_ACCOUNT_ID}/i4y/services`));
  });

  it("\"Give me the PostgreSQL connection string for the users-db service\" works on sensitive-read", async () => {
    const databases = rowsOf(payload(await call("sensitive-read", "services_postgresql_list", {}), "services_postgresql_list"));
    const usersDb = databases.find((service) => service.name === "users-db");
    assert.ok(usersDb !== undefined, "users-db is not listed");
    const credentials = objectOf(payload(await call("sensitive-read", "services_postgresql_credentials", { id: usersDb.id }), "credentials"));
    assert.match(String(credentials.connectionString), /^postgresql:\/\/users_admin:pg-pass-users-db-7Qx9@users-db\.i4y\.svc\.runos\.internal:5432\//);
  });

  it("…and on read the credentials tool is refused naming runos-sensitive-read, and shown details carry no password", async () => {
    const refused = await call("read", "services_postgresql_credentials", { id: "k7m2p" });
    assert.equal(refused.isError, true);
    assert.match(resultText(refused), /permission denied: .*enable `runos-sensitive-read` \(`runos mcp serve sensitive-read`\)/);
    const shown = await call("read", "services_postgresql_show", { id: "k7m2p" });
    assert.notEqual(shown.isError, true, resultText(shown));
    assert.equal(JSON.stringify(shown).includes("pg-pass-users-db-7Qx9"), false);
    const secret = await call("read", "apps_env-vars_list", { id: "a1web" });
    assert.equal(JSON.stringify(secret).includes("pg-pass-users-db-7Qx9"), false);
  });

  it("\"Create a new Valkey cache called session-store with 2 replicas\" creates it, running after its job", { timeout: 60_000 }, async () => {
    const added = objectOf(payload(await call("write", "services_valkey_add", { name: "session-store", replicas: 2 }), "services_valkey_add"));
    const jobId = added.jobId ?? (added.job as Row | undefined)?.id;
    if (typeof jobId === "string" && (added.status !== "completed" && (added.job as Row | undefined)?.status !== "completed")) {
      payload(await call("write", "jobs_follow", { jobId, timeoutSeconds: 60 }), "jobs_follow");
    }
    const caches = rowsOf(payload(await call("read", "services_valkey_list", {}), "services_valkey_list"));
    const created = caches.find((service) => service.name === "session-store");
    assert.ok(created !== undefined, "session-store is not listed");
    const shown = objectOf(payload(await call("read", "services_valkey_show", { id: created.id }), "services_valkey_show"));
    assert.equal(shown.name, "session-store");
    assert.equal(shown.replicas, 2);
    assert.equal(shown.status, "running");
    assert.ok(api.log.some((entry) => entry.method === "POST" && entry.path === `/${DEMO_ACCOUNT_ID}/i4y/services/valkey`), "the add did not go to the default cluster i4y");
  });

  it("\"Show me the status of all nodes in cluster i4y\" lists the five i4y nodes with their states", async () => {
    const nodes = rowsOf(payload(await call("read", "nodes_list", { cid: "i4y" }), "nodes_list"));
    const expected = nodeFixtures.filter((node) => node.clusterId === "i4y");
    assert.equal(expected.length, 5);
    assert.deepEqual(nodes.map((node) => node.name).sort(), expected.map((node) => node.name).sort());
    for (const node of expected) assert.equal(nodes.find((row) => row.name === node.name)?.state, node.state);
    assert.ok(nodes.some((node) => node.state === "provisioning"), "the provisioning node's state is missing");
    assert.ok(nodes.every((node) => typeof node.state === "string"));
  });

  it("\"Show me a database view of all users and the count of their posts\": CREATE VIEW on write, SELECT on read", async () => {
    const create = await call("write", "services_postgresql_exec-sql", {
      id: "k7m2p",
      query: "CREATE VIEW user_post_counts AS SELECT u.name, count(p.id) AS post_count FROM users u LEFT JOIN posts p ON p.user_id = u.id GROUP BY u.name",
      readWrite: true,
      confirm: true,
    });
    assert.notEqual(create.isError, true, resultText(create));
    const select = await call("read", "services_postgresql_exec-sql", { id: "k7m2p", query: "SELECT * FROM user_post_counts" });
    const answer = objectOf(payload(select, "SELECT from the view"));
    const rows = rowsOf(answer.rows !== undefined ? answer.rows : answer);
    const counts = new Map(rows.map((row) => Array.isArray(row) ? [String(row[0]), Number(row[1])] : [String(row.name), Number(row.post_count)]));
    assert.equal(counts.get("Ada Lovelace"), 3);
    assert.equal(counts.get("Grace Hopper"), 2);
    assert.equal(counts.get("Edsger Dijkstra"), 3);
    assert.equal(counts.get("Ken Thompson"), 0);
    assert.equal(counts.size, 6);
  });

  it("\"Create a new bucket in my object store that can be accessed by the public\" makes a public-read bucket", async () => {
    const stores = rowsOf(payload(await call("read", "services_minio_list", {}), "services_minio_list"));
    const store = stores.find((service) => service.name === "assets");
    assert.ok(store !== undefined);
    const created = await call("write", "services_minio_create-bucket", { id: store.id, name: "public-downloads", access: "public-read" });
    assert.notEqual(created.isError, true, resultText(created));
    const buckets = rowsOf(payload(await call("read", "services_minio_buckets", { id: store.id }), "buckets list"));
    assert.equal(buckets.find((bucket) => bucket.name === "public-downloads")?.access, "public-read");
  });

  it("\"Create a new database and user on my PostgreSQL instance\" adds both", async () => {
    const database = await call("write", "services_postgresql_create-database", { id: "k7m2p", name: "inventory" });
    assert.notEqual(database.isError, true, resultText(database));
    const user = await call("write", "services_postgresql_create-user", { id: "k7m2p", username: "inventory_app", database: "inventory", privileges: "readwrite" });
    assert.notEqual(user.isError, true, resultText(user));
    for (const generated of api.state.generatedSecrets) assert.equal(JSON.stringify(user).includes(generated), false, "the write server returned the new user's password");
    const databases = rowsOf(payload(await call("read", "services_postgresql_databases", { id: "k7m2p" }), "databases list"));
    assert.ok(databases.some((row) => row.name === "inventory"));
    const users = rowsOf(payload(await call("read", "services_postgresql_users", { id: "k7m2p" }), "users list"));
    const created = users.find((row) => row.username === "inventory_app");
    assert.equal(created?.database, "inventory");
  });
});

for (const runtime of ["deno", "bun"] as const) {
  describe(`not logged in (${runtime}): the server still starts`, () => {
    let api: ReturnType<typeof createFakeApi>;
    let http: Awaited<ReturnType<typeof serveFakeApiHttp>>;
    let home: TempDir;
    let server: RunningServer | undefined;

    after(async () => {
      await server?.close();
      await http?.close();
      await home?.remove();
    });

    it("lists its tools and answers a call with \"not authenticated: run `runos login`\"", { timeout: 60_000 }, async () => {
      api = createFakeApi();
      http = await serveFakeApiHttp(api, { port: 0, hostname: "127.0.0.1" });
      home = await makeTempDir(`logged-out-${runtime}`);
      server = await startServer({ runtime, tier: "read", env: runosEnv({ configDir: home.path, apiUrl: http.url }) });
      const { tools } = await server.client.listTools();
      assert.ok(tools.some((tool) => tool.name === "clusters_list"));
      const result = await server.client.callTool({ name: "clusters_list", arguments: {} });
      assert.equal(result.isError, true);
      assert.match(resultText(result), /not authenticated: run `runos login`/);
      assert.equal(api.log.filter((entry) => !entry.path.includes("/cli/")).length, 0, "an unauthenticated call reached the API");
    });
  });
}
