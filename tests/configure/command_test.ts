import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempDir, type TempDir } from "../_harness/temp_project.ts";
import { ConfirmationRequiredError, UsageError } from "../../src/errors.ts";
import { type ConfigureDeps, parseTiers } from "../../src/cli/commands/configure.ts";
import { runConfigureCli } from "./cli_harness.ts";
import { readTree } from "./golden_tree.ts";

describe("runos mcp configure (command line)", () => {
  let temp: TempDir;
  before(async () => {
    temp = await makeTempDir("configure-cli");
  });
  after(async () => {
    await temp.remove();
  });

  const run = (argv: string[], deps: ConfigureDeps = {}, json = false) =>
    runConfigureCli(temp.path, argv, { deps, json, env: { HOME: join(temp.path, "home"), RUNOS_CONFIG_DIR: join(temp.path, "runos-config") } });

  it("without a client lists the clients and the usage, and is a usage error (exit 2)", async () => {
    const { result, err } = run([]);
    await assert.rejects(result, (error: unknown) => error instanceof UsageError && error.exitCode === 2);
    const text = err.join("\n");
    assert.match(text, /^Usage: runos mcp configure <client>/);
    for (const id of ["claude", "roo", "codex", "cursor", "vscode", "gemini", "claude-desktop", "windsurf", "opencode", "copilot", "cline", "kilo", "qwen", "crush", "continue"]) {
      assert.match(text, new RegExp(`^  ${id} `, "m"));
    }
  });

  it("suggests the nearest client for a misspelt one", async () => {
    const { result } = run(["claud"]);
    await assert.rejects(result, (error: unknown) => error instanceof UsageError && /configure claude`/.test(error.hint ?? ""));
    const other = run(["vscod"]);
    await assert.rejects(other.result, (error: unknown) => error instanceof UsageError && /configure vscode`/.test(error.hint ?? ""));
  });

  it("rejects an unknown tier, a bad scope, and --dry-run with --print", async () => {
    assert.throws(() => parseTiers("read,admin"), UsageError);
    await assert.rejects(run(["claude", "--scope", "global"]).result, UsageError);
    await assert.rejects(run(["claude", "--dry-run", "--print"]).result, UsageError);
  });

  it("writes into --dir with the chosen tiers and reports each file", async () => {
    const dir = join(temp.path, "project-a");
    await mkdir(dir);
    const { result, out } = run(["codex", "--dir", dir, "--tiers", "read,write", "--yes"]);
    await result;
    const toml = await readFile(join(dir, ".codex", "config.toml"), "utf8");
    assert.match(toml, /\[mcp_servers\.runos\]/);
    assert.match(toml, /\[mcp_servers\.runos-write\]/);
    assert.doesNotMatch(toml, /sensitive/);
    assert.ok(out.includes(`Wrote ${join(dir, ".codex", "config.toml")}`));
  });

  it("codex without --yes and without a terminal refuses with exit code 1 and writes nothing", async () => {
    const dir = join(temp.path, "project-b");
    await mkdir(dir);
    const { result, err } = run(["codex", "--dir", dir]);
    await assert.rejects(result, (error: unknown) => error instanceof ConfirmationRequiredError && error.exitCode === 1);
    assert.match(err.join("\n"), /outside of its sandbox/);
    assert.equal((await readTree(dir)).size, 0);
  });

  it("with the embedded catalog, roo pre-approves read tools only", async () => {
    const dir = join(temp.path, "project-c");
    await mkdir(dir);
    const { result } = run(["roo", "--dir", dir], { loadOperations: undefined });
    await result;
    const roo = JSON.parse(await readFile(join(dir, ".roo", "mcp.json"), "utf8")) as {
      mcpServers: Record<string, { alwaysAllow: string[] }>;
    };
    const allowed = roo.mcpServers.runos!.alwaysAllow;
    assert.ok(allowed.includes("clusters_list") && allowed.includes("manifest_update"));
    const catalogTools = allowed.filter((name) => name !== "manifest_update");
    assert.ok(!catalogTools.some((name) => /_(add|delete|update|deploy|rotate|revoke|create)(_|$)/.test(name)), allowed.join(","));
    assert.ok(!allowed.some((name) => name.endsWith("_credentials")), "secrets are not on the read server");
    assert.deepEqual(roo.mcpServers["runos-write"]!.alwaysAllow, []);
  });

  it("--json prints one JSON object: client, scope, each file's status, and the notes", async () => {
    const dir = join(temp.path, "project-json");
    await mkdir(dir);
    const first = run(["claude", "--dir", dir], {}, true);
    await first.result;
    assert.equal(first.out.length, 1, first.out.join("\n"));
    const report = JSON.parse(first.out[0]!) as { client: string; scope: string; files: { path: string; status: string }[]; notes: string[] };
    assert.equal(report.client, "claude");
    assert.equal(report.scope, "project");
    assert.deepEqual(report.files, [
      { path: join(dir, ".mcp.json"), status: "written" },
      { path: join(dir, ".claude", "settings.json"), status: "written" },
    ]);
    assert.ok(report.notes.some((note) => /Never put a token/.test(note)));

    const again = run(["claude", "--dir", dir], {}, true);
    await again.result;
    assert.deepEqual((JSON.parse(again.out[0]!) as typeof report).files.map((file) => file.status), ["up-to-date", "up-to-date"]);
    const dry = run(["cursor", "--dir", dir, "--dry-run"], {}, true);
    await dry.result;
    assert.deepEqual((JSON.parse(dry.out[0]!) as typeof report).files.map((file) => file.status), ["would-write"]);
    const removed = run(["claude", "--dir", dir, "--remove"], {}, true);
    await removed.result;
    assert.deepEqual((JSON.parse(removed.out[0]!) as typeof report).files.map((file) => file.status), ["removed", "removed"]);
  });

  it("says --dir is ignored for clients with only a user-wide config", async () => {
    const dir = join(temp.path, "project-user-only");
    await mkdir(dir);
    for (const client of ["windsurf", "claude-desktop"]) {
      const { result, out } = run([client, "--dir", dir]);
      await result;
      assert.ok(out.some((line) => /^--dir was ignored: .* has only a user-wide config/.test(line)), out.join("\n"));
      assert.equal((await readTree(dir)).size, 0, "nothing is written into --dir");
    }
    const plain = run(["windsurf"]);
    await plain.result;
    assert.ok(!plain.out.some((line) => line.startsWith("--dir")), "no note without --dir");
    await assert.rejects(run(["windsurf", "--dir", dir, "--scope", "project"]).result, UsageError);
  });
});
