import { describe, it } from "node:test";
import process from "node:process";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type AuditEntry,
  auditArguments,
  auditLogAt,
  readAudit,
  readAuditRecords,
  readToolsChanges,
  type ToolsChangedEntry,
} from "../../../src/mcp/call/audit.ts";
import { main } from "../../../src/cli/main.ts";
import { withTempDir } from "../../_harness/temp_project.ts";
import { connect, signedIn, stubApi } from "../_support.ts";

const entry = (tool: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  time: "2026-12-01T10:00:00.000Z",
  server: "runos",
  tool,
  arguments: {},
  outcome: "ok",
  durationMs: 3,
  requests: [],
  ...extra,
});

/** A change of runos-write's tools from 1.0.0 to 2.0.0: one added, one changed. */
const change = (extra: Partial<ToolsChangedEntry> = {}): ToolsChangedEntry => ({
  time: "2026-12-01T10:00:05.000Z",
  server: "runos-write",
  event: "tools-changed",
  from: "1.0.0",
  to: "2.0.0",
  by: "sync",
  added: [{ name: "services_valkey_restart", command: "services/valkey/{id}/restart", method: "POST", endpoint: "/:aid/:cid/services/valkey/:id/restart" }],
  removed: [],
  changed: [{ name: "apps_deploy", command: "apps/{id}/deploy", before: { method: "POST", endpoint: "/:aid/:cid/apps/:id/deploy" }, after: { method: "PUT", endpoint: "/:aid/:cid/apps/:id/deploy" } }],
  ...extra,
});

describe("the audit log", () => {
  it("keeps each line whole with four servers appending at once", async () => {
    await withTempDir("audit", async (dir) => {
      const path = join(dir, "audit.jsonl");
      const logs = [0, 1, 2, 3].map(() => auditLogAt(path));
      await Promise.all(logs.flatMap((log, server) => Array.from({ length: 150 }, (_, index) => log.record(entry(`tool_${server}_${index}`, { arguments: { pad: "x".repeat(300) } })))));
      const lines = (await readFile(path, "utf8")).split("\n").filter((line) => line !== "");
      assert.equal(lines.length, 600);
      for (const line of lines) assert.equal((JSON.parse(line) as AuditEntry).server, "runos");
    });
  });

  it("rotates by size and reads the last entries across generations, oldest first", async () => {
    await withTempDir("audit-rotate", async (dir) => {
      const path = join(dir, "audit.jsonl");
      const log = auditLogAt(path, { maxBytes: 2_000, keep: 3 });
      for (let index = 0; index < 80; index++) await log.record(entry(`tool_${index}`));
      const last = await readAudit(path, 5, 3);
      assert.deepEqual(last.map((item) => item.tool), ["tool_75", "tool_76", "tool_77", "tool_78", "tool_79"]);
      const many = await readAudit(path, 1_000, 3);
      assert.ok(many.length < 80 && many.length > 20, `the oldest generations are dropped (${many.length} kept)`);
      assert.deepEqual(many.map((item) => item.tool), [...many.map((item) => item.tool)].sort((a, b) => Number(a.split("_")[1]) - Number(b.split("_")[1])));
    });
  });

  it("never keeps a secret of the arguments, whatever the tier", () => {
    assert.deepEqual(auditArguments({ name: "DB_PASSWORD", value: "hunter2-Xq9", password: "p4ss-word-77" }), { name: "DB_PASSWORD", value: "[redacted]", password: "[redacted]" });
  });

  it("gets one line per call from a server, with outcome, duration and what reached the API", async () => {
    await withTempDir("audit-server", async (dir) => {
      const path = join(dir, "audit.jsonl");
      const api = stubApi(() => [{ id: "i4y" }]);
      const pair = await connect("sensitive-read", { session: signedIn(api), audit: auditLogAt(path) });
      try {
        await pair.client.callTool({ name: "clusters_list", arguments: {} });
        await pair.client.callTool({ name: "services_valkey_add", arguments: { name: "x" } });
      } finally {
        await pair.close();
      }
      const [listed, refused] = await readAudit(path, 10);
      assert.equal(listed!.server, "runos-sensitive-read");
      assert.equal(listed!.tool, "clusters_list");
      assert.equal(listed!.outcome, "ok");
      assert.deepEqual(listed!.requests, [{ method: "GET", path: "/acme/clusters" }]);
      assert.equal(refused!.outcome, "error");
      assert.equal(refused!.error?.type, "PermissionDeniedError");
      assert.deepEqual(refused!.requests, []);
    });
  });

  it("keeps tool-list changes apart: readAudit gives the calls only, as its readers expect", async () => {
    await withTempDir("audit-kinds", async (dir) => {
      const path = join(dir, "audit.jsonl");
      const log = auditLogAt(path);
      await log.record(entry("a_list"));
      await log.record(change());
      await log.record(entry("b_show"));
      assert.deepEqual((await readAudit(path, 10)).map((item) => item.tool), ["a_list", "b_show"]);
      assert.deepEqual((await readAudit(path, 1)).map((item) => item.tool), ["b_show"]);
      assert.deepEqual((await readAuditRecords(path, 2)).map((item) => ("event" in item ? item.event : item.tool)), ["tools-changed", "b_show"]);
      assert.deepEqual(await readToolsChanges(path, 5), [change()]);
    });
  });

  it("`runos audit` shows a change of tools as one row between the calls", async () => {
    await withTempDir("audit-cli-change", async (dir) => {
      const saved = process.env.RUNOS_CONFIG_DIR;
      process.env.RUNOS_CONFIG_DIR = dir;
      try {
        const log = auditLogAt(join(dir, "state", "audit.jsonl"));
        await log.record(entry("a_list"));
        await log.record(change());
        let out = "";
        const io = { stdout: (text: string) => void (out += text), stderr: () => {} };
        assert.equal(await main(["audit"], io), 0);
        assert.match(out, /^2026-12-01 10:00:05Z +runos-write +tools changed 1\.0\.0 → 2\.0\.0 by sync: 1 added, 1 changed$/m);
        assert.match(out, /a_list +ok +3 ms/);
        assert.match(out, /runos audit --json/);
        out = "";
        assert.equal(await main(["--json", "audit"], io), 0);
        assert.deepEqual((JSON.parse(out) as unknown[])[1], change());
      } finally {
        if (saved === undefined) delete process.env.RUNOS_CONFIG_DIR;
        else process.env.RUNOS_CONFIG_DIR = saved;
      }
    });
  });

  it("`runos audit --tail N --json` prints the last calls", async () => {
    await withTempDir("audit-cli", async (dir) => {
      const saved = process.env.RUNOS_CONFIG_DIR;
      process.env.RUNOS_CONFIG_DIR = dir;
      try {
        const log = auditLogAt(join(dir, "state", "audit.jsonl"));
        for (const tool of ["a_list", "b_show", "c_add"]) await log.record(entry(tool, { requests: [{ method: "GET", path: `/acme/${tool}` }] }));
        let out = "";
        const io = { stdout: (text: string) => void (out += text), stderr: () => {} };
        assert.equal(await main(["--json", "audit", "--tail", "2"], io), 0);
        assert.deepEqual((JSON.parse(out) as AuditEntry[]).map((item) => item.tool), ["b_show", "c_add"]);
        out = "";
        assert.equal(await main(["audit"], io), 0);
        assert.match(out, /^TIME +SERVER +TOOL +OUTCOME +TOOK +REQUESTS\n/);
        assert.match(out, /c_add +ok +3 ms +GET \/acme\/c_add/);
        assert.equal(await main(["audit", "--tail", "0"], io), 2);
      } finally {
        if (saved === undefined) delete process.env.RUNOS_CONFIG_DIR;
        else process.env.RUNOS_CONFIG_DIR = saved;
      }
    });
  });
});
