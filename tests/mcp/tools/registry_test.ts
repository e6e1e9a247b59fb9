import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { baselineCatalog } from "../../../src/catalog/load.ts";
import { buildOperations } from "../../../src/catalog/operation.ts";
import { TIERS } from "../../../src/policy/tier.ts";
import { tierInstructions } from "../../../src/mcp/host/sdk_server.ts";
import { buildRegistry, holdTools } from "../../../src/mcp/tools/registry.ts";
import writes from "../../../fixtures/tiers/baseline_writes.json" with { type: "json" };
import { WRITING_TIERS } from "../../_harness/tier_powers.ts";
import { baselineOperations } from "../_support.ts";

const operations = baselineOperations();

/** The oracle: which baseline commands change state, as fixtures/tiers/baseline_writes.json writes it down by hand. */
const WRITES = new Set([...writes.writes, ...writes.writesWhenAsked]);
const WRITES_WHEN_ASKED = new Set(writes.writesWhenAsked);
const READS = new Set(writes.reads);

/** The baseline with every command tagged for every tier: only the floors keep anything off a tier. */
function taggedForEveryTier() {
  const catalog = baselineCatalog();
  return buildOperations({ ...catalog, commands: catalog.commands.map((command) => ({ ...command, mcp: ["read", "sensitive_read", "write", "sensitive_write"] })) });
}

function schemaOf(tier: (typeof TIERS)[number], name: string, hasDefaultCluster = false) {
  const tool = buildRegistry(tier, operations, { hasDefaultCluster }).get(name)?.tool;
  assert.ok(tool, `${name} on ${tier}`);
  return tool.inputSchema as unknown as { properties: Record<string, { type: string; pattern?: string; description?: string }>; required: string[] };
}

describe("buildRegistry()", () => {
  it("lists no mutating operation on the read tiers, except exec-sql in read-only mode, whatever the tags", () => {
    for (const operation of operations) {
      assert.ok(WRITES.has(operation.command) !== READS.has(operation.command), `fixtures/tiers/baseline_writes.json classifies ${operation.command} exactly once`);
    }
    for (const [catalog, candidates] of [["the baseline", operations], ["the baseline tagged for every tier", taggedForEveryTier()]] as const) {
      for (const tier of TIERS.filter((candidate) => !WRITING_TIERS.has(candidate))) {
        const registry = buildRegistry(tier, candidates, { hasDefaultCluster: false });
        let readOnly = 0;
        for (const tool of registry.tools) {
          const entry = registry.get(tool.name)!;
          if (entry.kind !== "operation" || !WRITES.has(entry.operation.command)) continue;
          assert.ok(WRITES_WHEN_ASKED.has(entry.operation.command), `${tool.name} writes, yet ${tier} lists it (${catalog})`);
          assert.equal(entry.decision.kind, "allow-read-only", `${tool.name} on ${tier} (${catalog})`);
          readOnly++;
        }
        assert.equal(readOnly, WRITES_WHEN_ASKED.size, `${tier} lists exec-sql read-only (${catalog})`);
      }
    }
  });

  it("answers tools/list in name order, frozen, and the same tools whenever it is built from the same catalog", () => {
    const registry = buildRegistry("sensitive-write", operations, { hasDefaultCluster: false });
    const names = registry.tools.map((tool) => tool.name);
    assert.deepEqual(names, [...names].sort());
    assert.ok(Object.isFrozen(registry.tools));
    const shuffled = [...operations].reverse();
    assert.deepEqual(buildRegistry("sensitive-write", shuffled, { hasDefaultCluster: false }).tools, registry.tools);
  });

  it("adds manifest_update everywhere and jobs_follow where jobs are listed or started", () => {
    for (const tier of TIERS) {
      const names = buildRegistry(tier, operations, { hasDefaultCluster: false }).tools.map((tool) => tool.name);
      assert.ok(names.includes("manifest_update"), tier);
      assert.ok(names.includes("jobs_follow"), tier);
    }
    const readOnlyCatalog = operations.filter((operation) => operation.verbPath[0] === "clusters");
    assert.ok(!buildRegistry("read", readOnlyCatalog, { hasDefaultCluster: false }).tools.some((tool) => tool.name === "jobs_follow"));
  });

  it("answers a shortened tool's full, unshortened name too, and refuses it by that name where unlisted", () => {
    const rotate = operations.find((operation) => operation.command === "services/postgresql/{id}/rotate-credentials")!;
    assert.notEqual(rotate.toolName, "services_postgresql_rotate-credentials");
    const listed = buildRegistry("sensitive-write", operations, { hasDefaultCluster: false }).resolve("services_postgresql_rotate-credentials");
    assert.equal(listed.kind, "listed");
    if (listed.kind === "listed") assert.equal(listed.tool.name, rotate.toolName);
    const refused = buildRegistry("read", operations, { hasDefaultCluster: false }).resolve("services_postgresql_rotate-credentials");
    assert.equal(refused.kind, "refused");
    if (refused.kind === "refused") assert.match(refused.error.message, /enable `runos-sensitive-write`/);
  });

  it("refuses an unlisted tool naming the server that has it, and an unknown one with how to refresh", () => {
    const registry = buildRegistry("sensitive-read", operations, { hasDefaultCluster: false });
    const rotate = operations.find((operation) => operation.command === "services/postgresql/{id}/rotate-credentials")!;
    const denied = registry.resolve(rotate.toolName);
    assert.equal(denied.kind, "refused");
    if (denied.kind === "refused") assert.match(denied.error.message, /enable `runos-sensitive-write` \(`runos mcp serve sensitive-write`\)/);
    const unknown = registry.resolve("clusters_destroy");
    assert.equal(unknown.kind, "refused");
    if (unknown.kind === "refused") assert.match(`${unknown.error.message} ${unknown.error.hint}`, /unknown tool `clusters_destroy`.*manifest_update/);
  });
});

describe("tool definitions", () => {
  it("adds cid, required only when no default cluster is set", () => {
    const without = schemaOf("read", "services_valkey_list");
    // The id rule is the checker's to state (its refusal says it), not repeated in every tool.
    assert.equal(without.properties.cid?.type, "string");
    assert.ok((without.required ?? []).includes("cid"));
    const withDefault = schemaOf("read", "services_valkey_list", true);
    assert.ok(!(withDefault.required ?? []).includes("cid"));
    assert.equal(schemaOf("read", "clusters_list").properties.cid, undefined);
  });

  it("gives destructive tools a confirm string for the preview's token; the description says preview first, the instructions say it once at length", () => {
    const registry = buildRegistry("write", operations, { hasDefaultCluster: false });
    const tool = registry.get("services_valkey_delete")!.tool;
    const schema = tool.inputSchema as unknown as { properties: Record<string, { type: string; description?: string }>; required: string[] };
    assert.deepEqual(schema.properties.confirm, { type: "string" });
    assert.ok(!schema.required.includes("confirm"), "the first call, without it, answers the preview");
    assert.match(tool.description ?? "", /DESTRUCTIVE: preview first; confirm: <token> if the user agrees\.$/);
    assert.match(tierInstructions("write"), /A destructive tool runs only with a confirm token\. Get it with the preview of what the call destroys from preview_destructive on `runos` .*show the preview to the user and pass the token only after they explicitly agreed to that exact target/);
    assert.match(tierInstructions("read"), /Before a destructive call on a write server, get its preview .* with preview_destructive, which only reads/);
    assert.deepEqual(tool.annotations, { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false });
    assert.deepEqual(tool._meta, { "anthropic/requiresUserInteraction": true });
  });

  it("hides readWrite on read tiers and exposes it with confirm on write tiers", () => {
    const read = buildRegistry("read", operations, { hasDefaultCluster: false }).get("services_postgresql_exec-sql")!.tool;
    const readSchema = read.inputSchema as { properties: Record<string, unknown>; required: string[] };
    assert.equal(readSchema.properties.readWrite, undefined);
    assert.equal(readSchema.properties.confirm, undefined);
    assert.match(read.description ?? "", /read-only here; writes need `runos-write`/i);
    assert.equal(read.annotations?.readOnlyHint, true);

    const sensitiveRead = buildRegistry("sensitive-read", operations, { hasDefaultCluster: false }).get("services_postgresql_exec-sql")!.tool;
    assert.match(sensitiveRead.description ?? "", /writes need `runos-sensitive-write`/);

    const write = schemaOf("write", "services_postgresql_exec-sql");
    assert.equal(write.properties.readWrite?.type, "boolean");
    assert.equal(write.properties.confirm?.type, "string");
    assert.ok(!(write.required ?? []).includes("confirm"));
    const writeTool = buildRegistry("write", operations, { hasDefaultCluster: false }).get("services_postgresql_exec-sql")!.tool;
    assert.match(writeTool.description ?? "", /readWrite: true can destroy data: preview first; confirm: <token> if the user agrees\.$/);
  });

  it("says when a tool starts a job, and the server's instructions say once how such calls wait", () => {
    const tool = buildRegistry("write", operations, { hasDefaultCluster: false }).get("services_valkey_add")!.tool;
    assert.match(tool.description ?? "", /starts a job/);
    assert.match(tierInstructions("write"), /start a job .* wait up to 2 minutes .* jobs_follow/);
  });
});

describe("rescoping a tier's tools", () => {
  it("keeps the registry when the same tools are hidden, and rebuilds it when others are", () => {
    const operations = buildOperations(baselineCatalog());
    const holder = holdTools("read", operations, { hasDefaultCluster: false });
    const first = holder.current();
    assert.equal(holder.rescope(() => new Set()), false);
    assert.equal(holder.current(), first, "nothing hidden before or after: the same registry");
    const hidden = new Set(["clusters_list"]);
    assert.equal(holder.rescope(() => hidden), true);
    assert.ok(!holder.current().tools.some((tool) => tool.name === "clusters_list"));
    assert.equal(holder.rescope(() => new Set(hidden)), false);
  });
});
