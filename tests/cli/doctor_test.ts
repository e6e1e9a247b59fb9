import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { registerDoctorCommand } from "../../src/cli/commands/doctor.ts";
import type { Check } from "../../src/cli/doctor/check.ts";
import { servedTier } from "../../src/cli/doctor/clients.ts";
import type { ProbeResult, ProbeTarget } from "../../src/cli/doctor/probe.ts";
import { ExitWithCode } from "../../src/cli/exit_code.ts";
import { openSession } from "../../src/auth/session.ts";
import { updateCatalog } from "../../src/catalog/fetch.ts";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/mod.ts";
import { findClient } from "../../src/configure/clients.ts";
import { auditLogAt, type ToolsChangedEntry } from "../../src/mcp/call/audit.ts";
import { runConfigure } from "../../src/configure/run.ts";
import { SERVER_NAMES, type Tier, TIERS } from "../../src/policy/tier.ts";
import { captureCli } from "../_harness/cli.ts";
import { type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";
import { makeTempDir, type TempDir } from "../_harness/temp_project.ts";
import { testOperations } from "../configure/golden_tree.ts";

/** A probe that answers as a healthy runos server of the tier its arguments serve. */
const healthyProbe = (target: ProbeTarget): Promise<ProbeResult> =>
  Promise.resolve({ ok: true, serverName: SERVER_NAMES[servedTier(target.args) as Tier], tools: 12, ms: 3 });

describe("runos doctor", () => {
  let temp: TempDir;
  let api: FakeApiHarness;
  let count = 0;
  before(async () => {
    temp = await makeTempDir("doctor");
    api = await startFakeApi();
  });
  after(async () => {
    await api.close();
    await temp.remove();
  });

  /** A signed-in setup with a cached catalog and Claude configured to run an existing program. */
  async function setup(options: { signedIn?: boolean; cached?: boolean; clients?: string[] } = {}) {
    const root = join(temp.path, `case-${count++}`);
    const project = join(root, "project");
    const home = join(root, "home");
    const configDir = join(root, "config");
    await mkdir(project, { recursive: true });
    await mkdir(home, { recursive: true });
    const program = join(root, "bin", "runos");
    await mkdir(join(root, "bin"));
    await writeFile(program, "#!/bin/sh\n");
    await chmod(program, 0o755);
    const env: Record<string, string> = { RUNOS_CONFIG_DIR: configDir, HOME: home, RUNOS_API_URL: api.url, PATH: "/usr/bin:/bin" };
    if (options.signedIn !== false) Object.assign(env, { RUNOS_API_KEY: DEMO_TOKEN, RUNOS_ACCOUNT_ID: DEMO_ACCOUNT_ID });
    if (options.cached !== false && options.signedIn !== false) {
      const session = await openSession({ env });
      await updateCatalog(session);
    }
    for (const client of options.clients ?? ["claude"]) {
      await runConfigure({
        client: findClient(client)!,
        self: { command: program, args: [] },
        tiers: [...TIERS],
        operations: testOperations(),
        projectDir: project,
        env: { home, platform: "linux" },
        remove: false,
        trust: false,
        yes: true,
        mode: "write",
      }, { stdout: () => {}, stderr: () => {}, canPrompt: false, confirmTypedYes: () => Promise.resolve(false) });
    }
    return { root, project, home, env };
  }

  async function doctor(where: { project: string; env: Record<string, string> }, probe = healthyProbe) {
    const cli = captureCli({ json: true });
    registerDoctorCommand(cli.program, cli.context, { env: where.env, cwd: where.project, platform: "linux", probe });
    let code = 0;
    try {
      await cli.run(["doctor"]);
    } catch (error) {
      if (!(error instanceof ExitWithCode)) throw error;
      code = error.code;
    }
    const report = JSON.parse(cli.out.join("")) as { healthy: boolean; checks: Check[] };
    const find = (id: string) => report.checks.find((check) => check.id === id);
    return { code, report, find };
  }

  it("reports a healthy setup and exits 0", async () => {
    const result = await doctor(await setup());
    assert.equal(result.code, 0, JSON.stringify(result.report.checks, null, 2));
    assert.equal(result.report.healthy, true);
    assert.equal(result.find("auth")?.status, "ok");
    assert.match(result.find("auth")!.summary, /token from RUNOS_API_KEY; the API accepts it for account acme/);
    assert.match(result.find("api")!.summary, /answered in \d+ ms/);
    assert.match(result.find("catalog")!.summary, /cached catalog version .*the API serves the same version/);
    for (const tier of TIERS) assert.equal(result.find(`client:claude:${SERVER_NAMES[tier]}`)?.status, "ok");
    assert.equal(result.find("client:claude:allow")?.status, "ok");
  });

  it("not signed in: Server Not Starting, ensure you're authenticated (exit 1)", async () => {
    const result = await doctor(await setup({ signedIn: false }));
    assert.equal(result.code, 1);
    assert.equal(result.find("auth")?.status, "fail");
    assert.equal(result.find("auth")?.symptom, "Server Not Starting");
    assert.match(result.find("auth")!.fix!, /runos login/);
  });

  it("RUNOS_API_KEY without RUNOS_ACCOUNT_ID names the missing variable", async () => {
    const where = await setup({ signedIn: false });
    const result = await doctor({ ...where, env: { ...where.env, RUNOS_API_KEY: DEMO_TOKEN } });
    assert.equal(result.code, 1);
    assert.match(result.find("auth")!.summary, /RUNOS_ACCOUNT_ID is not/);
  });

  it("a token the API refuses fails authentication", async () => {
    const where = await setup();
    const result = await doctor({ ...where, env: { ...where.env, RUNOS_API_KEY: "runos_pat_wrong_000000000000" } });
    assert.equal(result.code, 1);
    assert.match(result.find("auth")!.summary, /the API refuses it/);
  });

  it("a refused RUNOS_API_KEY is fixed in RUNOS_API_KEY: `runos login` alone would not change what is sent", async () => {
    const where = await setup();
    const result = await doctor({ ...where, env: { ...where.env, RUNOS_API_KEY: "runos_pat_wrong_000000000000" } });
    assert.match(result.find("auth")!.summary, /refused the key in RUNOS_API_KEY/);
    assert.match(result.find("auth")!.fix!, /replace the key in RUNOS_API_KEY .*, or unset RUNOS_API_KEY/);
  });

  it("an unreachable API fails the API check, and authentication is left unchecked", async () => {
    const where = await setup();
    const result = await doctor({ ...where, env: { ...where.env, RUNOS_API_URL: "http://127.0.0.1:9" } });
    assert.equal(result.code, 1);
    assert.equal(result.find("api")?.status, "fail");
    assert.match(result.find("api")!.summary, /cannot reach http:\/\/127\.0\.0\.1:9/);
    assert.doesNotMatch(result.find("api")!.summary, /Is the computer able/);
    assert.equal(result.find("api")!.fix, "check RUNOS_API_URL and your network connection");
    assert.equal(result.find("auth")?.status, "warn");
  });

  it("the catalog line says what the API answered just now, never \"never checked\" beside it", async () => {
    const result = await doctor(await setup());
    assert.match(result.find("catalog")!.summary, /the API serves the same version \(asked just now\)$/);
    assert.doesNotMatch(result.find("catalog")!.summary, /never checked/);
    const embedded = await doctor(await setup({ cached: false }));
    assert.doesNotMatch(embedded.find("catalog")!.summary, /never checked/);
    assert.match(embedded.find("catalog")!.summary, /the API serves version \S+ \(asked just now\)$/);
  });

  it("an embedded catalog while the API serves another: Tools Not Appearing (a warning, exit 0)", async () => {
    const result = await doctor(await setup({ cached: false }));
    assert.equal(result.find("catalog")?.status, "warn");
    assert.equal(result.find("catalog")?.symptom, "Tools Not Appearing");
    assert.equal(result.code, 0);
  });

  it("shows the last change of the servers' tools from the audit log, one line per server", async () => {
    const where = await setup();
    const fresh = await doctor(where);
    assert.deepEqual(fresh.find("tools-change"), { id: "tools-change", title: "Tool changes", status: "info", summary: "no change of the servers' tools recorded yet" });
    const log = auditLogAt(join(where.env.RUNOS_CONFIG_DIR!, "state", "audit.jsonl"));
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
    const tool = (name: string) => ({ name, command: name.replaceAll("_", "/"), method: "GET" as const, endpoint: `/:aid/${name}` });
    const moved = { name: "apps_deploy", command: "apps/{id}/deploy", before: { method: "POST" as const, endpoint: "/:aid/:cid/apps/:id/deploy" }, after: { method: "PUT" as const, endpoint: "/:aid/:cid/apps/:id/deploy" } };
    const change = (server: string, hours: number, lists: Partial<ToolsChangedEntry>, from = "1.1.0", to = "2.0.0", by: ToolsChangedEntry["by"] = "runos manifest update"): ToolsChangedEntry =>
      ({ time: hoursAgo(hours), server, event: "tools-changed", from, to, by, added: [], removed: [], changed: [], ...lists });
    await log.record(change("runos", 30, { added: [tool("services_valkey_logs")] }, "1.0.0", "1.1.0", "sync"));
    await log.record(change("runos", 2, { added: [tool("regions_list")], removed: [tool("services_minio_buckets")] }));
    await log.record(change("runos-write", 2, { added: [tool("services_valkey_restart")], changed: [moved] }));
    // A running read server reloaded the same catalog: the same change, not another one.
    await log.record(change("runos", 1.9, { added: [tool("regions_list")], removed: [tool("services_minio_buckets")] }, "1.1.0", "2.0.0", "reload"));
    await log.record({ time: hoursAgo(1), server: "runos", tool: "clusters_list", arguments: {}, outcome: "ok", durationMs: 3, requests: [] });
    const result = await doctor(where);
    assert.equal(result.code, 0);
    assert.deepEqual(result.find("tools-change"), {
      id: "tools-change",
      title: "Tool changes",
      status: "info",
      summary: "last 2 h ago, version 1.1.0 → 2.0.0 by runos manifest update: runos 1 added, 1 removed; runos-write 1 added, 1 changed",
      fix: "which tools, with their methods and endpoints: runos audit --json",
    });
  });

  it("a server whose command is gone: Server Not Starting", async () => {
    const where = await setup();
    const path = join(where.project, ".mcp.json");
    await writeFile(path, (await readFile(path, "utf8")).replaceAll(join(where.root, "bin", "runos"), "/nowhere/runos"));
    const result = await doctor(where);
    assert.equal(result.code, 1);
    assert.equal(result.find("client:claude:runos")?.symptom, "Server Not Starting");
    assert.match(result.find("client:claude:runos")!.summary, /\/nowhere\/runos does not exist/);
  });

  it("a server that runs another tier than its name says: Permission Denied", async () => {
    const where = await setup();
    const path = join(where.project, ".mcp.json");
    const config = JSON.parse(await readFile(path, "utf8"));
    config.mcpServers["runos-write"].args = ["mcp", "serve", "read"];
    await writeFile(path, JSON.stringify(config, null, 2));
    const result = await doctor(where);
    assert.equal(result.code, 1);
    assert.equal(result.find("client:claude:runos-write")?.symptom, "Permission Denied");
  });

  it("a server that does not answer: Server Not Starting, with what it said", async () => {
    const silent = (): Promise<ProbeResult> => Promise.resolve({ ok: false, problem: "no answer within 8 s", stderr: "boom: cannot start\n" });
    const result = await doctor(await setup(), silent);
    assert.equal(result.code, 1);
    assert.match(result.find("client:claude:runos")!.summary, /no answer within 8 s \(it said: boom: cannot start\)/);
  });

  it("an unparsable config: Configuration Not Loading, with line and column", async () => {
    const where = await setup();
    await writeFile(join(where.project, ".mcp.json"), '{\n  "mcpServers": {\n    "runos": }\n}\n');
    const result = await doctor(where);
    assert.equal(result.code, 1);
    const check = result.report.checks.find((candidate) => candidate.id.startsWith("config:"));
    assert.equal(check?.symptom, "Configuration Not Loading");
    assert.match(check!.summary, /line 3, column 14/);
  });

  it("Claude's allow list without mcp__runos__* is a warning; one pre-approving a write server too", async () => {
    const where = await setup();
    const path = join(where.project, ".claude", "settings.json");
    await writeFile(path, JSON.stringify({ permissions: { allow: [] } }));
    assert.equal((await doctor(where)).find("client:claude:allow")?.status, "warn");
    await writeFile(path, JSON.stringify({ permissions: { allow: ["mcp__runos__*", "mcp__runos-write__*"] } }));
    const risky = await doctor(where);
    assert.match(risky.find("client:claude:allow")!.summary, /pre-approves mcp__runos-write__\*/);
  });

  it("codex in an untrusted project: Configuration Not Loading, run configure codex --trust", async () => {
    const where = await setup({ clients: ["codex"] });
    const result = await doctor(where);
    assert.equal(result.code, 1);
    assert.equal(result.find("client:codex:trust")?.symptom, "Configuration Not Loading");
    assert.equal(result.find("client:codex:trust")?.fix, "runos mcp configure codex --trust");
    await mkdir(join(where.home, ".codex"), { recursive: true });
    await writeFile(join(where.home, ".codex", "config.toml"), `[projects.${JSON.stringify(where.project)}]\ntrust_level = "trusted"\n`);
    assert.equal((await doctor(where)).find("client:codex:trust")?.status, "ok");
  });

  it("opencode: the servers besides the read one must ask; a file without the rules, or a later allow, fails", async () => {
    const where = await setup({ clients: ["opencode"] });
    const healthy = await doctor(where);
    assert.equal(healthy.code, 0, JSON.stringify(healthy.report.checks, null, 2));
    assert.equal(healthy.find("client:opencode:permission")?.status, "ok");
    assert.match(healthy.find("client:opencode:permission")!.summary, /runos-sensitive-read, runos-write and runos-sensitive-write ask before each call/);

    // Today's defect: a file with the four servers and no permission key runs every tool unasked.
    const path = join(where.project, "opencode.json");
    const written = JSON.parse(await readFile(path, "utf8"));
    await writeFile(path, JSON.stringify({ ...written, permission: undefined }, null, 2));
    const bare = await doctor(where);
    assert.equal(bare.code, 1);
    assert.equal(bare.find("client:opencode:permission")?.status, "fail");
    assert.match(bare.find("client:opencode:permission")!.summary, /every tool of runos-sensitive-read \(no rule makes it ask\), runos-write .* runs without asking/);
    assert.match(bare.find("client:opencode:permission")!.fix!, /^runos mcp configure opencode/);

    // The user's global config allows everything after the project's rules are merged in: still asks.
    await mkdir(join(where.home, ".config", "opencode"), { recursive: true });
    await writeFile(join(where.home, ".config", "opencode", "opencode.json"), JSON.stringify({ permission: { "*": "allow" } }));
    await writeFile(path, JSON.stringify(written, null, 2));
    assert.equal((await doctor(where)).find("client:opencode:permission")?.status, "ok");

    // An agent that allows a write server again, and a rule naming one tool: a failure and a warning.
    await writeFile(path, JSON.stringify({
      ...written,
      permission: { ...written.permission, "runos-write_services_valkey_add": "allow" },
      agent: { build: { permission: { "runos-sensitive-write_*": "allow" } } },
    }, null, 2));
    const loose = await doctor(where);
    assert.equal(loose.code, 1);
    assert.match(loose.find("client:opencode:permission")!.summary, /every tool of runos-sensitive-write in agent "build" \("runos-sensitive-write_\*": "allow" decides\) runs without asking/);
    assert.equal(loose.find("client:opencode:permission:runos-write")?.status, "warn");
    assert.match(loose.find("client:opencode:permission:runos-write")!.summary, /"runos-write_services_valkey_add" runs without asking/);
  });

  it("Kilo Code (an opencode fork) gets opencode's permission check, and Continue's YAML blocks are read back", async () => {
    const where = await setup({ clients: ["kilo", "continue"] });
    const result = await doctor(where);
    assert.equal(result.code, 0, JSON.stringify(result.report.checks, null, 2));
    assert.equal(result.find("client:kilo:permission")?.status, "ok");
    for (const tier of TIERS) {
      assert.equal(result.find(`client:continue:${SERVER_NAMES[tier]}`)?.status, "ok", `continue ${tier}`);
      assert.equal(result.find(`client:kilo:${SERVER_NAMES[tier]}`)?.status, "ok", `kilo ${tier}`);
    }
    const path = join(where.project, "kilo.json");
    const written = JSON.parse(await readFile(path, "utf8"));
    await writeFile(path, JSON.stringify({ ...written, permission: { ...written.permission, "*": "allow" } }, null, 2));
    const loose = await doctor(where);
    assert.equal(loose.find("client:kilo:permission")?.status, "fail");
    assert.match(loose.find("client:kilo:permission")!.fix!, /^runos mcp configure kilo/);
  });

  it("a file that pre-approves a server besides the read one fails: Gemini's trust, Roo's alwaysAllow, Codex's approve", async () => {
    const where = await setup({ clients: ["gemini", "roo", "codex", "qwen"] });
    await mkdir(join(where.home, ".codex"), { recursive: true });
    await writeFile(join(where.home, ".codex", "config.toml"), `[projects.${JSON.stringify(where.project)}]\ntrust_level = "trusted"\n`);
    const clean = await doctor(where);
    assert.deepEqual(clean.report.checks.filter((check) => check.id.includes(":approvals:")), [], "runos's own files pre-approve the read server only");

    const gemini = join(where.project, ".gemini", "settings.json");
    const settings = JSON.parse(await readFile(gemini, "utf8"));
    settings.mcpServers["runos-write"].trust = true;
    settings.mcp = { autoAllowInHeadless: true };
    await writeFile(gemini, JSON.stringify(settings, null, 2));
    const roo = join(where.project, ".roo", "mcp.json");
    const rooSettings = JSON.parse(await readFile(roo, "utf8"));
    rooSettings.mcpServers["runos-sensitive-read"].alwaysAllow = ["services_valkey_credentials"];
    await writeFile(roo, JSON.stringify(rooSettings, null, 2));
    const codex = join(where.project, ".codex", "config.toml");
    await writeFile(codex, (await readFile(codex, "utf8")).replace(/(\[mcp_servers\.runos-write\][\s\S]*?)default_tools_approval_mode = "prompt"/, '$1default_tools_approval_mode = "approve"'));

    const loose = await doctor(where);
    assert.equal(loose.code, 1);
    const summary = (id: string) => loose.report.checks.find((check) => check.id === id)?.summary ?? "";
    assert.match(summary(`client:gemini:approvals:${gemini}`), /runos-write: trust: true; mcp\.autoAllowInHeadless: true/);
    assert.match(summary(`client:roo:approvals:${roo}`), /runos-sensitive-read: alwaysAllow \["services_valkey_credentials"\]/);
    assert.match(summary(`client:codex:approvals:${codex}`), /runos-write: default_tools_approval_mode = "approve"/);

    const qwen = join(where.project, ".qwen", "settings.json");
    const qwenSettings = JSON.parse(await readFile(qwen, "utf8"));
    qwenSettings.permissions = { ask: ["mcp__runos-write"], allow: ["mcp__runos-sensitive-write__apps_secrets_set"] };
    await writeFile(qwen, JSON.stringify(qwenSettings, null, 2));
    const qwenSummary = summary(`client:qwen:approvals:${qwen}`);
    assert.match((await doctor(where)).report.checks.find((check) => check.id === `client:qwen:approvals:${qwen}`)?.summary ?? "", /runos-sensitive-read: no "mcp__runos-sensitive-read" in permissions\.ask.*permissions\.allow: mcp__runos-sensitive-write__apps_secrets_set/);
    assert.equal(qwenSummary, "", "runos's own qwen file asked for all three");
  });

  it("Gemini CLI with a sign-in from RUNOS_API_KEY alone: a warning that Gemini strips it, gone once the settings allow it", async () => {
    const where = await setup({ clients: ["gemini"] });
    const warned = await doctor(where);
    assert.equal(warned.find("client:gemini:env")?.status, "warn");
    assert.match(warned.find("client:gemini:env")!.summary, /signed in through RUNOS_API_KEY, which Gemini CLI removes/);
    assert.match(warned.find("client:gemini:env")!.fix!, /^runos login/);
    await mkdir(join(where.home, ".gemini"), { recursive: true });
    await writeFile(join(where.home, ".gemini", "settings.json"), JSON.stringify({ security: { environmentVariableRedaction: { allowed: ["RUNOS_API_KEY"] } } }));
    assert.equal((await doctor(where)).find("client:gemini:env"), undefined);
  });

  it("no configured assistant is a warning naming the files and the configure command", async () => {
    const result = await doctor(await setup({ clients: [] }));
    assert.equal(result.find("clients")?.status, "warn");
    assert.equal(result.find("clients")?.symptom, "Configuration Not Loading");
    assert.equal(result.code, 0);
  });
});
