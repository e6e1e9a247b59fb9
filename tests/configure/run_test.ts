import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { makeTempDir, type TempDir } from "../_harness/temp_project.ts";
import { ConfigFileError, ConfirmationRequiredError, UsageError } from "../../src/errors.ts";
import { CODEX_SANDBOX_WARNING } from "../../src/configure/codex.ts";
import { type ConfigureRequest, runConfigure } from "../../src/configure/run.ts";
import { configureRequest } from "./cli_harness.ts";
import { readTree } from "./golden_tree.ts";

function recorder(options: { canPrompt?: boolean; answer?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  return {
    out,
    err,
    questions,
    io: {
      stdout: (text: string) => void out.push(text),
      stderr: (text: string) => void err.push(text),
      canPrompt: options.canPrompt ?? false,
      confirmTypedYes: (question: string) => {
        questions.push(question);
        return Promise.resolve(options.answer ?? false);
      },
    },
  };
}

describe("runConfigure", () => {
  let temp: TempDir;
  let count = 0;
  before(async () => {
    temp = await makeTempDir("configure-run");
  });
  after(async () => {
    await temp.remove();
  });

  const request = (clientId: string, overrides: Partial<ConfigureRequest> = {}) => configureRequest(join(temp.path, `case-${count++}`), clientId, overrides);

  it("--dry-run shows a unified diff and writes nothing", async () => {
    const req = await request("claude", { mode: "dry-run" });
    const rec = recorder();
    await runConfigure(req, rec.io);
    assert.equal((await readTree(req.root)).size, 0);
    const text = rec.out.join("\n");
    assert.match(text, /^\+\+\+ b.*\.mcp\.json$/m);
    assert.match(text, /^\+ {4}"runos-write": \{$/m);
    assert.match(text, /^@@ -0,0 \+1,\d+ @@$/m);
    assert.match(text, /Dry run: nothing was written\./);
  });

  it("--dry-run on an existing file shows only the changed lines with context", async () => {
    const req = await request("cursor", { mode: "dry-run" });
    const path = join(req.projectDir, ".cursor", "mcp.json");
    await mkdir(join(req.projectDir, ".cursor"));
    const original = '{\n  "mcpServers": {\n    "other": { "command": "x" }\n  }\n}\n';
    await writeFile(path, original);
    const rec = recorder();
    await runConfigure(req, rec.io);
    assert.equal(await readFile(path, "utf8"), original);
    const diff = rec.out.join("\n");
    assert.match(diff, /^- {4}"other": \{ "command": "x" \}$/m);
    assert.match(diff, /^\+ {4}"other": \{ "command": "x" \},$/m);
    assert.match(diff, /^ \{$/m);
  });

  it("--print prints the new contents to stdout and writes nothing", async () => {
    const req = await request("claude", { mode: "print" });
    const rec = recorder();
    await runConfigure(req, rec.io);
    assert.equal((await readTree(req.root)).size, 0);
    assert.equal(rec.out.filter((line) => line.startsWith("==> ")).length, 2);
    const mcpJson = JSON.parse(rec.out[1]!) as { mcpServers: Record<string, { args: string[] }> };
    assert.deepEqual(Object.keys(mcpJson.mcpServers), ["runos", "runos-sensitive-read", "runos-write", "runos-sensitive-write"]);
    assert.ok(rec.err.length > 0, "notes go to stderr so stdout stays the files");
  });

  it("--tiers writes only the chosen servers, and the allow rule only with the read tier", async () => {
    const req = await request("claude", { tiers: ["write"] });
    await runConfigure(req, recorder().io);
    const files = await readTree(req.root);
    const mcp = JSON.parse(files.get("project/.mcp.json")!) as { mcpServers: Record<string, unknown> };
    assert.deepEqual(Object.keys(mcp.mcpServers), ["runos-write"]);
    assert.equal(files.has("project/.claude/settings.json"), false);
  });

  it("--remove takes out runos's servers and the mcp__runos__* rule and keeps the rest", async () => {
    const req = await request("claude");
    await mkdir(join(req.projectDir, ".claude"));
    await writeFile(join(req.projectDir, ".mcp.json"), '{\n  "mcpServers": {\n    "github": { "command": "gh" }\n  }\n}\n');
    await writeFile(join(req.projectDir, ".claude", "settings.json"), '{\n  "permissions": { "allow": ["Bash(ls)"] }\n}\n');
    const before = await readTree(req.projectDir);
    await runConfigure(req, recorder().io);
    await runConfigure({ ...req, remove: true }, recorder().io);
    const after = await readTree(req.projectDir);
    assert.deepEqual(JSON.parse(after.get(".mcp.json")!), JSON.parse(before.get(".mcp.json")!));
    assert.deepEqual(JSON.parse(after.get(".claude/settings.json")!), { permissions: { allow: ["Bash(ls)"] } });
    assert.equal(after.get(".mcp.json"), before.get(".mcp.json"), "removing restores the original bytes");
  });

  it("--remove of a subset leaves the other tiers in place", async () => {
    const req = await request("codex");
    await runConfigure(req, recorder().io);
    await runConfigure({ ...req, remove: true, tiers: ["write", "sensitive-write"] }, recorder().io);
    const toml = parseToml(await readFile(join(req.projectDir, ".codex", "config.toml"), "utf8")) as { mcp_servers: Record<string, unknown> };
    assert.deepEqual(Object.keys(toml.mcp_servers), ["runos", "runos-sensitive-read"]);
  });

  it("--remove with no file creates nothing", async () => {
    const req = await request("roo", { remove: true });
    const rec = recorder();
    await runConfigure(req, rec.io);
    assert.equal((await readTree(req.root)).size, 0);
    assert.match(rec.out.join("\n"), /Nothing to remove/);
  });

  it("codex refuses without --yes when no terminal can answer, and writes nothing", async () => {
    const req = await request("codex", { yes: false });
    const rec = recorder({ canPrompt: false });
    await assert.rejects(runConfigure(req, rec.io), (error: unknown) => {
      assert.ok(error instanceof ConfirmationRequiredError);
      assert.equal(error.exitCode, 1);
      assert.match(error.hint ?? "", /--yes/);
      return true;
    });
    assert.equal((await readTree(req.root)).size, 0);
    assert.ok(rec.err.join("\n").includes(CODEX_SANDBOX_WARNING));
    assert.match(CODEX_SANDBOX_WARNING, /outside of its sandbox.*full access.*VM or Docker container/);
  });

  it("cline asks the user to accept that its CLI runs every tool unasked before writing the servers that must ask", async () => {
    const req = await request("cline", { yes: false });
    const rec = recorder({ canPrompt: false });
    await assert.rejects(runConfigure(req, rec.io), ConfirmationRequiredError);
    assert.equal((await readTree(req.root)).size, 0, "nothing was written");
    assert.match(rec.err.join("\n"), /cline` CLI approves every tool call by default .*runos-sensitive-read, runos-write and runos-sensitive-write would run without asking.*--auto-approve false/);

    const readOnly = await request("cline", { yes: false, tiers: ["read"] });
    await runConfigure(readOnly, recorder({ canPrompt: false }).io);
    assert.ok([...(await readTree(readOnly.root)).keys()].some((path) => path.endsWith("cline_mcp_settings.json")), "the read server alone needs no warning");
  });

  it("qwen asks for the three other servers whatever its approval mode, keeping the user's rules, and --remove takes only runos's out", async () => {
    const req = await request("qwen");
    const path = join(req.projectDir, ".qwen", "settings.json");
    await mkdir(join(req.projectDir, ".qwen"), { recursive: true });
    await writeFile(path, JSON.stringify({ permissions: { ask: ["Bash(rm *)"], deny: ["WebFetch"] } }, null, 2));
    await runConfigure(req, recorder().io);
    const written = JSON.parse(await readFile(path, "utf8")) as { permissions: { ask: string[]; deny: string[] } };
    assert.deepEqual(written.permissions.ask, ["Bash(rm *)", "mcp__runos-sensitive-read", "mcp__runos-write", "mcp__runos-sensitive-write"]);
    assert.deepEqual(written.permissions.deny, ["WebFetch"]);
    await runConfigure({ ...req, remove: true }, recorder().io);
    assert.deepEqual(JSON.parse(await readFile(path, "utf8")).permissions, { ask: ["Bash(rm *)"], deny: ["WebFetch"] });
  });

  it("codex on a terminal writes only after a typed yes", async () => {
    const declined = await request("codex", { yes: false });
    await assert.rejects(runConfigure(declined, recorder({ canPrompt: true, answer: false }).io), ConfirmationRequiredError);
    assert.equal((await readTree(declined.root)).size, 0);

    const accepted = await request("codex", { yes: false });
    const rec = recorder({ canPrompt: true, answer: true });
    await runConfigure(accepted, rec.io);
    assert.equal(rec.questions.length, 1);
    assert.match(rec.questions[0]!, /\.codex\/config\.toml/);
    assert.ok((await readTree(accepted.root)).has("project/.codex/config.toml"));
  });

  it("codex tells how to trust the project, and --trust merges it into $CODEX_HOME/config.toml", async () => {
    const req = await request("codex");
    const rec = recorder();
    await runConfigure(req, rec.io);
    const notes = rec.out.join("\n");
    assert.ok(notes.includes(`[projects.${JSON.stringify(req.projectDir)}]\ntrust_level = "trusted"`));
    assert.equal((await readTree(join(req.root, "home"))).size, 0, "the user's global file is not touched without --trust");

    const codexHome = join(req.root, "codex-home");
    await mkdir(codexHome);
    await writeFile(join(codexHome, "config.toml"), `# mine\nmodel = "o3"\n\n[projects.${JSON.stringify(req.projectDir)}]\ntrust_level = "untrusted"\nnote = "x"\n`);
    await runConfigure({ ...req, trust: true, env: { ...req.env, codexHome } }, recorder().io);
    const text = await readFile(join(codexHome, "config.toml"), "utf8");
    assert.ok(text.startsWith("# mine\n"));
    const parsed = parseToml(text) as { model: string; projects: Record<string, { trust_level: string; note: string }> };
    assert.equal(parsed.model, "o3");
    assert.deepEqual({ ...parsed.projects[req.projectDir] }, { trust_level: "trusted", note: "x" });
  });

  it("codex writes no env and approves only the read server", async () => {
    const req = await request("codex");
    await runConfigure(req, recorder().io);
    const toml = parseToml(await readFile(join(req.projectDir, ".codex", "config.toml"), "utf8")) as {
      mcp_servers: Record<string, { default_tools_approval_mode: string; startup_timeout_sec: number; env?: unknown }>;
    };
    assert.equal(toml.mcp_servers.runos!.default_tools_approval_mode, "approve");
    for (const name of ["runos-sensitive-read", "runos-write", "runos-sensitive-write"]) {
      assert.equal(toml.mcp_servers[name]!.default_tools_approval_mode, "prompt");
    }
    assert.ok(Object.values(toml.mcp_servers).every((server) => server.startup_timeout_sec === 20 && server.env === undefined));
  });

  it("escapes Windows paths and paths with spaces and quotes in JSON and TOML", async () => {
    const selves = [
      { command: "C:\\Program Files\\RunOS\\runos.exe", args: [] },
      { command: "/opt/deno dir/bin/deno", args: ["run", "-A", "/home/me/my \"runos\"/mod.ts"] },
    ];
    for (const self of selves) {
      const req = await request("codex", { self });
      await runConfigure(req, recorder().io);
      const toml = parseToml(await readFile(join(req.projectDir, ".codex", "config.toml"), "utf8")) as {
        mcp_servers: Record<string, { command: string; args: string[] }>;
      };
      assert.equal(toml.mcp_servers["runos-write"]!.command, self.command);
      assert.deepEqual(toml.mcp_servers["runos-write"]!.args, [...self.args, "mcp", "serve", "write"]);

      const claude = await request("claude", { self });
      await runConfigure(claude, recorder().io);
      const json = JSON.parse(await readFile(join(claude.projectDir, ".mcp.json"), "utf8")) as {
        mcpServers: Record<string, { command: string; args: string[] }>;
      };
      assert.equal(json.mcpServers.runos!.command, self.command);
      assert.deepEqual(json.mcpServers.runos!.args, [...self.args, "mcp", "serve", "read"]);
    }
  });

  it("claude user scope merges into ~/.claude.json without touching the rest", async () => {
    const req = await request("claude", { scope: "user" });
    const original = '{\n  "numStartups": 42,\n  "userID": 98765432109876543210,\n  "projects": {\n    "/x": { "mcpServers": {} }\n  },\n  "theme": "dark"\n}\n';
    await writeFile(join(req.env.home, ".claude.json"), original);
    await runConfigure(req, recorder().io);
    const text = await readFile(join(req.env.home, ".claude.json"), "utf8");
    assert.ok(text.startsWith('{\n  "numStartups": 42,\n  "userID": 98765432109876543210,\n  "projects": {\n    "/x": { "mcpServers": {} }\n  },\n  "theme": "dark",\n  "mcpServers": {'));
    const settings = JSON.parse(await readFile(join(req.env.home, ".claude", "settings.json"), "utf8"));
    assert.deepEqual(settings, { permissions: { allow: ["mcp__runos__*"] } });
    assert.equal((await readTree(req.projectDir)).size, 0);
    assert.equal(await readFile(join(req.env.home, ".claude.json.bak"), "utf8"), original);
  });

  it("refuses a scope the client does not have", async () => {
    await assert.rejects(runConfigure(await request("windsurf", { scope: "project" }), recorder().io), UsageError);
    await assert.rejects(runConfigure(await request("roo", { scope: "user" }), recorder().io), UsageError);
  });

  it("puts user-scope files where each client reads them", async () => {
    const cases: [string, string][] = [
      ["cursor", "home/.cursor/mcp.json"],
      ["gemini", "home/.gemini/settings.json"],
      ["opencode", "home/.config/opencode/opencode.json"],
      ["codex", "home/.codex/config.toml"],
      ["windsurf", "home/.codeium/windsurf/mcp_config.json"],
      ["claude-desktop", "home/.config/Claude/claude_desktop_config.json"],
    ];
    for (const [client, file] of cases) {
      const req = await request(client, { scope: "user" });
      await runConfigure(req, recorder().io);
      assert.deepEqual([...(await readTree(req.root)).keys()], [file], client);
    }
  });

  it("prints each client's approval caveats", async () => {
    const roo = recorder();
    await runConfigure(await request("roo"), roo.io);
    assert.match(roo.out.join("\n"), /alwaysAllow only when its global "Always approve MCP" setting/);
    const claude = recorder();
    await runConfigure(await request("claude"), claude.io);
    assert.match(claude.out.join("\n"), /one-time|approve the project's MCP servers/);
    assert.match(claude.out.join("\n"), /Never put a token in \.mcp\.json/);
    const windsurf = recorder();
    await runConfigure(await request("windsurf"), windsurf.io);
    assert.match(windsurf.out.join("\n"), /at most 100 tools.*runos \d+, runos-sensitive-read \d+, runos-write \d+, runos-sensitive-write \d+/);
  });

  it("claude writes neither file when .claude cannot hold settings.json (no half-written configure)", async () => {
    const req = await request("claude");
    await writeFile(join(req.projectDir, ".claude"), "not a directory\n");
    const initial = await readTree(req.root);
    const rec = recorder();
    await assert.rejects(runConfigure(req, rec.io), (error: unknown) => {
      assert.ok(error instanceof ConfigFileError, String(error));
      assert.ok(error.message.includes(join(req.projectDir, ".claude", "settings.json")), error.message);
      assert.match(error.message, /nothing was changed/);
      return true;
    });
    assert.deepEqual(await readTree(req.root), initial, ".mcp.json was not written either");
    assert.equal(rec.out.some((line) => line.startsWith("Wrote ")), false);
  });

  it("roo keeps the alwaysAllow entries the user added on a re-run; --remove takes them with their server", async () => {
    const req = await request("roo");
    const path = join(req.projectDir, ".roo", "mcp.json");
    await runConfigure(req, recorder().io);
    type Roo = { mcpServers: Record<string, { alwaysAllow: string[] }> };
    const first = JSON.parse(await readFile(path, "utf8")) as Roo;
    const readTools = first.mcpServers.runos!.alwaysAllow;
    assert.ok(readTools.length > 0);
    first.mcpServers.runos!.alwaysAllow = ["my_custom_tool", ...readTools.slice(1)];
    first.mcpServers["runos-write"]!.alwaysAllow = ["services_valkey_add"];
    await writeFile(path, JSON.stringify(first, null, 2) + "\n");
    await runConfigure(req, recorder().io);
    const again = JSON.parse(await readFile(path, "utf8")) as Roo;
    assert.deepEqual(again.mcpServers.runos!.alwaysAllow, ["my_custom_tool", ...readTools.slice(1), readTools[0]!]);
    assert.deepEqual(again.mcpServers["runos-write"]!.alwaysAllow, ["services_valkey_add"]);
    assert.deepEqual(again.mcpServers["runos-sensitive-read"]!.alwaysAllow, []);
    const removed = recorder();
    await runConfigure({ ...req, remove: true }, removed.io);
    // Nothing but runos's servers was in it: no empty shell and no new .bak (the earlier run's stays).
    assert.deepEqual([...(await readTree(req.projectDir)).keys()], [".roo/mcp.json.bak"]);
    assert.ok(removed.out.includes(`Removed ${path} (nothing but runos's entries was in it)`), removed.out.join("\n"));
  });

  it("--tiers configures exactly those servers, leaves the others as they were, and says so", async () => {
    const req = await request("claude");
    await runConfigure(req, recorder().io);
    const full = await readTree(req.projectDir);
    const rec = recorder();
    await runConfigure({ ...req, tiers: ["write"] }, rec.io);
    assert.deepEqual(await readTree(req.projectDir), full);
    assert.deepEqual(rec.out.filter((line) => /^(Up to date|Wrote)/.test(line)), [`Up to date: ${join(req.projectDir, ".mcp.json")}`]);
    const leftNote = "Only runos-write is configured; left as they were: runos, runos-sensitive-read, runos-sensitive-write; " +
      "use --remove --tiers read,sensitive-read,sensitive-write to take them out.";
    assert.ok(rec.out.includes(leftNote), rec.out.join("\n"));
    for (const line of rec.out.filter((line) => line !== leftNote)) {
      assert.doesNotMatch(line, /runos-sensitive|mcp__runos__\*|runos,/, `only requested servers are named: ${line}`);
    }

    const removed = recorder();
    await runConfigure({ ...req, tiers: ["write"], remove: true }, removed.io);
    const servers = JSON.parse(await readFile(join(req.projectDir, ".mcp.json"), "utf8")) as { mcpServers: Record<string, unknown> };
    assert.deepEqual(Object.keys(servers.mcpServers), ["runos", "runos-sensitive-read", "runos-sensitive-write"]);
    assert.ok(removed.out.some((line) => line.startsWith("Only runos-write is taken out; left as they were: runos, ")), removed.out.join("\n"));
  });

  it("accepts a UTF-8 BOM and keeps it, and keeps CRLF line endings, in JSON and TOML files", async () => {
    const cursor = await request("cursor");
    const jsonPath = join(cursor.projectDir, ".cursor", "mcp.json");
    await mkdir(join(cursor.projectDir, ".cursor"));
    await writeFile(jsonPath, '\uFEFF{\r\n  "mcpServers": {\r\n    "other": { "command": "x" }\r\n  }\r\n}\r\n');
    await runConfigure(cursor, recorder().io);
    const json = await readFile(jsonPath, "utf8");
    assert.ok(json.startsWith('\uFEFF{\r\n  "mcpServers": {\r\n    "other": { "command": "x" },\r\n    "runos": {\r\n'), JSON.stringify(json));
    assert.equal(/(^|[^\r])\n/.test(json), false, "no bare LF line");
    assert.deepEqual(Object.keys((JSON.parse(json.slice(1)) as { mcpServers: object }).mcpServers).length, 5);
    const rec = recorder();
    await runConfigure(cursor, rec.io);
    assert.ok(rec.out.includes(`Up to date: ${jsonPath}`));

    const codex = await request("codex");
    const tomlPath = join(codex.projectDir, ".codex", "config.toml");
    await mkdir(join(codex.projectDir, ".codex"));
    await writeFile(tomlPath, '\uFEFF# mine\r\nmodel = "o3"\r\n');
    await runConfigure(codex, recorder().io);
    const toml = await readFile(tomlPath, "utf8");
    assert.ok(toml.startsWith('\uFEFF# mine\r\nmodel = "o3"\r\n\r\n[mcp_servers.runos]\r\n'), JSON.stringify(toml));
    assert.equal(/(^|[^\r])\n/.test(toml), false, "no bare LF line");
    assert.equal((parseToml(toml.slice(1)) as { model: string }).model, "o3");
  });
});
