/**
 * End to end: configure a temp project for claude, roo, codex and cursor with the running program's
 * own command line, then start every server exactly as written (command, args, env) over stdio,
 * against the fake API on a loopback port, and list its tools.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { parse as parseToml } from "smol-toml";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { DEMO_ACCOUNT_ID, DEMO_TOKEN } from "../../src/fake_api/mod.ts";
import { findClient } from "../../src/configure/clients.ts";
import { runConfigure } from "../../src/configure/run.ts";
import { selfCommand } from "../../src/runtime.ts";
import { baselineCatalog } from "../../src/catalog/load.ts";
import { buildOperations } from "../../src/catalog/operation.ts";
import { type FakeApiHarness, startFakeApi } from "../_harness/fake_api.ts";
import { runosEnv } from "../_harness/mcp_client.ts";
import { makeTempDir, type TempDir } from "../_harness/temp_project.ts";

interface WrittenServer {
  readonly name: string;
  readonly command: string;
  readonly args: string[];
  readonly env: Record<string, string>;
}

type JsonServers = Record<string, { command: string; args: string[]; env?: Record<string, string> }>;

async function writtenServers(clientId: string, projectDir: string): Promise<WrittenServer[]> {
  const fromJson = async (path: string) => {
    const servers = (JSON.parse(await readFile(path, "utf8")) as { mcpServers: JsonServers }).mcpServers;
    return Object.entries(servers).map(([name, entry]) => ({ name, command: entry.command, args: entry.args, env: entry.env ?? {} }));
  };
  switch (clientId) {
    case "claude":
      return await fromJson(join(projectDir, ".mcp.json"));
    case "roo":
      return await fromJson(join(projectDir, ".roo", "mcp.json"));
    case "cursor":
      return await fromJson(join(projectDir, ".cursor", "mcp.json"));
    default: {
      const toml = parseToml(await readFile(join(projectDir, ".codex", "config.toml"), "utf8")) as { mcp_servers: JsonServers };
      return Object.entries(toml.mcp_servers).map(([name, entry]) => ({ name, command: entry.command, args: entry.args, env: entry.env ?? {} }));
    }
  }
}

describe("configured servers start exactly as written", () => {
  let temp: TempDir;
  let api: FakeApiHarness;
  before(async () => {
    temp = await makeTempDir("configure-e2e");
    api = await startFakeApi({ mode: "http" });
  });
  after(async () => {
    await api.close();
    await temp.remove();
  });

  for (const clientId of ["claude", "roo", "codex", "cursor"]) {
    it(`${clientId}: every written server answers as its name and lists tools`, { timeout: 240_000 }, async () => {
      const projectDir = join(temp.path, clientId, "project");
      const home = join(temp.path, clientId, "home");
      await mkdir(projectDir, { recursive: true });
      await mkdir(home, { recursive: true });
      await runConfigure({
        client: findClient(clientId)!,
        self: selfCommand(),
        tiers: ["read", "sensitive-read", "write", "sensitive-write"],
        operations: buildOperations(baselineCatalog()),
        projectDir,
        env: { home, platform: process.platform },
        remove: false,
        trust: false,
        yes: true,
        mode: "write",
      }, { stdout: () => {}, stderr: () => {}, canPrompt: false, confirmTypedYes: () => Promise.resolve(false) });

      const servers = await writtenServers(clientId, projectDir);
      assert.deepEqual(servers.map((server) => server.name).sort(), ["runos", "runos-sensitive-read", "runos-sensitive-write", "runos-write"]);
      for (const server of servers) {
        const env = {
          ...server.env,
          ...runosEnv({ configDir: join(temp.path, clientId, "runos-config"), apiUrl: api.url, apiKey: DEMO_TOKEN, accountId: DEMO_ACCOUNT_ID }),
        };
        // Started from elsewhere than the repository: the written command must not depend on the cwd.
        const transport = new StdioClientTransport({ command: server.command, args: server.args, env, cwd: projectDir, stderr: "pipe" });
        const stderr: string[] = [];
        transport.stderr?.on("data", (chunk: Uint8Array | string) => void stderr.push(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk)));
        const client = new Client({ name: "runos-configure-e2e", version: "0.0.0" }, { capabilities: {} });
        try {
          await client.connect(transport, { timeout: 60_000 });
          assert.equal(client.getServerVersion()?.name, server.name, stderr.join(""));
          const { tools } = await client.listTools();
          assert.ok(tools.length > 0, `${server.name} lists tools`);
        } finally {
          await client.close();
        }
      }
    });
  }
});

