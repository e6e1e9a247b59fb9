import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { baselineCatalog } from "../../../src/catalog/load.ts";
import { buildOperations, type Operation } from "../../../src/catalog/operation.ts";
import { auditLogAt, readAudit, readAuditRecords, readToolsChanges, type ToolsChangedEntry } from "../../../src/mcp/call/audit.ts";
import type { CatalogSource } from "../../../src/mcp/tools/manifest_update.ts";
import { createTierHost, type TierHost, type TierHostParts } from "../../../src/mcp/host/tier_host.ts";
import type { Tier } from "../../../src/policy/tier.ts";
import { NEXT_RELEASE_VERSION, nextRelease } from "../../_harness/catalog_release.ts";
import { withTempDir } from "../../_harness/temp_project.ts";
import { signedIn, stubApi } from "../_support.ts";

const release = (): Operation[] => buildOperations(nextRelease(baselineCatalog()));

/** What the read servers must be told the release did (see catalog_release.ts), written out by hand. */
const READ_CHANGE = {
  added: [{ name: "regions_list", command: "regions/list", method: "GET", endpoint: "/:aid/regions" }],
  removed: [{ name: "services_minio_buckets", command: "services/minio/{id}/buckets", method: "GET", endpoint: "/:aid/:cid/services/minio/:id/buckets" }],
  changed: [{
    name: "services_valkey_show",
    command: "services/valkey/{id}/show",
    before: { method: "GET", endpoint: "/:aid/:cid/services/valkey/:id" },
    after: { method: "GET", endpoint: "/:aid/:cid/valkey/:id" },
  }],
};

/** And the write servers. */
const WRITE_CHANGE = {
  added: [{ name: "services_valkey_restart", command: "services/valkey/{id}/restart", method: "POST", endpoint: "/:aid/:cid/services/valkey/:id/restart" }],
  removed: [],
  changed: [{
    name: "apps_deploy",
    command: "apps/{id}/deploy",
    before: { method: "POST", endpoint: "/:aid/:cid/apps/:id/deploy" },
    after: { method: "PUT", endpoint: "/:aid/:cid/apps/:id/deploy" },
  }],
};

async function withHost(tier: Tier, extra: { source?: CatalogSource; watched?: boolean; toolsets?: TierHostParts["toolsets"] }, run: (host: TierHost, auditFile: string, dir: string) => Promise<void>) {
  await withTempDir("tools-change", async (dir) => {
    const auditFile = join(dir, "state", "audit.jsonl");
    const watchPath = join(dir, "manifest.json");
    await writeFile(watchPath, "{}");
    await utimes(watchPath, new Date(1_000_000), new Date(1_000_000));
    const source = extra.source === undefined ? undefined : { ...extra.source, ...(extra.watched === true ? { watchPath } : {}) };
    const host = await createTierHost(tier, {
      session: signedIn(stubApi()),
      operations: buildOperations(baselineCatalog()),
      catalogVersion: baselineCatalog().version,
      audit: auditLogAt(auditFile),
      watchIntervalMs: 0,
      ...(source === undefined ? {} : { source }),
      ...(extra.toolsets === undefined ? {} : { toolsets: extra.toolsets }),
    });
    try {
      await run(host, auditFile, dir);
    } finally {
      await host.close();
    }
  });
}

/** An entry without its time (checked apart). */
function withoutTime(entry: ToolsChangedEntry): Omit<ToolsChangedEntry, "time"> {
  const { time: _time, ...rest } = entry;
  return rest;
}

describe("the tier host audits a change of its tools", () => {
  it("writes one tools-changed line with what the read server gained, lost and saw move", async () => {
    await withHost("read", {}, async (host, auditFile) => {
      const started = Date.now();
      await host.replaceOperations(release(), NEXT_RELEASE_VERSION, "sync");
      const changes = await readToolsChanges(auditFile, 10);
      assert.equal(changes.length, 1);
      assert.deepEqual(withoutTime(changes[0]!), { server: "runos", event: "tools-changed", from: "1.0.0", to: "2.0.0", by: "sync", ...READ_CHANGE });
      assert.ok(Date.parse(changes[0]!.time) >= started - 1_000);
    });
  });

  it("records, per tier, the tools of that tier only", async () => {
    for (const [tier, server, change] of [["sensitive-read", "runos-sensitive-read", READ_CHANGE], ["write", "runos-write", WRITE_CHANGE], ["sensitive-write", "runos-sensitive-write", WRITE_CHANGE]] as const) {
      await withHost(tier, {}, async (host, auditFile) => {
        await host.replaceOperations(release(), NEXT_RELEASE_VERSION, "sync");
        const [entry] = await readToolsChanges(auditFile, 10);
        assert.deepEqual(entry === undefined ? undefined : withoutTime(entry), { server, event: "tools-changed", from: "1.0.0", to: "2.0.0", by: "sync", ...change }, tier);
      });
    }
  });

  it("writes nothing when no tool of the tier came, went or changed its route", async () => {
    await withHost("read", {}, async (host, auditFile) => {
      // The release with its read edits undone: write commands and a description changed, nothing the read server can call.
      const readEdits = new Set(["regions_list", "services_valkey_show", "services_minio_buckets"]);
      const writesOnly = [
        ...release().filter((operation) => !readEdits.has(operation.toolName)),
        ...buildOperations(baselineCatalog()).filter((operation) => readEdits.has(operation.toolName)),
      ];
      await host.replaceOperations(writesOnly, NEXT_RELEASE_VERSION, "sync");
      assert.deepEqual(await readAuditRecords(auditFile, 10), []);
      assert.equal(host.tools.current().catalogVersion, NEXT_RELEASE_VERSION, "the tools were still replaced");
    });
  });

  it("writes the line of manifest_update beside the call's own line, which keeps its shape", async () => {
    const source: CatalogSource = { update: () => Promise.resolve({ changed: true, version: NEXT_RELEASE_VERSION, operations: release() }) };
    await withHost("write", { source }, async (host, auditFile) => {
      const result = await host.call("manifest_update", {});
      assert.notEqual(result.isError, true);
      const records = await readAuditRecords(auditFile, 10);
      assert.deepEqual(records.map((record) => "event" in record ? `${record.event} by ${record.by}` : `call ${record.tool}`), ["tools-changed by manifest_update", "call manifest_update"]);
      const [call] = await readAudit(auditFile, 10);
      assert.deepEqual(Object.keys(call!).sort(), ["arguments", "durationMs", "outcome", "requests", "server", "time", "tool"]);
      const [change] = await readToolsChanges(auditFile, 10);
      assert.deepEqual({ added: change!.added, removed: change!.removed, changed: change!.changed }, WRITE_CHANGE);
    });
  });

  it("writes the line of a reload when another process changed the cached catalog", async () => {
    const source: CatalogSource = {
      update: () => Promise.reject(new Error("not used")),
      reload: () => Promise.resolve({ version: NEXT_RELEASE_VERSION, operations: release() }),
    };
    await withHost("read", { source, watched: true }, async (host, auditFile, dir) => {
      await host.listTools();
      await utimes(join(dir, "manifest.json"), new Date(5_000_000), new Date(5_000_000));
      await host.listTools();
      const changes = await readToolsChanges(auditFile, 10);
      assert.deepEqual(changes.map((entry) => [entry.by, entry.from, entry.to, entry.added.length, entry.removed.length, entry.changed.length]), [["reload", "1.0.0", "2.0.0", 1, 1, 1]]);
    });
  });

  it("writes nothing for a new toolsets scope: what is listed changed, not what the tier can call", async () => {
    const toolsets = { initial: null, refresh: () => Promise.resolve({ scoped: true, serviceTypes: ["valkey"] }) };
    await withHost("read", { toolsets }, async (host, auditFile) => {
      const before = host.tools.current().tools.length;
      const rescoped = new Promise<void>((resolve) => host.onToolsChanged(() => resolve()));
      host.startBackground();
      await rescoped;
      assert.ok(host.tools.current().tools.length < before, "the listing did shrink");
      assert.deepEqual(await readAuditRecords(auditFile, 10), []);
    });
  });

  it("writes nothing without an audit log", async () => {
    await withTempDir("tools-change-none", async (dir) => {
      const host = await createTierHost("read", { session: signedIn(stubApi()), operations: buildOperations(baselineCatalog()), catalogVersion: "1.0.0" });
      try {
        await host.replaceOperations(release(), NEXT_RELEASE_VERSION, "sync");
        assert.equal(host.tools.current().catalogVersion, NEXT_RELEASE_VERSION);
        assert.deepEqual(await readAuditRecords(join(dir, "audit.jsonl"), 10), []);
      } finally {
        await host.close();
      }
    });
  });
});
