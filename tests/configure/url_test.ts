// deno-lint-ignore-file no-explicit-any -- the clients' files are read as the loose JSON and TOML they are
/**
 * `runos mcp configure <client> --url`: every client's HTTP entry, the token only ever referenced,
 * entries switched between a command and a URL without keeping half of each, VS Code's token input,
 * the `--url` values refused before anything is written, and the tier asked of the server itself.
 * Last, each client's file is read the way that client reads it (its own variable syntax) and the
 * result connects to a real `runos mcp serve <tier> --http` and lists its tools.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { parse as parseToml } from "smol-toml";
import type { ConfigureDeps } from "../../src/cli/commands/configure.ts";
import type { Check } from "../../src/cli/doctor/check.ts";
import { checkClients } from "../../src/cli/doctor/clients.ts";
import { checkUrlServer, type UrlServer } from "../../src/cli/doctor/url_servers.ts";
import { UsageError } from "../../src/errors.ts";
import { createFakeApi, DEMO_ACCOUNT_ID, DEMO_TOKEN, type FakeApiServer, serveFakeApiHttp } from "../../src/fake_api/mod.ts";
import { CLIENT_WRITERS } from "../../src/configure/clients.ts";
import { type ConfigureRequest, runConfigure } from "../../src/configure/run.ts";
import { probeServerUrl, sendsTokenInClear, type UrlFacts } from "../../src/configure/url_probe.ts";
import { parseUrlValue, planUrlServers } from "../../src/configure/url_servers.ts";
import { type RunningHttpServer, startHttpTierServer } from "../../src/mcp/http/serve.ts";
import { SERVER_NAMES, type Tier } from "../../src/policy/tier.ts";
import { TEST_TOKEN } from "../_harness/http_server.ts";
import { markCatalogChecked, runosEnv } from "../_harness/mcp_client.ts";
import { makeTempDir, type TempDir } from "../_harness/temp_project.ts";
import { configureRequest, runConfigureCli } from "./cli_harness.ts";
import { GOLDEN_SELF } from "./golden_tree.ts";

const READ_URL = "http://127.0.0.1:8080/mcp";
const WRITE_URL = "http://127.0.0.1:8081/mcp";
/** A token value that must never reach a file: it is only in the environment configure runs in. */
const SECRET = "tok-5e3c7a1f9b2d4e6a8c0b1d3f5a7c9e2b";

const silent = {
  stdout: () => {},
  stderr: () => {},
  canPrompt: false,
  confirmTypedYes: () => Promise.resolve(false),
};

/** Configure `client` in `dir` with URL servers (mode write unless told), returning what it said on stdout. */
async function configureUrls(dir: string, client: string, urls: Partial<Record<Tier, string>>, extra: Partial<ConfigureRequest> = {}) {
  const notes: string[] = [];
  await runConfigure(await configureRequest(dir, client, { tiers: Object.keys(urls) as Tier[], urls, ...extra }), { ...silent, stdout: (text) => void notes.push(text) });
  return notes;
}

/** Configure `client` in `dir` with stdio servers for `tiers` (or, with `remove`, take them out). */
async function configureCommands(dir: string, client: string, tiers: Tier[], remove = false) {
  await runConfigure(await configureRequest(dir, client, { tiers, remove }), silent);
}

async function readJson(path: string): Promise<Record<string, any>> {
  return JSON.parse(await readFile(path, "utf8"));
}

/** Where each client's entries live once written, and how to reach one entry. */
const FILES: Record<string, { path: (dir: string) => string; entry: (file: any, name: string) => any }> = {
  claude: { path: (dir) => join(dir, "project", ".mcp.json"), entry: (file, name) => file.mcpServers?.[name] },
  roo: { path: (dir) => join(dir, "project", ".roo", "mcp.json"), entry: (file, name) => file.mcpServers?.[name] },
  cursor: { path: (dir) => join(dir, "project", ".cursor", "mcp.json"), entry: (file, name) => file.mcpServers?.[name] },
  vscode: { path: (dir) => join(dir, "project", ".vscode", "mcp.json"), entry: (file, name) => file.servers?.[name] },
  gemini: { path: (dir) => join(dir, "project", ".gemini", "settings.json"), entry: (file, name) => file.mcpServers?.[name] },
  windsurf: { path: (dir) => join(dir, "home", ".codeium", "windsurf", "mcp_config.json"), entry: (file, name) => file.mcpServers?.[name] },
  opencode: { path: (dir) => join(dir, "project", "opencode.json"), entry: (file, name) => file.mcp?.[name] },
  kilo: { path: (dir) => join(dir, "project", "kilo.json"), entry: (file, name) => file.mcp?.[name] },
  qwen: { path: (dir) => join(dir, "project", ".qwen", "settings.json"), entry: (file, name) => file.mcpServers?.[name] },
  crush: { path: (dir) => join(dir, "project", "crush.json"), entry: (file, name) => file.mcp?.[name] },
  codex: { path: (dir) => join(dir, "project", ".codex", "config.toml"), entry: (file, name) => file.mcp_servers?.[name] },
};

async function readConfig(client: string, dir: string): Promise<any> {
  const path = FILES[client]!.path(dir);
  return path.endsWith(".toml") ? parseToml(await readFile(path, "utf8")) : readJson(path);
}

describe("configure --url: each client's HTTP entry", () => {
  let temp: TempDir;
  before(async () => {
    temp = await makeTempDir("configure-url");
  });
  after(async () => {
    await temp.remove();
  });
  const fresh = async (name: string) => {
    const dir = join(temp.path, name);
    await mkdir(join(dir, "project"), { recursive: true });
    await mkdir(join(dir, "home"), { recursive: true });
    return dir;
  };

  /** The entry each client documents for a Streamable HTTP server with a bearer header (CLIENT-CONFIGS.md). */
  const EXPECTED: Record<string, (url: string) => Record<string, unknown>> = {
    claude: (url) => ({ type: "http", url, headers: { Authorization: "Bearer ${RUNOS_MCP_TOKEN}" } }),
    roo: (url) => ({ type: "streamable-http", url, headers: { Authorization: "Bearer ${env:RUNOS_MCP_TOKEN}" } }),
    cursor: (url) => ({ url, headers: { Authorization: "Bearer ${env:RUNOS_MCP_TOKEN}" } }),
    vscode: (url) => ({ type: "http", url, headers: { Authorization: "Bearer ${input:runos-mcp-token}" } }),
    gemini: (url) => ({ httpUrl: url, headers: { Authorization: "Bearer ${RUNOS_MCP_TOKEN}" } }),
    windsurf: (url) => ({ serverUrl: url, headers: { Authorization: "Bearer ${env:RUNOS_MCP_TOKEN}" } }),
    opencode: (url) => ({ type: "remote", url, headers: { Authorization: "Bearer {env:RUNOS_MCP_TOKEN}" }, enabled: true }),
    kilo: (url) => ({ type: "remote", url, headers: { Authorization: "Bearer {env:RUNOS_MCP_TOKEN}" }, enabled: true }),
    qwen: (url) => ({ httpUrl: url, headers: { Authorization: "Bearer ${RUNOS_MCP_TOKEN}" } }),
    crush: (url) => ({ type: "http", url, headers: { Authorization: "Bearer ${RUNOS_MCP_TOKEN}" } }),
    codex: (url) => ({ url, bearer_token_env_var: "RUNOS_MCP_TOKEN" }),
  };

  it("every client but the stdio-only ones (Claude Desktop, Copilot CLI, Cline, Continue) has an HTTP form here", () => {
    assert.deepEqual(CLIENT_WRITERS.filter((writer) => writer.stdioOnly === undefined).map((writer) => writer.id).sort(), Object.keys(EXPECTED).sort());
  });

  for (const [client, expected] of Object.entries(EXPECTED)) {
    it(`${client}: writes each tier's URL and a reference to the token, never a command or the token itself`, async () => {
      const dir = await fresh(`shape-${client}`);
      await configureUrls(dir, client, { read: READ_URL, write: WRITE_URL });
      const file = await readConfig(client, dir);
      for (const [tier, url] of [["read", READ_URL], ["write", WRITE_URL]] as const) {
        const entry = FILES[client]!.entry(file, SERVER_NAMES[tier]);
        assert.ok(entry !== undefined, `${client}: no ${SERVER_NAMES[tier]} entry`);
        for (const [key, value] of Object.entries(expected(url))) assert.deepEqual(entry[key], value, `${client} ${tier}: ${key}`);
        for (const key of ["command", "args", "env", "environment"]) assert.equal(key in entry, false, `${client} ${tier}: has ${key}`);
      }
      assert.equal(FILES[client]!.entry(file, "runos-sensitive-read"), undefined, "a tier without a URL was written");
      assert.equal((await readFile(FILES[client]!.path(dir), "utf8")).includes(SECRET), false);
    });
  }

  it("keeps each client's approval rules for URL servers: Claude's read rule, Roo's alwaysAllow, Gemini's trust, Codex's approval mode", async () => {
    const dir = await fresh("approvals");
    for (const client of ["claude", "roo", "gemini", "codex"]) await configureUrls(dir, client, { read: READ_URL, write: WRITE_URL });
    const settings = await readJson(join(dir, "project", ".claude", "settings.json"));
    assert.deepEqual(settings.permissions.allow, ["mcp__runos__*"]);
    const roo = await readConfig("roo", dir);
    assert.ok(roo.mcpServers.runos.alwaysAllow.length > 0);
    assert.deepEqual(roo.mcpServers["runos-write"].alwaysAllow, []);
    const gemini = await readConfig("gemini", dir);
    assert.equal(gemini.mcpServers.runos.trust, true);
    assert.equal(gemini.mcpServers["runos-write"].trust, false);
    const codex = await readConfig("codex", dir);
    assert.equal(codex.mcp_servers.runos.default_tools_approval_mode, "approve");
    assert.equal(codex.mcp_servers["runos-write"].default_tools_approval_mode, "prompt");
  });

  it("names another variable with --token-env, in every client's syntax", async () => {
    const dir = await fresh("token-env");
    await configureUrls(dir, "claude", { read: READ_URL }, { tokenEnv: "TEAM_MCP_TOKEN" });
    await configureUrls(dir, "codex", { read: READ_URL }, { tokenEnv: "TEAM_MCP_TOKEN" });
    await configureUrls(dir, "vscode", { read: READ_URL }, { tokenEnv: "TEAM_MCP_TOKEN" });
    assert.equal((await readConfig("claude", dir)).mcpServers.runos.headers.Authorization, "Bearer ${TEAM_MCP_TOKEN}");
    assert.equal((await readConfig("codex", dir)).mcp_servers.runos.bearer_token_env_var, "TEAM_MCP_TOKEN");
    const vscode = await readConfig("vscode", dir);
    assert.equal(vscode.servers.runos.headers.Authorization, "Bearer ${input:runos-mcp-token-team-mcp-token}");
    assert.deepEqual(vscode.inputs.map((input: { id: string }) => input.id), ["runos-mcp-token-team-mcp-token"]);
  });

  it("switches an entry from a command to a URL and back, keeping the user's own keys and headers", async () => {
    const dir = await fresh("switch");
    const path = FILES.claude!.path(dir);
    await writeFile(path, JSON.stringify({
      mcpServers: {
        runos: { type: "stdio", command: "/old/runos", args: ["mcp", "serve", "read"], env: { RUNOS_PROFILE: "work" }, timeout: 30 },
        other: { command: "other-server" },
      },
    }));
    await configureUrls(dir, "claude", { read: READ_URL });
    let file = await readJson(path);
    assert.deepEqual(file.mcpServers.runos, { type: "http", url: READ_URL, headers: { Authorization: "Bearer ${RUNOS_MCP_TOKEN}" }, timeout: 30 });
    assert.deepEqual(file.mcpServers.other, { command: "other-server" });
    // A header the user adds stays when the entry is written again.
    file.mcpServers.runos.headers["X-Team"] = "infra";
    await writeFile(path, JSON.stringify(file));
    await configureUrls(dir, "claude", { read: WRITE_URL.replace("8081", "9090") });
    file = await readJson(path);
    assert.deepEqual(file.mcpServers.runos.headers, { "X-Team": "infra", Authorization: "Bearer ${RUNOS_MCP_TOKEN}" });
    // Back to a command: no url or headers left over.
    await configureCommands(dir, "claude", ["read"]);
    file = await readJson(path);
    assert.deepEqual(file.mcpServers.runos, { type: "stdio", command: GOLDEN_SELF.command, args: ["mcp", "serve", "read"], env: {}, timeout: 30 });
  });

  it("replaces an Authorization header whatever its case, and says what a switch removed", async () => {
    const dir = await fresh("header-case");
    const path = FILES.claude!.path(dir);
    await writeFile(path, JSON.stringify({ mcpServers: { runos: { type: "stdio", command: "/old/runos", args: ["mcp", "serve", "read"], env: {} } } }));
    const notes = (await configureUrls(dir, "claude", { read: READ_URL })).join("\n");
    assert.match(notes, /Updated the existing runos entry in .*\.mcp\.json: type stdio → http; url .* added; headers .* added; command removed; args removed; env removed\./);
    const file = await readJson(path);
    file.mcpServers.runos.headers = { authorization: `Bearer ${SECRET}`, "X-Team": "infra" };
    await writeFile(path, JSON.stringify(file));
    await configureUrls(dir, "claude", { read: READ_URL });
    assert.deepEqual((await readJson(path)).mcpServers.runos.headers, { "X-Team": "infra", Authorization: "Bearer ${RUNOS_MCP_TOKEN}" });
  });

  it("drops the spellings of a form it does not write: Windsurf's url beside serverUrl, Gemini's SSE url, Cursor's stale type", async () => {
    const dir = await fresh("aliases");
    const seed = async (client: string, entry: Record<string, unknown>) => {
      const path = FILES[client]!.path(dir);
      await mkdir(join(path, ".."), { recursive: true });
      await writeFile(path, JSON.stringify({ mcpServers: { runos: entry } }));
    };
    await seed("windsurf", { url: "http://old:9999/mcp", headers: { Authorization: "Bearer ${env:RUNOS_MCP_TOKEN}" } });
    await seed("gemini", { url: "http://old:9999/sse", trust: true });
    await seed("cursor", { type: "stdio", command: "/old/runos", args: ["mcp", "serve", "read"], env: {} });
    for (const client of ["windsurf", "gemini", "cursor"]) await configureUrls(dir, client, { read: READ_URL });
    assert.deepEqual((await readConfig("windsurf", dir)).mcpServers.runos, { serverUrl: READ_URL, headers: { Authorization: "Bearer ${env:RUNOS_MCP_TOKEN}" } });
    assert.deepEqual((await readConfig("gemini", dir)).mcpServers.runos, { httpUrl: READ_URL, headers: { Authorization: "Bearer ${RUNOS_MCP_TOKEN}" }, trust: true });
    assert.deepEqual((await readConfig("cursor", dir)).mcpServers.runos, { url: READ_URL, headers: { Authorization: "Bearer ${env:RUNOS_MCP_TOKEN}" } });
  });

  it("codex: a table switched to a URL loses its command, args and env sub-table, keeps the user's keys and tools, and back", async () => {
    const dir = await fresh("switch-codex");
    const path = FILES.codex!.path(dir);
    await mkdir(join(dir, "project", ".codex"), { recursive: true });
    await writeFile(path, [
      "# my servers",
      "[mcp_servers.runos]",
      'command = "/old/runos"',
      'args = ["mcp", "serve", "read"]',
      "tool_timeout_sec = 90",
      "",
      "# the work profile",
      "[mcp_servers.runos.env]",
      'RUNOS_PROFILE = "work"',
      "",
      "[mcp_servers.runos.tools.clusters_list]",
      'approval_mode = "approve"',
      "",
    ].join("\n"));
    await configureUrls(dir, "codex", { read: READ_URL });
    const text = await readFile(path, "utf8");
    assert.ok(text.startsWith("# my servers\n"), text);
    assert.equal(text.includes("# the work profile"), false, `the dropped env table's comment stayed:\n${text}`);
    const runos = (parseToml(text) as any).mcp_servers.runos;
    assert.deepEqual(
      { ...runos, tools: undefined },
      { url: READ_URL, bearer_token_env_var: "RUNOS_MCP_TOKEN", startup_timeout_sec: 20, default_tools_approval_mode: "approve", tool_timeout_sec: 90, tools: undefined },
    );
    assert.deepEqual(JSON.parse(JSON.stringify(runos.tools)), { clusters_list: { approval_mode: "approve" } });
    await configureCommands(dir, "codex", ["read"]);
    const back = (parseToml(await readFile(path, "utf8")) as any).mcp_servers.runos;
    assert.equal("url" in back || "bearer_token_env_var" in back, false);
    assert.deepEqual(back.args, ["mcp", "serve", "read"]);
    assert.equal(back.tool_timeout_sec, 90);
  });

  it("codex: refuses a URL table whose http_headers already set Authorization, naming the way out, file untouched", async () => {
    const dir = await fresh("codex-auth");
    const path = FILES.codex!.path(dir);
    await mkdir(join(dir, "project", ".codex"), { recursive: true });
    const text = `[mcp_servers.runos]\nurl = "http://old/mcp"\nhttp_headers = { Authorization = "Bearer ${SECRET}", X-Team = "infra" }\n`;
    await writeFile(path, text);
    await assert.rejects(configureUrls(dir, "codex", { read: READ_URL }), (error: unknown) => {
      assert.ok(error instanceof Error && /"mcp_servers\.runos\.http_headers" sets Authorization already; it was left unchanged/.test(error.message), String(error));
      assert.match((error as { hint?: string }).hint ?? "", /take the Authorization entry out of http_headers .* bearer_token_env_var; if a token was written there, change it/);
      assert.equal(`${error.message} ${(error as { hint?: string }).hint}`.includes(SECRET), false);
      return true;
    });
    assert.equal(await readFile(path, "utf8"), text);
  });

  it("keeps a user's own \"type\": \"stdio\" on a command entry", async () => {
    const dir = await fresh("stdio-type");
    const path = FILES.cursor!.path(dir);
    await mkdir(join(path, ".."), { recursive: true });
    await writeFile(path, JSON.stringify({ mcpServers: { runos: { type: "stdio", command: "/old/runos", args: [], envFile: ".env" } } }));
    await configureCommands(dir, "cursor", ["read"]);
    assert.deepEqual((await readJson(path)).mcpServers.runos, { type: "stdio", command: GOLDEN_SELF.command, args: ["mcp", "serve", "read"], envFile: ".env", env: {} });
  });

  it("vscode: one promptString input (a password) for the token, the user's inputs kept, ours gone with the last server using it", async () => {
    const dir = await fresh("vscode-inputs");
    const path = FILES.vscode!.path(dir);
    await mkdir(join(dir, "project", ".vscode"), { recursive: true });
    const theirs = { type: "promptString", id: "github-pat", description: "GitHub PAT", password: true };
    const inputsText = `[\n    // the GitHub token\n    ${JSON.stringify(theirs)}\n  ]`;
    await writeFile(path, `// team servers\n{\n  "servers": ${JSON.stringify({ github: { type: "http", url: "https://api.githubcopilot.com/mcp/" } })},\n  "inputs": ${inputsText}\n}\n`);
    await configureUrls(dir, "vscode", { read: READ_URL, write: WRITE_URL });
    await configureUrls(dir, "vscode", { read: READ_URL, write: WRITE_URL });
    let text = await readFile(path, "utf8");
    assert.ok(text.startsWith("// team servers\n"), "the comment is kept");
    assert.ok(text.includes(`    // the GitHub token\n    ${JSON.stringify(theirs)},`), text);
    const parse = (jsonc: string) => JSON.parse(jsonc.replace(/^\s*\/\/.*\n/gm, ""));
    let file = parse(text);
    assert.deepEqual(file.inputs, [theirs, { type: "promptString", id: "runos-mcp-token", description: file.inputs[1].description, password: true }]);
    await configureCommands(dir, "vscode", ["read", "write"], true);
    text = await readFile(path, "utf8");
    assert.ok(text.includes(`"inputs": ${inputsText}`), `the user's inputs are not as they were:\n${text}`);
    file = parse(text);
    assert.deepEqual(file, { servers: { github: { type: "http", url: "https://api.githubcopilot.com/mcp/" } }, inputs: [theirs] });
  });

  it("says how the token reaches each client, and that the server must be running there", async () => {
    const dir = await fresh("notes");
    const claude = (await configureUrls(dir, "claude", { write: WRITE_URL })).join("\n");
    assert.match(claude, /The client connects to runos-write at http:\/\/127\.0\.0\.1:8081\/mcp; keep `runos mcp serve <tier> --http …` running there/);
    assert.match(claude, /Authorization header is "Bearer \$\{RUNOS_MCP_TOKEN\}", which Claude Code fills in .* set RUNOS_MCP_TOKEN/);
    assert.doesNotMatch(claude, /--command/);
    const vscode = (await configureUrls(dir, "vscode", { write: WRITE_URL })).join("\n");
    assert.match(vscode, /VS Code asks for it once \(input "runos-mcp-token"\) and keeps it in your OS secret store/);
  });
});

describe("configure --url: the values", () => {
  it("takes [tier=]url, refusing what a client cannot use or the file should not hold", () => {
    assert.deepEqual(parseUrlValue("http://127.0.0.1:8080/mcp"), { url: "http://127.0.0.1:8080/mcp" });
    assert.deepEqual(parseUrlValue("write=https://mcp.example.com/w/mcp"), { tier: "write", url: "https://mcp.example.com/w/mcp" });
    const refused: [string, RegExp, RegExp][] = [
      ["http://user:pw@host:8080/mcp", /credentials would write them into the client's file/, /--token-env/],
      ["http://127.0.0.1:8080", /has no path, but runos serves MCP at \/mcp/, /--url http:\/\/127\.0\.0\.1:8080\/mcp/],
      ["ftp://host/mcp", /over http or https, not ftp/, /http:\/\//],
      ["http://host:8080/mcp#x", /fragment is never sent/, /use http:\/\/host:8080\/mcp$/],
      ["writer=http://host:8080/mcp", /unknown tier "writer"/, /read, sensitive-read, write, sensitive-write/],
      ["localhost:8080/mcp", /over http or https, not localhost/, /http:\/\//],
      ["ftp://u:pw@host/mcp", /over http or https, not ftp/, /http:\/\//],
      ["raed=http://u:pw@host/mcp", /unknown tier "raed"/, /read/],
      ["http://u:pw@[::1/mcp", /is not a URL/, /http:\/\/host:port\/mcp/],
      ["read=http://host:8080/mcp?token=pw", /a query string would be written into the client's file/, /--url read=http:\/\/host:8080\/mcp;/],
      ["http://host:8080/mcp?", /a query string/, /http:\/\/host:8080\/mcp;/],
      ["http://host:8080/mcp#", /fragment is never sent/, /use http:\/\/host:8080\/mcp$/],
      ["http:user:pw@host:8080/mcp", /with credentials/, /drop the user and password/],
      ["http:/user:pw@host:8080/mcp", /with credentials/, /drop the user and password/],
      ["http:\\\\user:pw@host:8080/mcp", /with credentials/, /drop the user and password/],
      ["bogus=http:user:pw@host/mcp", /unknown tier "bogus"/, /read/],
      ["not a url", /"not a url" is not a URL/, /\[<tier>=\]http:\/\/host:port\/mcp/],
    ];
    for (const [value, message, hint] of refused) {
      assert.throws(() => parseUrlValue(value), (error: unknown) => {
        assert.ok(error instanceof UsageError, value);
        assert.match(error.message, message, value);
        assert.match(error.hint ?? "", hint, value);
        assert.equal(`${error.message} ${error.hint}`.includes("pw"), false, "the password is echoed");
        return true;
      });
    }
  });

  const facts = (byUrl: Record<string, UrlFacts>) => {
    const asked: string[] = [];
    return {
      asked,
      probe: (url: string) => {
        asked.push(url);
        return Promise.resolve(byUrl[url] ?? { reached: false, problem: "connection refused: nothing listens there" });
      },
    };
  };
  const base = { tokenEnv: "RUNOS_MCP_TOKEN", token: SECRET, check: true };

  it("asks a bare URL's server which tier it serves", async () => {
    const { probe } = facts({ [WRITE_URL]: { reached: true, serverName: "runos-write", tokenAccepted: true } });
    assert.deepEqual(await planUrlServers([WRITE_URL], { ...base, probe }), { urls: { write: WRITE_URL }, warnings: [] });
  });

  it("refuses a URL given for a tier its server does not serve, naming the right one", async () => {
    const { probe } = facts({ [WRITE_URL]: { reached: true, serverName: "runos-write", tokenAccepted: true } });
    await assert.rejects(planUrlServers([`read=${WRITE_URL}`], { ...base, probe }), (error: unknown) =>
      error instanceof UsageError && /serves runos-write \(the write tier\), not runos \(read\); nothing was written/.test(error.message) &&
      error.hint === `run again with --url write=${WRITE_URL}`);
    await assert.rejects(planUrlServers([WRITE_URL], { ...base, tiers: ["read"], probe }), /serves runos-write/);
  });

  it("writes an unreachable server's URL with a warning, but cannot guess its tier", async () => {
    const { probe } = facts({});
    const plan = await planUrlServers([`read=${READ_URL}`], { ...base, probe });
    assert.deepEqual(plan.urls, { read: READ_URL });
    assert.match(plan.warnings.join("\n"), /could not reach http:\/\/127\.0\.0\.1:8080\/mcp \(connection refused: nothing listens there\); written anyway: start `runos mcp serve read --http …`/);
    await assert.rejects(planUrlServers([READ_URL], { ...base, probe }), (error: unknown) =>
      error instanceof UsageError && /could not tell which tier/.test(error.message) && /--url read=/.test(error.hint ?? ""));
  });

  it("warns when the server refuses the token set here, when none is set, and when it would cross the network in clear", async () => {
    const remote = "http://10.1.2.3:8080/mcp";
    const { probe } = facts({ [READ_URL]: { reached: true, serverName: "runos", tokenAccepted: false }, [remote]: { reached: true, serverName: "runos-write" } });
    const refused = await planUrlServers([`read=${READ_URL}`], { ...base, probe });
    assert.match(refused.warnings.join("\n"), /refused the token in RUNOS_MCP_TOKEN here \(401\)/);
    const unset = await planUrlServers([`write=${WRITE_URL}`], { tokenEnv: "RUNOS_MCP_TOKEN", check: true, probe: () => Promise.resolve({ reached: true, serverName: "runos-write" }) });
    assert.deepEqual(unset.warnings, ["RUNOS_MCP_TOKEN is not set here, so the token of runos-write was not tried"]);
    const clear = await planUrlServers([`write=${remote}`], { ...base, probe });
    assert.match(clear.warnings.join("\n"), /plain http to another machine \(or through a proxy\): the token would cross the network in clear text \(so it was not sent to try it\)/);
    assert.equal(clear.warnings.join("\n").includes(SECRET), false);
  });

  /** A fetch that answers by path, recording what it was sent. */
  const scripted = (routes: Record<string, () => Response>) => {
    const sent: { url: string; authorization: string | null; redirect?: RequestRedirect }[] = [];
    const fetcher = ((input: string | URL | Request, init?: RequestInit) => {
      const url = String(input);
      sent.push({ url, authorization: new Headers(init?.headers).get("authorization"), ...(init?.redirect === undefined ? {} : { redirect: init.redirect }) });
      const route = routes[new URL(url).pathname];
      return Promise.resolve(route === undefined ? new Response("not found", { status: 404 }) : route());
    }) as typeof fetch;
    return { sent, fetcher };
  };
  const metadata = (name: string) => () => Response.json({ resource: "x", resource_name: `RunOS MCP server ${name}` });
  const initialized = (name: string) => () => Response.json({ jsonrpc: "2.0", id: 1, result: { protocolVersion: "2025-11-25", serverInfo: { name, version: "1" }, capabilities: {} } });

  it("asks initialize at the URL itself when it may send the token, and trusts root metadata only for a URL at /mcp", async () => {
    // Behind a proxy, /write/* is the write server and the root is the read server.
    const proxy = scripted({ "/write/mcp": initialized("runos-write"), "/.well-known/oauth-protected-resource": metadata("runos") });
    assert.deepEqual(await probeServerUrl("http://127.0.0.1:8443/write/mcp", SECRET, { fetcher: proxy.fetcher }), { reached: true, serverName: "runos-write", tokenAccepted: true });
    const blind = await probeServerUrl("http://127.0.0.1:8443/write/mcp", undefined, { fetcher: proxy.fetcher });
    assert.equal(blind.serverName, undefined, "the root's metadata was taken for the write server's");
    assert.match(blind.problem ?? "", /no RunOS metadata at http:\/\/127\.0\.0\.1:8443\/\.well-known\/oauth-protected-resource\/write\/mcp/);
    assert.ok(proxy.sent.every((request) => request.redirect === "manual"), "a redirect would be followed");
    await assert.rejects(planUrlServers(["http://127.0.0.1:8443/write/mcp"], { tokenEnv: "RUNOS_MCP_TOKEN", check: true, probe: (url) => probeServerUrl(url, undefined, { fetcher: proxy.fetcher }) }), /could not tell which tier/);
    // The server's own /mcp: the bare well-known path is its own.
    const direct = scripted({ "/.well-known/oauth-protected-resource": metadata("runos") });
    assert.deepEqual(await probeServerUrl(READ_URL, undefined, { fetcher: direct.fetcher }), { reached: true, serverName: "runos" });
  });

  it("never sends the token in clear text to another machine, and reports a wrong path and a redirect", async () => {
    const remote = scripted({ "/.well-known/oauth-protected-resource/mcp": metadata("runos-write") });
    await probeServerUrl("http://10.1.2.3:8080/mcp", SECRET, { fetcher: remote.fetcher });
    assert.ok(remote.sent.length > 0 && remote.sent.every((request) => request.authorization === null), JSON.stringify(remote.sent));
    const wrong = scripted({ "/.well-known/oauth-protected-resource": metadata("runos") });
    const facts404 = await probeServerUrl("http://127.0.0.1:8080/wrong", SECRET, { fetcher: wrong.fetcher });
    assert.equal(facts404.tokenAccepted, undefined, "a 404 was taken for an accepted token");
    assert.match(facts404.problem ?? "", /answered 404 at \/wrong: check the URL/);
    const moved = scripted({ "/mcp": () => new Response(null, { status: 307, headers: { Location: "https://mcp.example.com/mcp" } }) });
    assert.match((await probeServerUrl(READ_URL, SECRET, { fetcher: moved.fetcher })).problem ?? "", /redirects to https:\/\/mcp\.example\.com\/mcp: use that URL/);
    assert.deepEqual(await probeServerUrl("not a url", undefined), { reached: false, problem: "not a url is not a URL" });
  });

  it("counts a proxy as clear text for plain http, unless NO_PROXY names the host", () => {
    const proxy = { HTTP_PROXY: "http://proxy.internal:3128" };
    assert.equal(sendsTokenInClear(READ_URL, {}), false);
    assert.equal(sendsTokenInClear(READ_URL, proxy), true);
    assert.equal(sendsTokenInClear(READ_URL, { ...proxy, NO_PROXY: "localhost,127.0.0.1" }), false);
    assert.equal(sendsTokenInClear("http://localhost:8080/mcp", { http_proxy: "http://p:1", no_proxy: "*" }), false);
    assert.equal(sendsTokenInClear("http://[::1]:8080/mcp", { ALL_PROXY: "socks5://p:1", NO_PROXY: "[::1]" }), false);
    assert.equal(sendsTokenInClear("https://mcp.example.com/mcp", proxy), false, "https is a tunnel through the proxy");
    assert.equal(sendsTokenInClear("http://10.0.0.5:8080/mcp", {}), true);
  });

  it("reads an initialize answer sent as SSE from its first event, without waiting for the stream to end", async () => {
    const event = `event: message\ndata: {"jsonrpc":"2.0","id":1,\ndata: "result":{"serverInfo":{"name":"runos-write","version":"1"}}}\n\n`;
    const fetcher = (() =>
      Promise.resolve(new Response(new ReadableStream({ start: (controller) => controller.enqueue(new TextEncoder().encode(event)) }), {
        headers: { "Content-Type": "text/event-stream" },
      }))) as typeof fetch;
    const started = Date.now();
    assert.deepEqual(await probeServerUrl(WRITE_URL, SECRET, { fetcher, timeoutMs: 10_000, env: {} }), { reached: true, serverName: "runos-write", tokenAccepted: true });
    assert.ok(Date.now() - started < 5_000, "the open stream was waited out");
  });

  it("says what a server behind another name needs (403: --allow-host), with or without a token", async () => {
    const forbidden = (() => Promise.resolve(Response.json({ error: "forbidden" }, { status: 403 }))) as typeof fetch;
    assert.match((await probeServerUrl("http://127.0.0.1:8081/mcp", SECRET, { fetcher: forbidden, env: {} })).problem ?? "", /start it with --allow-host 127\.0\.0\.1:8081/);
  });

  it("says what a server behind another name needs (403: --allow-host), and what a server that is not runos's answered", async () => {
    const answering = (status: number, body: unknown): typeof fetch => () => Promise.resolve(Response.json(body, { status }));
    const proxied = await probeServerUrl("http://127.0.0.1:8081/mcp", undefined, { fetcher: answering(403, { error: "forbidden" }) });
    assert.deepEqual(proxied, { reached: true, problem: "it refused the Host 127.0.0.1:8081 (403): start it with --allow-host 127.0.0.1:8081" });
    const other = await probeServerUrl("https://mcp.example.com/mcp", undefined, { fetcher: answering(200, { resource: "https://mcp.example.com/mcp", resource_name: "Someone else's server" }) });
    assert.deepEqual(other, { reached: true, problem: "its metadata names no runos server" });
    const plan = await planUrlServers(["write=https://mcp.example.com/mcp"], { ...base, probe: () => Promise.resolve(other) });
    assert.match(plan.warnings.join("\n"), /did not say it is a runos MCP server \(its metadata names no runos server\); written anyway/);
  });

  it("with --no-check asks nothing, so a bare URL needs --tiers with one tier", async () => {
    const { probe, asked } = facts({});
    assert.deepEqual((await planUrlServers([READ_URL], { ...base, check: false, tiers: ["read"], probe })).urls, { read: READ_URL });
    await assert.rejects(planUrlServers([READ_URL], { ...base, check: false, probe }), /could not tell which tier .* \(--no-check was given\)/);
    assert.deepEqual(asked, []);
  });

  it("refuses ambiguous sets: two bare URLs, --tiers with tier=url, --tiers of several, one URL for two tiers, two for one", async () => {
    const { probe } = facts({});
    const cases: [string[], Partial<Parameters<typeof planUrlServers>[1]>, RegExp][] = [
      [[READ_URL, WRITE_URL], { tiers: ["read"] }, /--tiers goes with one --url, but there are several/],
      [[`read=${READ_URL}`], { tiers: ["read"] }, /--tiers and --url <tier>=<url> both choose the tiers/],
      [[READ_URL], { tiers: ["read", "write"] }, /one URL serves one tier, but --tiers names 2/],
      [[`read=${READ_URL}`, `write=${READ_URL}`], {}, /is given for both read and write/],
      [[`read=${READ_URL}`, `read=${WRITE_URL}`], {}, /two URLs for the read tier/],
    ];
    for (const [values, options, message] of cases) {
      await assert.rejects(planUrlServers(values, { ...base, probe, ...options }), (error: unknown) => error instanceof UsageError && message.test(error.message));
    }
  });
});

describe("configure --url on the command line", () => {
  let temp: TempDir;
  before(async () => {
    temp = await makeTempDir("configure-url-cli");
  });
  after(async () => {
    await temp.remove();
  });

  const run = (argv: string[], deps: ConfigureDeps = {}) =>
    runConfigureCli(temp.path, argv.filter((arg) => arg !== "--sandbox"), { deps, sandbox: argv.includes("--sandbox"), env: { RUNOS_MCP_TOKEN: SECRET } });

  it("writes the entry the server's answer decides, passing the token set here to the check", async () => {
    const tokens: (string | undefined)[] = [];
    const { result, err } = run(["claude", "--url", WRITE_URL], {
      probeUrl: (_url, token) => {
        tokens.push(token);
        return Promise.resolve({ reached: true, serverName: "runos-write", tokenAccepted: true });
      },
    });
    await result;
    assert.deepEqual(tokens, [SECRET]);
    assert.deepEqual(err, []);
    const file = await readJson(join(temp.path, ".mcp.json"));
    assert.equal(file.mcpServers["runos-write"].url, WRITE_URL);
    assert.equal(JSON.stringify(file).includes(SECRET), false);
  });

  it("refuses what cannot go with --url before asking any server, and --url's options without it", async () => {
    const never = () => Promise.reject(new Error("the server was asked"));
    const cases: [string[], RegExp, RegExp][] = [
      [["claude-desktop", "--url", READ_URL], /Claude Desktop cannot be configured with --url: its config file holds stdio servers only/, /Connectors/],
      [["claude", "--url", READ_URL, "--sandbox"], /--url cannot be combined with --sandbox/, /runos mcp serve <tier> --http <port> --sandbox/],
      [["claude", "--url", READ_URL, "--command", "/bin/true"], /--url cannot be combined with --command/, /starts nothing/],
      [["claude", "--url", READ_URL, "--remove"], /--url cannot be combined with --remove/, /whatever their form/],
      [["claude", "--url", READ_URL, "--token-env", "1BAD"], /--token-env "1BAD" is not an environment variable name/, /letters, digits and _/],
      [["claude", "--token-env", "TEAM_TOKEN"], /--token-env only applies with --url/, /add --url/],
      [["claude", "--no-check"], /--no-check only applies with --url/, /add --url/],
    ];
    for (const [argv, message, hint] of cases) {
      const { result } = run(argv, { probeUrl: never });
      await assert.rejects(result, (error: unknown) => {
        assert.ok(error instanceof UsageError, `${argv.join(" ")}: ${error}`);
        assert.match(error.message, message);
        assert.match(error.hint ?? "", hint);
        return true;
      });
    }
  });
});

describe("configure --url against a running server, read as each client reads its file", () => {
  let temp: TempDir;
  let api: FakeApiServer;
  const servers: Partial<Record<Tier, RunningHttpServer>> = {};
  before(async () => {
    temp = await makeTempDir("configure-url-live");
    await markCatalogChecked(temp.path);
    api = await serveFakeApiHttp(createFakeApi(), { port: 0, hostname: "127.0.0.1" });
    const env = { ...runosEnv({ configDir: temp.path, apiUrl: api.url, apiKey: DEMO_TOKEN, accountId: DEMO_ACCOUNT_ID }), RUNOS_MCP_TOKEN: TEST_TOKEN };
    for (const tier of ["read", "write"] as const) {
      servers[tier] = await startHttpTierServer(tier, { address: { hostname: "127.0.0.1", port: 0 }, env, stderr: () => {} });
    }
  });
  after(async () => {
    for (const server of Object.values(servers)) await server.shutdown({ graceMs: 0 });
    await api.close();
    await temp.remove();
  });

  it("learns each server's tier without a token, and whether the token here is its token", async () => {
    assert.deepEqual(await probeServerUrl(servers.write!.url, undefined), { reached: true, serverName: "runos-write" });
    assert.deepEqual(await probeServerUrl(servers.read!.url, TEST_TOKEN), { reached: true, serverName: "runos", tokenAccepted: true });
    assert.deepEqual(await probeServerUrl(servers.read!.url, "not-the-token-at-all-0000"), { reached: true, serverName: "runos", tokenAccepted: false });
    const closed = await probeServerUrl("http://127.0.0.1:9/mcp", undefined);
    assert.equal(closed.reached, false);
  });

  it("doctor checks URL entries: the tier each answers as, the token its header names, a token written in the file", { timeout: 30_000 }, async () => {
    const dir = join(temp.path, "doctor");
    await mkdir(join(dir, "project"), { recursive: true });
    await mkdir(join(dir, "home"), { recursive: true });
    await configureUrls(dir, "claude", { read: servers.read!.url, write: servers.write!.url });
    await configureUrls(dir, "codex", { write: servers.write!.url });
    const options = { projectDir: join(dir, "project"), env: { home: join(dir, "home"), platform: "linux" } };
    const byId = (checks: Check[]) => Object.fromEntries(checks.filter((check) => check.id.startsWith("client:") && /runos/.test(check.id)).map((check) => [check.id, check]));
    let checks = byId(await checkClients({ ...options, vars: { RUNOS_MCP_TOKEN: TEST_TOKEN } }));
    for (const id of ["client:claude:runos", "client:claude:runos-write", "client:codex:runos-write"]) {
      assert.equal(checks[id]?.status, "ok", `${id}: ${JSON.stringify(checks[id])}`);
      assert.match(checks[id]!.summary, /answers at http:\/\/127\.0\.0\.1:\d+\/mcp as runos(-write)?, and takes the token/);
    }
    checks = byId(await checkClients({ ...options, vars: {} }));
    assert.equal(checks["client:claude:runos"]?.status, "warn");
    assert.match(checks["client:claude:runos"]!.summary, /RUNOS_MCP_TOKEN is not set here/);
    checks = byId(await checkClients({ ...options, vars: { RUNOS_MCP_TOKEN: "another-token-entirely-000" } }));
    assert.equal(checks["client:codex:runos-write"]?.status, "fail");
    assert.match(checks["client:codex:runos-write"]!.summary, /refuses the token in RUNOS_MCP_TOKEN \(401\)/);
    // Hand-edited: the read server's name on the write server's URL, and a token pasted into a header.
    const path = FILES.claude!.path(dir);
    const file = await readJson(path);
    file.mcpServers.runos.url = servers.write!.url;
    file.mcpServers["runos-write"].headers.Authorization = `Bearer ${TEST_TOKEN}`;
    await writeFile(path, JSON.stringify(file));
    checks = byId(await checkClients({ ...options, vars: { RUNOS_MCP_TOKEN: TEST_TOKEN } }));
    assert.equal(checks["client:claude:runos"]?.status, "fail");
    assert.equal(checks["client:claude:runos"]?.symptom, "Permission Denied");
    assert.match(checks["client:claude:runos"]!.summary, /named for the read tier but .* serves runos-write/);
    assert.equal(checks["client:claude:runos-write"]?.status, "fail");
    assert.match(checks["client:claude:runos-write"]!.summary, /holds the credentials for .* itself/);
    assert.equal(JSON.stringify(checks).includes(TEST_TOKEN), false, "doctor repeated the token");
    // No Authorization header at all, a URL that is a variable, and a Codex literal header beside bearer_token_env_var.
    file.mcpServers.runos = { type: "http", url: servers.read!.url };
    file.mcpServers["runos-write"] = { type: "http", url: "${RUNOS_URL}", headers: { Authorization: "Bearer ${RUNOS_MCP_TOKEN}" } };
    await writeFile(path, JSON.stringify(file));
    const codexPath = FILES.codex!.path(dir);
    await writeFile(codexPath, (await readFile(codexPath, "utf8")) + `\n[mcp_servers.runos-write.http_headers]\nAuthorization = "Bearer ${TEST_TOKEN}"\n`);
    checks = byId(await checkClients({ ...options, vars: { RUNOS_MCP_TOKEN: TEST_TOKEN } }));
    assert.equal(checks["client:claude:runos"]?.status, "fail");
    assert.match(checks["client:claude:runos"]!.summary, /sends no token to .*: the server will answer 401/);
    assert.equal(checks["client:claude:runos-write"]?.status, "warn");
    assert.match(checks["client:claude:runos-write"]!.summary, /names a variable the client fills in/);
    assert.equal(checks["client:codex:runos-write"]?.status, "fail");
    assert.match(checks["client:codex:runos-write"]!.summary, /holds the credentials for .* itself/);
    // An empty bearer is no token; Basic credentials are credentials in the file.
    file.mcpServers.runos = { type: "http", url: servers.read!.url, headers: { Authorization: "Bearer " } };
    file.mcpServers["runos-write"] = { type: "http", url: servers.write!.url, headers: { authorization: "Basic dXNlcjpwYXNz" } };
    await writeFile(path, JSON.stringify(file));
    checks = byId(await checkClients({ ...options, vars: { RUNOS_MCP_TOKEN: TEST_TOKEN } }));
    assert.match(checks["client:claude:runos"]!.summary, /sends no token/);
    assert.match(checks["client:claude:runos-write"]!.summary, /holds the credentials for .* itself/);
  });

  it("doctor: a server it cannot identify without the token is a warning; a token that would travel in clear is not sent", async () => {
    const options = { projectDir: temp.path, env: { home: temp.path, platform: "linux" } };
    const prompt: UrlServer = { client: "vscode", clientName: "VS Code", file: "/p/.vscode/mcp.json", name: "runos-write", url: "http://127.0.0.1:8443/write/mcp", token: { kind: "prompt" } };
    const unknown = () => Promise.resolve({ reached: true, problem: "no RunOS metadata at http://127.0.0.1:8443/.well-known/oauth-protected-resource/write/mcp" });
    const unidentified = await checkUrlServer(prompt, { ...options, probeUrl: unknown });
    assert.equal(unidentified.status, "warn");
    assert.match(unidentified.summary, /could not be identified without its token \(the client keeps the token; no RunOS metadata/);
    const tokens: (string | undefined)[] = [];
    const remote: UrlServer = { ...prompt, client: "claude", url: "http://10.1.2.3:8080/mcp", token: { kind: "env", name: "RUNOS_MCP_TOKEN" } };
    const clear = await checkUrlServer(remote, {
      ...options,
      vars: { RUNOS_MCP_TOKEN: TEST_TOKEN },
      probeUrl: (_url, token) => {
        tokens.push(token);
        return Promise.resolve({ reached: true, serverName: "runos-write" });
      },
    });
    assert.equal(clear.status, "warn");
    assert.match(clear.summary, /the token crosses the network in clear text, so doctor did not try it/);
    const hidden = await checkUrlServer({ ...remote, url: "http://user:hunter2@[::1/mcp" }, { ...options, probeUrl: unknown });
    assert.equal(hidden.status, "fail");
    assert.equal(JSON.stringify(hidden).includes("hunter2"), false, JSON.stringify(hidden));
  });

  /** What a client's own variable syntax turns a header into, given its environment (or VS Code's stored inputs). */
  const expand = (client: string, text: string, env: Record<string, string>): string => {
    const pattern = client === "claude" || client === "gemini" || client === "qwen" || client === "crush"
      ? /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g
      : client === "opencode" || client === "kilo"
      ? /\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g
      : client === "vscode"
      ? /\$\{input:([a-z0-9-]+)\}/g
      : /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;
    return text.replace(pattern, (_match, name: string) => env[name] ?? _match);
  };
  /** The URL and headers a client would send, from its file as written. */
  const connection = (client: string, entry: any, env: Record<string, string>): { url: string; headers: Record<string, string> } => {
    if (client === "codex") return { url: entry.url, headers: { Authorization: `Bearer ${env[entry.bearer_token_env_var]}` } };
    const url = entry.url ?? entry.httpUrl ?? entry.serverUrl;
    return { url, headers: Object.fromEntries(Object.entries(entry.headers as Record<string, string>).map(([key, value]) => [key, expand(client, value, env)])) };
  };

  for (const client of Object.keys(FILES)) {
    it(`${client}: the file it reads connects to both servers and lists their tools`, { timeout: 30_000 }, async () => {
      const dir = join(temp.path, client);
      await mkdir(join(dir, "project"), { recursive: true });
      await mkdir(join(dir, "home"), { recursive: true });
      const plan = await planUrlServers([`read=${servers.read!.url}`, servers.write!.url], { tokenEnv: "RUNOS_MCP_TOKEN", token: TEST_TOKEN, check: true });
      assert.deepEqual(plan.warnings, []);
      await configureUrls(dir, client, plan.urls);
      const file = await readConfig(client, dir);
      // The client's environment (VS Code: its secret store, filled once by the prompt).
      const env: Record<string, string> = client === "vscode" ? { "runos-mcp-token": TEST_TOKEN } : { RUNOS_MCP_TOKEN: TEST_TOKEN };
      for (const tier of ["read", "write"] as const) {
        const { url, headers } = connection(client, FILES[client]!.entry(file, SERVER_NAMES[tier]), env);
        const mcp = new Client({ name: `as-${client}`, version: "0" }, { capabilities: {} });
        await mcp.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }), { timeout: 20_000 });
        try {
          assert.equal(mcp.getServerVersion()?.name, SERVER_NAMES[tier]);
          const { tools } = await mcp.listTools();
          const expected = tier === "read" ? "clusters_list" : "services_valkey_add";
          assert.ok(tools.some((tool) => tool.name === expected), `${client} ${tier}: ${tools.map((tool) => tool.name).join(", ")}`);
        } finally {
          await mcp.close();
        }
      }
    });
  }
});
