/**
 * Context cost: lean tool lists by default, and a discovery mode whose tools/list stays small at any
 * catalog size while its call_tool keeps every gate of a direct call.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildOperations } from "../../../src/catalog/operation.ts";
import { AUTO_MAX_BYTES, AUTO_MAX_TOOLS, buildRegistry, type ToolsMode } from "../../../src/mcp/tools/registry.ts";
import { capResult, MAX_RESULT_CHARS } from "../../../src/mcp/call/result_cap.ts";
import { onlyRestates } from "../../../src/mcp/tools/tool_definition.ts";
import { successResult } from "../../../src/mcp/call/result.ts";
import { tierInstructions } from "../../../src/mcp/host/sdk_server.ts";
import { MAX_ARGUMENT_DESCRIPTION_CHARS, MAX_DESCRIPTION_CHARS } from "../../../src/mcp/tools/text_budget.ts";
import { TIERS } from "../../../src/policy/tier.ts";
import { loadCatalogFixture } from "../../_harness/catalogs.ts";
import { modelVisibleBytes } from "../../_harness/model_bytes.ts";
import { WRITING_TIERS } from "../../_harness/tier_powers.ts";
import { baselineOperations, connect, signedIn, stubApi, textOf } from "../_support.ts";

const FULL = buildOperations(loadCatalogFixture("runos_full"));
const DISCOVERY_BYTES = 8 * 1024;

function listBytes(tier: (typeof TIERS)[number], operations: typeof FULL, mode: ToolsMode): number {
  return JSON.stringify(buildRegistry(tier, operations, { hasDefaultCluster: false, mode }).tools).length;
}

describe("lean tool lists", () => {
  it("keeps every description within 2,048 characters and every argument's within its budget, on RunOS's full catalog", () => {
    for (const tier of TIERS) {
      for (const tool of buildRegistry(tier, FULL, { hasDefaultCluster: false, mode: "all" }).tools) {
        assert.ok((tool.description ?? "").length <= MAX_DESCRIPTION_CHARS, `${tool.name}: ${tool.description?.length}`);
        for (const [name, property] of Object.entries((tool.inputSchema as { properties: Record<string, { description?: string }> }).properties)) {
          assert.ok((property.description ?? "").length <= MAX_ARGUMENT_DESCRIPTION_CHARS, `${tool.name}.${name}`);
        }
        assert.equal(tool.title, undefined, `${tool.name} has a title that restates its name`);
        assert.equal(tool.annotations?.title, undefined);
        for (const key of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) assert.equal(typeof tool.annotations?.[key], "boolean");
      }
      assert.ok(tierInstructions(tier).length <= MAX_DESCRIPTION_CHARS);
    }
  });

  it("keeps every baseline tier at ≤ 400 model-visible bytes per tool (name + description + input schema), as `make bench` measures", () => {
    for (const tier of TIERS) {
      const tools = buildRegistry(tier, baselineOperations(), { hasDefaultCluster: false, mode: "all" }).tools;
      const average = tools.reduce((sum, tool) => sum + modelVisibleBytes(tool), 0) / tools.length;
      assert.ok(average <= 400, `${tier}: ${Math.round(average)} model-visible bytes per tool`);
    }
  });

  it("drops a field's description that only restates its name and the tool's description, and keeps any that adds a word", () => {
    assert.equal(onlyRestates("name", "Name of the new cache.", "Create a new Valkey (Redis-compatible) cache in a cluster."), true);
    assert.equal(onlyRestates("version", "Valkey (Redis-compatible) cache version.", "Create a new Valkey (Redis-compatible) cache in a cluster."), true);
    assert.equal(onlyRestates("force", "Delete the bucket's objects too", "Delete an empty bucket; add force to delete its objects too."), true);
    assert.equal(onlyRestates("storageGb", "Disk size in GiB.", "Create a new PostgreSQL database in a cluster."), false);
    assert.equal(onlyRestates("name", "Bucket name (3-63 characters).", "Create a bucket in a MinIO object store."), false);
    assert.equal(onlyRestates("force", "Even when current.", "Refresh the command catalog; call it when a tool you expect is missing."), false);
    // The tool's name counts as said, and so do a word's plural and tense: "replicas" meets "replica", "owns" meets "owned".
    assert.equal(onlyRestates("replicas", "New number of Valkey replicas.", "services valkey update Change the settings of one Valkey cache."), true);
    assert.equal(onlyRestates("state", "Only nodes in this state.", "nodes list List a cluster's nodes with state, type and resources."), true);
    assert.equal(onlyRestates("owner", "Existing user that owns the database.", "Create a database on a PostgreSQL service, owned by an existing user."), true);
    assert.equal(onlyRestates("replicas", "Number of instances (1 primary plus standbys).", "services postgresql add Create a new PostgreSQL database."), false);
    assert.equal(onlyRestates("port", "Port the application listens on.", "apps add Create an application from a Git repository."), false);
    // Where a value comes from, or its shape, is more than words.
    assert.equal(onlyRestates("backupId", "The backup id, from `backups list`.", "services postgresql backups restore Restore a backup; see backups list."), false);
    assert.equal(onlyRestates("device", "node:device to wipe.", "storage-groups wipe-device Wipe a device of a node."), false);
    // Long texts are kept even when their words all appear elsewhere: the order of the words may be the point.
    const steps = "Create a store in a cluster, then delete the old store and its cluster.";
    assert.equal(onlyRestates("mode", "create the store in a cluster then delete the old store and cluster", steps), false);
    const write = buildRegistry("write", baselineOperations(), { hasDefaultCluster: false });
    const add = write.get("services_valkey_add")!.tool.inputSchema as { properties: Record<string, { description?: string }> };
    assert.equal(add.properties.name!.description, undefined);
    assert.equal(add.properties.maxMemoryMb!.description, "Memory limit per replica in MiB; keys are evicted past it.");
  });

  it("gives cid no description of its own: the instructions say what it is once, `required` whether it may be left out", () => {
    for (const hasDefaultCluster of [false, true]) {
      const tool = buildRegistry("write", baselineOperations(), { hasDefaultCluster }).get("services_valkey_add")!.tool;
      const schema = tool.inputSchema as { properties: Record<string, unknown>; required?: string[] };
      assert.deepEqual(schema.properties.cid, { type: "string" });
      assert.equal(schema.required?.includes("cid") ?? false, !hasDefaultCluster);
    }
    for (const tier of TIERS) assert.match(tierInstructions(tier), /take `cid`, a cluster's id or name from clusters_list \(where it is optional, the default cluster is used\)/);
  });

  it("cuts a long description at a whole sentence and keeps what runos adds (DESTRUCTIVE) whole", () => {
    const long = FULL.filter((operation) => operation.description.length > MAX_DESCRIPTION_CHARS);
    assert.ok(long.length > 0, "the full catalog has over-long descriptions");
    const registry = buildRegistry("sensitive-write", FULL, { hasDefaultCluster: false, mode: "all" });
    for (const operation of long) {
      const tool = registry.get(operation.toolName)?.tool;
      if (tool === undefined) continue;
      assert.match(tool.description ?? "", /[.!?]…|DESTRUCTIVE: preview first; confirm: <token> if the user agrees\.$/, tool.name);
    }
  });

  it("marks the tools a model needs first and the destructive ones for Claude Code", () => {
    const read = buildRegistry("read", baselineOperations(), { hasDefaultCluster: false });
    assert.deepEqual(read.get("clusters_list")?.tool._meta, { "anthropic/alwaysLoad": true });
    assert.deepEqual(read.get("services_list")?.tool._meta, { "anthropic/alwaysLoad": true });
    const write = buildRegistry("write", baselineOperations(), { hasDefaultCluster: false });
    for (const tool of write.tools) {
      assert.equal(tool._meta?.["anthropic/requiresUserInteraction"] === true, tool.annotations?.destructiveHint === true && tool.name !== "services_postgresql_exec-sql", tool.name);
    }
  });
});

describe("--tools auto, all and discover", () => {
  it("auto lists every tool of the small baseline, and the discovery tools of RunOS's full catalog", () => {
    for (const tier of TIERS) {
      const baseline = buildRegistry(tier, baselineOperations(), { hasDefaultCluster: false });
      assert.equal(baseline.mode, "all");
      assert.ok(baseline.tools.length <= AUTO_MAX_TOOLS && JSON.stringify(baseline.tools).length <= AUTO_MAX_BYTES);
      const full = buildRegistry(tier, FULL, { hasDefaultCluster: false });
      const expected = buildRegistry(tier, FULL, { hasDefaultCluster: false, mode: "all" }).tools;
      assert.equal(full.mode, expected.length > AUTO_MAX_TOOLS || JSON.stringify(expected).length > AUTO_MAX_BYTES ? "discover" : "all", tier);
    }
  });

  it("keeps discover's tools/list within 8 KB on every tier, whatever the catalog's size", () => {
    for (const tier of TIERS) {
      assert.ok(listBytes(tier, FULL, "discover") <= DISCOVERY_BYTES, `${tier}: ${listBytes(tier, FULL, "discover")} bytes`);
      assert.ok(listBytes(tier, baselineOperations(), "discover") <= DISCOVERY_BYTES);
      const names = buildRegistry(tier, FULL, { hasDefaultCluster: false, mode: "discover" }).tools.map((tool) => tool.name);
      assert.deepEqual(names.filter((name) => ["search_tools", "describe_tools", "call_tool", "manifest_update"].includes(name)).sort(), ["call_tool", "describe_tools", "manifest_update", "search_tools"]);
    }
  });

  it("never lets call_tool's annotations auto-approve a write", () => {
    for (const tier of TIERS) {
      const tool = buildRegistry(tier, FULL, { hasDefaultCluster: false, mode: "discover" }).get("call_tool")!.tool;
      if (WRITING_TIERS.has(tier)) {
        assert.equal(tool.annotations?.readOnlyHint, false, tier);
        assert.equal(tool.annotations?.destructiveHint, true, tier);
        assert.equal(tool._meta?.["anthropic/requiresUserInteraction"], true, tier);
      } else {
        // Everything call_tool reaches on the read tiers only reads; only the read server's may run unasked.
        assert.equal(tool.annotations?.readOnlyHint, tier === "read", tier);
        assert.equal(tool.annotations?.destructiveHint, false, tier);
      }
    }
  });
});

describe("discovery tools over a real server", () => {
  const api = () =>
    stubApi((request) => {
      if (request.method === "GET") return [{ id: "pg001", name: "users-db" }];
      return { ok: true };
    });

  it("search_tools finds by words and service type, best first; describe_tools gives full schemas", async () => {
    const pair = await connect("sensitive-read", { session: signedIn(api(), "i4y"), operations: FULL, toolsMode: "discover" });
    try {
      const listed = await pair.client.listTools();
      assert.ok(JSON.stringify(listed.tools).length <= DISCOVERY_BYTES);
      const found = await pair.client.callTool({ name: "search_tools", arguments: { query: "postgresql credentials" } });
      const hits = (found.structuredContent as { tools: { name: string }[] }).tools.map((hit) => hit.name);
      assert.equal(hits[0], "services_postgresql_credentials", hits.join(", "));
      const typed = await pair.client.callTool({ name: "search_tools", arguments: { serviceType: "vllm", limit: 50 } });
      const vllm = (typed.structuredContent as { tools: { name: string }[] }).tools;
      assert.ok(vllm.length > 3 && vllm.every((hit) => hit.name.startsWith("services_vllm_")));
      const described = await pair.client.callTool({ name: "describe_tools", arguments: { names: ["services_postgresql_credentials", "services_valkey_add"] } });
      const body = described.structuredContent as { tools: { name: string; inputSchema: object }[]; refused: { name: string; error: string }[] };
      assert.equal(body.tools[0]!.name, "services_postgresql_credentials");
      assert.match(body.refused[0]!.error, /permission denied: .*enable `runos-write`/);
    } finally {
      await pair.close();
    }
  });

  it("call_tool holds the same three gates: the tier's refusal, confirmation, and the read tiers' write guard", async () => {
    const backend = api();
    const read = await connect("read", { session: signedIn(backend, "i4y"), toolsMode: "discover" });
    try {
      const refused = await read.client.callTool({ name: "call_tool", arguments: { name: "services_valkey_add", arguments: { name: "x", replicas: 1 } } });
      assert.equal(refused.isError, true);
      assert.match(textOf(refused), /permission denied: .*enable `runos-write` \(`runos mcp serve write`\)/);
      const sql = await read.client.callTool({ name: "call_tool", arguments: { name: "services_postgresql_exec-sql", arguments: { id: "pg001", query: "DELETE FROM users", readWrite: true } } });
      assert.notEqual(sql.isError, true, textOf(sql));
      const sent = backend.requests.filter((request) => request.method === "POST");
      assert.equal(sent.length, 1);
      assert.deepEqual((sent[0]!.body as { flags: unknown }).flags, { readWrite: false }, "ran read-only");
      const nested = await read.client.callTool({ name: "call_tool", arguments: { name: "call_tool", arguments: {} } });
      assert.equal(nested.isError, true);
    } finally {
      await read.close();
    }
    const writer = stubApi(() => ({ jobId: undefined }));
    const write = await connect("write", { session: signedIn(writer, "i4y"), toolsMode: "discover" });
    try {
      const unconfirmed = await write.client.callTool({ name: "call_tool", arguments: { name: "services_valkey_delete", arguments: { id: "vk001" } } });
      assert.equal(unconfirmed.isError, true);
      assert.match(textOf(unconfirmed), /^not run: `services_valkey_delete` is destructive/);
      const token = (unconfirmed.structuredContent as { confirm: string }).confirm;
      assert.deepEqual(writer.requests.map((request) => request.method), ["GET"], "the preview only reads");
      const confirmed = await write.client.callTool({ name: "call_tool", arguments: { name: "services_valkey_delete", arguments: { id: "vk001", confirm: token } } });
      assert.notEqual(confirmed.isError, true, textOf(confirmed));
      assert.deepEqual(writer.requests.map((request) => request.method), ["GET", "DELETE"]);
    } finally {
      await write.close();
    }
  });
});

describe("big answers", () => {
  const rows = Array.from({ length: 5_000 }, (_, index) => ({ id: `row-${index}`, name: `item number ${index}`, status: "running", notes: "x".repeat(40) }));

  it("cuts a long list at a whole item, says how many were left out and which arguments narrow it", () => {
    const { value, truncation } = capResult(rows, ["status", "limit"]);
    assert.ok(truncation !== undefined);
    assert.equal(truncation.total, 5_000);
    assert.ok(truncation.shown > 100 && truncation.shown < 5_000);
    assert.match(truncation.note, /^\d+ of 5000 items left out .* narrow the call with `status`, `limit`/);
    assert.ok(JSON.stringify(value).length <= MAX_RESULT_CHARS);
    assert.deepEqual((value as { items: unknown[] }).items[0], rows[0]);
  });

  it("keeps structuredContent the same shape: the list where it was, a truncated note beside it", () => {
    const result = successResult({ columns: ["id", "notes"], rows: rows.map((row) => [row.id, row.notes]), rowCount: 5_000 }, { tier: "read", command: "x", narrowWith: [], structured: true });
    const structured = result.structuredContent as { columns: string[]; rows: unknown[]; rowCount: number; truncated: { shown: number } };
    assert.deepEqual(structured.columns, ["id", "notes"]);
    assert.equal(structured.rows.length, structured.truncated.shown);
    assert.ok((result.content[0] as { text: string }).text.length <= MAX_RESULT_CHARS);
    assert.equal((successResult([{ id: 1 }], { tier: "read", structured: true }).structuredContent as { truncated?: unknown }).truncated, undefined);
    assert.equal(successResult([{ id: 1 }], { tier: "read" }).structuredContent, undefined, "no outputSchema, no structuredContent");
  });
});
