import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempDir, type TempDir } from "../_harness/temp_project.ts";
import { ConfigFileError, UsageError } from "../../src/errors.ts";
import type { ConfigureDeps } from "../../src/cli/commands/configure.ts";
import { type ConfigureRequest, runConfigure } from "../../src/configure/run.ts";
import { fewerTiersThatFit } from "../../src/configure/tool_cap.ts";
import { toolCountByTier } from "../../src/configure/servers.ts";
import { invokedPath } from "../../src/runtime.ts";
import type { Tier } from "../../src/policy/tier.ts";
import { configureRequest, runConfigureCli } from "./cli_harness.ts";
import { baselineOperations, readTree } from "./golden_tree.ts";

const ALL: Tier[] = ["read", "sensitive-read", "write", "sensitive-write"];

function recorder() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: (text: string) => void out.push(text),
      stderr: (text: string) => void err.push(text),
      canPrompt: false,
      confirmTypedYes: () => Promise.resolve(false),
    },
  };
}

describe("the path written into clients' configs", () => {
  const same = (files: Record<string, string>) => (candidate: string, exec: string) => files[candidate] === exec;
  const exec = "/opt/runos/0.3.1/runos";

  it("is the name found on PATH, not the symlink's versioned target", () => {
    const path = invokedPath({ argv0: "runos", execPath: exec, path: "/usr/bin:/usr/local/bin", cwd: "/w", platform: "linux", isSameFile: same({ "/usr/local/bin/runos": exec }) });
    assert.equal(path, "/usr/local/bin/runos");
  });

  it("is an absolute path as typed, and a relative one made absolute (its symlinks kept)", () => {
    assert.equal(invokedPath({ argv0: "/home/me/bin/runos", execPath: exec, path: "", cwd: "/w", platform: "linux", isSameFile: same({ "/home/me/bin/runos": exec }) }), "/home/me/bin/runos");
    assert.equal(invokedPath({ argv0: "./bin/runos", execPath: exec, path: "", cwd: "/w", platform: "linux", isSameFile: same({ "/w/bin/runos": exec }) }), "/w/bin/runos");
  });

  it("falls back to the executable's own path when the name is not this program", () => {
    assert.equal(invokedPath({ argv0: "runos", execPath: exec, path: "/usr/bin", cwd: "/w", platform: "linux", isSameFile: same({}) }), exec);
    assert.equal(invokedPath({ argv0: undefined, execPath: exec, path: "/usr/bin", cwd: "/w", platform: "linux" }), exec);
  });
});

describe("runos mcp configure: what it says and what it leaves", () => {
  let temp: TempDir;
  let count = 0;
  before(async () => {
    temp = await makeTempDir("configure-polish");
  });
  after(async () => {
    await temp.remove();
  });

  const request = (clientId: string, overrides: Partial<ConfigureRequest> = {}) => configureRequest(join(temp.path, `case-${count++}`), clientId, overrides);

  it("names the program the servers run and how to choose another", async () => {
    const rec = recorder();
    await runConfigure(await request("claude", { commandOrigin: "the runos you ran" }), rec.io);
    assert.ok(rec.out.includes("The servers run `/opt/runos/bin/runos mcp serve <tier>` (the runos you ran); choose another program with --command <path>."), rec.out.join("\n"));
  });

  it("says what changed in a runos entry that was already there", async () => {
    const req = await request("claude");
    await runConfigure(req, recorder().io);
    const rec = recorder();
    await runConfigure({ ...req, self: { command: "/usr/local/bin/runos", args: [] }, tiers: ["read"] }, rec.io);
    assert.ok(
      rec.out.includes(`Updated the existing runos entry in ${join(req.projectDir, ".mcp.json")}: command /opt/runos/bin/runos → /usr/local/bin/runos.`),
      rec.out.join("\n"),
    );
  });

  it("--remove deletes a file left with only runos's entries, its emptied directory, and makes no .bak", async () => {
    const req = await request("claude");
    await runConfigure(req, recorder().io);
    const rec = recorder();
    await runConfigure({ ...req, remove: true }, rec.io);
    assert.deepEqual([...(await readTree(req.projectDir)).keys()], []);
    assert.ok(rec.out.some((line) => line.startsWith("Removed ") && line.endsWith(".mcp.json (nothing but runos's entries was in it)")));
  });

  it("--remove keeps a file that holds anything else, without a .bak of that run", async () => {
    const req = await request("cursor");
    const path = join(req.projectDir, ".cursor", "mcp.json");
    await mkdir(join(req.projectDir, ".cursor"));
    await writeFile(path, `{"mcpServers": {"other": {"command": "x"}}}\n`);
    await runConfigure(req, recorder().io);
    await runConfigure({ ...req, remove: true }, recorder().io);
    assert.deepEqual(JSON.parse(await readFile(path, "utf8")), { mcpServers: { other: { command: "x" } } });
    assert.deepEqual([...(await readTree(req.projectDir)).keys()], [".cursor/mcp.json", ".cursor/mcp.json.bak"], "only the first run's backup");
  });

  it("--remove that keeps the file says it took runos's entries out, not that it \"Wrote\" it", async () => {
    const req = await request("cursor");
    const path = join(req.projectDir, ".cursor", "mcp.json");
    await mkdir(join(req.projectDir, ".cursor"));
    await writeFile(path, `{"mcpServers": {"other": {"command": "x"}}}\n`);
    await runConfigure(req, recorder().io);
    const rec = recorder();
    await runConfigure({ ...req, remove: true }, rec.io);
    assert.ok(rec.out.includes(`Removed runos's entries from ${path} (the rest of it kept)`), rec.out.join("\n"));
    assert.ok(!rec.out.some((line) => line.startsWith("Wrote ")), rec.out.join("\n"));
  });

  it("claude: only the project scope is warned that .mcp.json is committed; the user scope writes none", async () => {
    const project = recorder();
    await runConfigure(await request("claude"), project.io);
    assert.ok(project.out.some((line) => line.includes("Never put a token in .mcp.json; it is meant to be committed.")), project.out.join("\n"));
    const user = recorder();
    await runConfigure(await request("claude", { scope: "user" }), user.io);
    assert.ok(user.out.some((line) => line.startsWith("No token is written")), user.out.join("\n"));
    assert.ok(!user.out.some((line) => line.includes(".mcp.json")), user.out.join("\n"));
  });

  it("claude with --sandbox says the servers need no login, instead of pointing at the stored one", async () => {
    const rec = recorder();
    await runConfigure(await request("claude", { sandbox: true }), rec.io);
    assert.ok(rec.out.some((line) => line.includes("the servers run against the sandbox, which needs no login")), rec.out.join("\n"));
    assert.ok(!rec.out.some((line) => line.includes("stored login")), rec.out.join("\n"));
  });

  it("codex: a re-run recognises the project is trusted instead of asking for the trust lines again", async () => {
    const req = await request("codex", { trust: true });
    await runConfigure(req, recorder().io);
    const rec = recorder();
    await runConfigure({ ...req, trust: false }, rec.io);
    assert.ok(rec.out.some((line) => line.startsWith("The project is trusted in ")), rec.out.join("\n"));
    assert.ok(!rec.out.some((line) => line.includes("Add these lines")), rec.out.join("\n"));
  });

  it("--sandbox writes `mcp serve <tier> --sandbox` into every server", async () => {
    const req = await request("claude", { sandbox: true });
    await runConfigure(req, recorder().io);
    const servers = JSON.parse(await readFile(join(req.projectDir, ".mcp.json"), "utf8")) as { mcpServers: Record<string, { args: string[] }> };
    assert.deepEqual(servers.mcpServers["runos-write"]!.args, ["mcp", "serve", "write", "--sandbox"]);
    assert.equal(Object.values(servers.mcpServers).filter((server) => server.args.at(-1) === "--sandbox").length, 4);
  });

  it("warns when runos is not signed in, but not for sandbox servers", async () => {
    const rec = recorder();
    await runConfigure(await request("claude", { signedIn: false }), rec.io);
    assert.match(rec.err.join("\n"), /not signed in: .*every tool will answer "not authenticated".*runos login/);
    const sandbox = recorder();
    await runConfigure(await request("claude", { signedIn: false, sandbox: true }), sandbox.io);
    assert.equal(sandbox.err.join(""), "");
  });

  it("windsurf: refuses past its 100-tool cap without --force, naming tiers that fit; --force writes", async () => {
    const operations = baselineOperations();
    const counts = toolCountByTier(operations);
    const total = ALL.reduce((sum, tier) => sum + counts[tier], 0);
    assert.ok(total > 100, `the baseline's four servers list ${total} tools`);
    const req = await request("windsurf", { operations });
    await assert.rejects(runConfigure(req, recorder().io), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, new RegExp(`at most 100 tools .* would list ${total} .*nothing was written`));
      assert.match(error.hint ?? "", /--tiers [a-z,-]+` \(\d+ tools\)/);
      assert.match(error.hint ?? "", /--force/);
      return true;
    });
    assert.equal((await readTree(req.root)).size, 0);
    const forced = recorder();
    await runConfigure({ ...req, force: true }, forced.io);
    assert.equal((await readTree(req.root)).size, 1);
    assert.ok(forced.out.some((line) => /over the cap, written anyway \(--force\)/.test(line)), forced.out.join("\n"));
    const fit = fewerTiersThatFit(counts, 100)!;
    assert.ok(fit.reduce((sum, tier) => sum + counts[tier], 0) <= 100);
    const fits = recorder();
    await runConfigure(await request("windsurf", { operations, tiers: fit }), fits.io);
    assert.ok(fits.out.some((line) => /that fits/.test(line)), fits.out.join("\n"));
  });

  it("--tools discover is written into every server's arguments, offered past a cap, and fits Windsurf", async () => {
    const operations = baselineOperations();
    const over = await request("windsurf", { operations });
    await assert.rejects(runConfigure(over, recorder().io), (error: unknown) => {
      assert.match((error as UsageError).hint ?? "", /list only the discovery tools .*`runos mcp configure windsurf --tools discover` \(\d+ tools/);
      return true;
    });
    const discover = await request("windsurf", { operations, tools: "discover" });
    await runConfigure(discover, recorder().io);
    const [[, text]] = [...(await readTree(discover.root))];
    const servers = (JSON.parse(text!) as { mcpServers: Record<string, { args: string[] }> }).mcpServers;
    assert.equal(Object.keys(servers).length, 4);
    for (const [name, entry] of Object.entries(servers)) {
      const tier = name === "runos" ? "read" : name.replace(/^runos-/, "");
      assert.deepEqual(entry.args.slice(entry.args.indexOf("serve")), ["serve", tier, "--tools", "discover"], name);
    }
    const auto = await request("cursor", { operations, tools: "auto" });
    await runConfigure(auto, recorder().io);
    for (const [, content] of await readTree(auto.root)) assert.ok(!content.includes("--tools"), "auto is the default: nothing written");
  });

  it("Roo's alwaysAllow follows the listing --tools gives the read server", async () => {
    const operations = baselineOperations();
    const discover = await request("roo", { operations, tools: "discover" });
    await runConfigure(discover, recorder().io);
    const [[, text]] = [...(await readTree(discover.root))];
    const allow = (JSON.parse(text!) as { mcpServers: Record<string, { alwaysAllow: string[] }> }).mcpServers.runos!.alwaysAllow;
    assert.deepEqual([...allow].sort(), ["call_tool", "describe_tools", "jobs_follow", "manifest_update", "preview_destructive", "search_tools"]);
    assert.equal((JSON.parse(text!) as { mcpServers: Record<string, { alwaysAllow: string[] }> }).mcpServers["runos-write"]!.alwaysAllow.length, 0, "the write server's call_tool is never pre-approved");
  });

  it("fewerTiersThatFit keeps as many tiers as fit, leaving out the most powerful first", () => {
    assert.deepEqual(fewerTiersThatFit({ "read": 30, "sensitive-read": 35, "write": 20, "sensitive-write": 27 }, 100), ["read", "sensitive-read", "write"]);
    assert.deepEqual(fewerTiersThatFit({ "read": 60, "sensitive-read": 70, "write": 50, "sensitive-write": 40 }, 100), ["read", "sensitive-write"]);
    assert.equal(fewerTiersThatFit({ "read": 120, "sensitive-read": 130, "write": 150, "sensitive-write": 140 }, 100), undefined);
  });

  it("gives the line and column of a JSON or TOML syntax error", async () => {
    const json = await request("cursor");
    await mkdir(join(json.projectDir, ".cursor"));
    await writeFile(join(json.projectDir, ".cursor", "mcp.json"), `{\n  "mcpServers": {\n    "a": 1\n    "b": 2\n  }\n}\n`);
    await assert.rejects(runConfigure(json, recorder().io), (error: unknown) => error instanceof ConfigFileError && /line 4, column 5: unexpected/.test(error.message));
    const toml = await request("codex");
    await mkdir(join(toml.projectDir, ".codex"));
    await writeFile(join(toml.projectDir, ".codex", "config.toml"), `model = "o3"\n[mcp_servers\n`);
    await assert.rejects(runConfigure(toml, recorder().io), (error: unknown) => error instanceof ConfigFileError && /line 2, column \d+/.test(error.message));
  });
});

describe("runos mcp configure --command", () => {
  let temp: TempDir;
  before(async () => {
    temp = await makeTempDir("configure-command");
  });
  after(async () => {
    await temp.remove();
  });

  const run = (argv: string[], deps: ConfigureDeps = {}) => runConfigureCli(temp.path, argv, { deps: { signedIn: () => Promise.resolve(true), ...deps } });

  it("writes the program it names, made absolute, and warns when it is not there", async () => {
    const dir = join(temp.path, "project");
    await mkdir(dir);
    const { result, out, err } = run(["cursor", "--dir", dir, "--command", "bin/runos"]);
    await result;
    const config = JSON.parse(await readFile(join(dir, ".cursor", "mcp.json"), "utf8")) as { mcpServers: Record<string, { command: string }> };
    assert.equal(config.mcpServers.runos!.command, join(temp.path, "bin", "runos"));
    assert.ok(out.some((line) => line.includes("(from --command)")), out.join("\n"));
    assert.match(err.join("\n"), /is not a file here/);
  });
});
