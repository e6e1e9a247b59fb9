/**
 * Doctor's client checks, for the assistants configured in the project: every runos server in their
 * files (found where each client's writer puts them) has a command that exists, runs the tier its
 * name says, and answers `initialize` and `tools/list` when started exactly as written; a server
 * reached by URL answers there as the tier its name says and takes the token its header names;
 * Claude's allow list pre-approves the read server only; no other file pre-approves another server (approvals.ts); opencode asks before every other server's
 * tools; Codex trusts the project (or it ignores the file).
 */
import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { CLIENT_WRITERS } from "../../configure/clients.ts";
import { isTrusted } from "../../configure/codex.ts";
import { READ_SERVER_RULE } from "../../configure/claude.ts";
import { readContinueBlock } from "../../configure/continue.ts";
import { JsonDocument } from "../../configure/json_file.ts";
import { codexHome, joinPath } from "../../configure/locations.ts";
import { serverEntries } from "../../configure/servers.ts";
import { parseTomlFile } from "../../configure/toml_file.ts";
import type { ConfigureEnv } from "../../configure/writer.ts";
import { readTextIfExists } from "../../atomic_write.ts";
import { RunosError } from "../../errors.ts";
import { SERVER_NAMES, tierOfServer, TIERS } from "../../policy/tier.ts";
import type { Check } from "./check.ts";
import { probeServer, type ProbeResult, type ProbeTarget } from "./probe.ts";
import type { UrlFacts } from "../../configure/url_probe.ts";
import { checkUrlServer, tokenSource, type UrlServer } from "./url_servers.ts";
import { OPENCODE_FAMILY, opencodeFiles, opencodePermissionChecks } from "./opencode_permissions.ts";
import { approvalChecks, type ParsedConfig } from "./approvals.ts";
import { geminiEnvCheck } from "./gemini_env.ts";

/** One runos server as a client's file configures it: a command it starts, or a URL it reaches. */
export type ConfiguredServer = StartedServer | UrlServer;

/** Where a server is configured, and its name there. */
export interface ConfiguredIn {
  readonly client: string;
  readonly clientName: string;
  readonly file: string;
  readonly name: string;
}

/** A server the client starts. */
export interface StartedServer extends ConfiguredIn {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}


/** What the client checks need. */
export interface ClientCheckOptions {
  readonly projectDir: string;
  readonly env: ConfigureEnv;
  /** `$PATH`, to find a bare command. */
  readonly path?: string;
  /** How long one server may take to answer (default 8 s). */
  readonly timeoutMs?: number;
  /** Seam for tests. */
  readonly probe?: (target: ProbeTarget, timeoutMs: number) => Promise<ProbeResult>;
  /** The environment doctor runs in, where a URL server's token variable is looked up. */
  readonly vars?: Readonly<Record<string, string | undefined>>;
  /** The sign-in comes from `RUNOS_API_KEY` (not a stored login): clients that strip it are told. */
  readonly tokenFromEnv?: boolean;
  /** Seam for tests: ask the server at a URL who it is. */
  readonly probeUrl?: (url: string, token: string | undefined) => Promise<UrlFacts>;
}

const MAP_KEYS = ["mcpServers", "servers", "mcp", "mcp_servers"];

/** The tier a server's arguments serve (`mcp serve <tier>`), if any. */
export function servedTier(args: readonly string[]): string | undefined {
  const at = args.findIndex((arg, i) => arg === "serve" && args[i - 1] === "mcp");
  return at < 0 ? undefined : args[at + 1];
}

/** Every project file each client would read, by client. */
function projectFiles(options: ClientCheckOptions): { client: string; clientName: string; paths: string[] }[] {
  const servers = serverEntries({ command: "runos", args: [] }, TIERS);
  return CLIENT_WRITERS.filter((writer) => writer.scopes.includes("project")).map((writer) => ({
    client: writer.id,
    clientName: writer.displayName,
    paths: [...new Set(writer.plan({ servers, tiers: TIERS, operations: [], scope: "project", projectDir: options.projectDir, env: options.env, remove: false, trust: false }).map((file) => file.path))],
  }));
}

/** Clients that read JSONC (comments, trailing commas); the others need plain JSON. */
const JSONC_CLIENTS = new Set(["vscode", "gemini", "opencode", "kilo", "qwen"]);

/** A client's file parsed as the client reads it; a ConfigFileError (with line and column) when it cannot be. */
function parseConfig(client: string, path: string, text: string): Record<string, unknown> {
  if (path.endsWith(".toml")) return parseTomlFile(path, text);
  if (path.endsWith(".yaml")) {
    // Continue's blocks: one server each, in the shape runos writes (another file of that name is not runos's).
    const block = readContinueBlock(text);
    return block === undefined ? {} : { mcpServers: { [block.name]: { command: block.command, args: block.args } } };
  }
  return JsonDocument.open(text, { path, comments: JSONC_CLIENTS.has(client) }).get([]) as Record<string, unknown>;
}

/** The runos servers in one parsed file: entries named like runos's servers, or running `mcp serve`. */
function serversIn(client: { client: string; clientName: string }, file: string, value: Record<string, unknown>): ConfiguredServer[] {
  const found: ConfiguredServer[] = [];
  for (const key of MAP_KEYS) {
    const map = value[key];
    if (map === null || typeof map !== "object" || Array.isArray(map)) continue;
    for (const [name, entry] of Object.entries(map as Record<string, unknown>)) {
      if (entry === null || typeof entry !== "object" || Array.isArray(entry)) continue;
      const item = entry as Record<string, unknown>;
      const url = [item.url, item.httpUrl, item.serverUrl].find((value): value is string => typeof value === "string");
      if (url !== undefined && item.command === undefined) {
        if (tierOfServer(name) !== undefined) found.push({ ...client, file, name, url, token: tokenSource(item) });
        continue;
      }
      // opencode spells the command line as one array.
      const argv = Array.isArray(item.command) ? item.command.map(String) : undefined;
      const command = argv?.[0] ?? (typeof item.command === "string" ? item.command : undefined);
      const args = argv?.slice(1) ?? (Array.isArray(item.args) ? item.args.map(String) : []);
      if (command === undefined || (tierOfServer(name) === undefined && servedTier(args) === undefined)) continue;
      const rawEnv = (item.env ?? item.environment) as Record<string, unknown> | undefined;
      const env = Object.fromEntries(Object.entries(rawEnv ?? {}).filter(([, v]) => typeof v === "string")) as Record<string, string>;
      found.push({ ...client, file, name, command, args, env });
    }
  }
  return found;
}

/** Whether `command` can be run: an executable file, given by path or found on PATH. */
export function commandExists(command: string, cwd: string, path: string | undefined): boolean {
  const executable = (candidate: string) => {
    try {
      if (!statSync(candidate).isFile()) return false;
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (isAbsolute(command)) return executable(command);
  if (command.includes("/")) return executable(join(cwd, command));
  return (path ?? "").split(delimiter).some((dir) => dir !== "" && executable(join(dir, command)));
}

/** All client checks for the project. */
export async function checkClients(options: ClientCheckOptions): Promise<Check[]> {
  const checks: Check[] = [];
  const servers: ConfiguredServer[] = [];
  const texts = new Map<string, string>();
  const parsed: ParsedConfig[] = [];
  for (const client of projectFiles(options)) {
    for (const file of client.paths) {
      let text: string | undefined;
      try {
        text = await readTextIfExists(file);
      } catch (error) {
        checks.push({ id: `config:${file}`, title: `${client.clientName}`, status: "fail", summary: error instanceof Error ? error.message : String(error), symptom: "Configuration Not Loading" });
        continue;
      }
      if (text === undefined) continue;
      texts.set(file, text);
      try {
        const value = parseConfig(client.client, file, text);
        parsed.push({ client: client.client, clientName: client.clientName, file, value });
        servers.push(...serversIn(client, file, value));
      } catch (error) {
        checks.push({
          id: `config:${file}`,
          title: client.clientName,
          status: "fail",
          summary: error instanceof RunosError ? error.message : String(error),
          symptom: "Configuration Not Loading",
          fix: `fix ${file}, or run \`runos mcp configure ${client.client}\` once it parses`,
        });
      }
    }
  }
  if (servers.length === 0 && checks.length === 0) {
    return [{
      id: "clients",
      title: "Assistants",
      status: "warn",
      summary: `no assistant in ${options.projectDir} is configured to start runos's servers`,
      symptom: "Configuration Not Loading",
      fix: "configure one: runos mcp configure claude (or roo, codex, cursor, vscode, gemini, opencode)",
    }];
  }

  const probes = new Map<string, Promise<ProbeResult>>();
  const probe = options.probe ?? probeServer;
  for (const server of servers) {
    checks.push("url" in server ? await checkUrlServer(server, options) : await checkServer(server, options, probes, probe));
  }
  checks.push(...allowListChecks(servers, texts, options), ...codexTrustChecks(servers, options), ...opencodeChecks(servers, texts, options), ...approvalChecks(parsed));
  checks.push(...geminiEnvCheck({
    configured: servers.some((server) => server.client === "gemini"),
    tokenFromEnv: options.tokenFromEnv === true,
    projectSettings: texts.get(joinPath(options.env, options.projectDir, ".gemini", "settings.json")),
    env: options.env,
  }));
  const clients = new Set(servers.map((server) => server.client));
  for (const client of clients) {
    const names = new Set(servers.filter((server) => server.client === client).map((server) => server.name));
    if (!names.has(SERVER_NAMES.write) && !names.has(SERVER_NAMES["sensitive-write"])) {
      checks.push({
        id: `client:${client}:tiers`,
        title: `${servers.find((server) => server.client === client)!.clientName} tiers`,
        status: "info",
        summary: "only read servers are configured: writes will answer \"permission denied\"",
        symptom: "Permission Denied",
        fix: `to allow writes: runos mcp configure ${client} --tiers write`,
      });
    }
  }
  return checks;
}

async function checkServer(
  server: StartedServer,
  options: ClientCheckOptions,
  probes: Map<string, Promise<ProbeResult>>,
  probe: (target: ProbeTarget, timeoutMs: number) => Promise<ProbeResult>,
): Promise<Check> {
  const id = `client:${server.client}:${server.name}`;
  const title = `${server.clientName}: ${server.name}`;
  const tier = servedTier(server.args);
  const expected = tierOfServer(server.name);
  const reconfigure = `runos mcp configure ${server.client}`;
  if (tier === undefined || !(TIERS as readonly string[]).includes(tier)) {
    return { id, title, status: "fail", summary: `runs \`${[server.command, ...server.args].join(" ")}\`, which serves no tier`, symptom: "Server Not Starting", fix: reconfigure };
  }
  if (expected !== undefined && expected !== tier) {
    return {
      id,
      title,
      status: "fail",
      summary: `is named for the ${expected} tier but runs \`mcp serve ${tier}\``,
      symptom: "Permission Denied",
      fix: `${reconfigure} (it writes each server with its own tier)`,
    };
  }
  if (!commandExists(server.command, options.projectDir, options.path)) {
    return { id, title, status: "fail", summary: `its command ${server.command} does not exist or is not executable`, symptom: "Server Not Starting", fix: `${reconfigure} (it writes the runos you run)` };
  }
  const key = JSON.stringify([server.command, server.args, server.env]);
  let pending = probes.get(key);
  if (pending === undefined) {
    pending = probe({ command: server.command, args: server.args, env: server.env, cwd: options.projectDir }, options.timeoutMs ?? 8_000);
    probes.set(key, pending);
  }
  const result = await pending;
  if (!result.ok) {
    const said = result.stderr.trim().split("\n").filter((line) => line.trim() !== "").slice(-1)[0];
    return { id, title, status: "fail", summary: `${result.problem}${said === undefined ? "" : ` (it said: ${said.slice(0, 160)})`}`, symptom: "Server Not Starting" };
  }
  if (result.serverName !== undefined && result.serverName !== server.name && tierOfServer(result.serverName) !== undefined) {
    return { id, title, status: "warn", summary: `answers as ${result.serverName}, not ${server.name}`, symptom: "Permission Denied", fix: reconfigure };
  }
  return { id, title, status: "ok", summary: `answers initialize and tools/list (${result.tools} tools) in ${result.ms} ms` };
}

/** Claude Code: `mcp__runos__*` pre-approves the read server; a rule pre-approving another runos server is a risk. */
function allowListChecks(servers: readonly ConfiguredServer[], texts: ReadonlyMap<string, string>, options: ClientCheckOptions): Check[] {
  if (!servers.some((server) => server.client === "claude")) return [];
  const path = joinPath(options.env, options.projectDir, ".claude", "settings.json");
  const text = texts.get(path);
  let allow: unknown[] = [];
  try {
    const value = text === undefined ? {} : JSON.parse(text) as { permissions?: { allow?: unknown } };
    allow = Array.isArray(value.permissions?.allow) ? value.permissions.allow : [];
  } catch {
    return [];
  }
  const risky = allow.filter((rule): rule is string => typeof rule === "string" && /^mcp__runos-(sensitive-read|write|sensitive-write)(__|$)/.test(rule));
  if (risky.length > 0) {
    return [{
      id: "client:claude:allow",
      title: "Claude Code: allow list",
      status: "warn",
      summary: `${path} pre-approves ${risky.join(", ")}: those tools run without asking`,
      fix: `take ${risky.length === 1 ? "that rule" : "those rules"} out of permissions.allow unless you mean it`,
    }];
  }
  const hasRead = servers.some((server) => server.client === "claude" && server.name === SERVER_NAMES.read);
  if (hasRead && !allow.includes(READ_SERVER_RULE) && !allow.includes("mcp__runos")) {
    return [{
      id: "client:claude:allow",
      title: "Claude Code: allow list",
      status: "warn",
      summary: `${READ_SERVER_RULE} is not in ${path}: Claude asks before every read tool`,
      symptom: "Configuration Not Loading",
      fix: "runos mcp configure claude",
    }];
  }
  return hasRead ? [{ id: "client:claude:allow", title: "Claude Code: allow list", status: "ok", summary: `${READ_SERVER_RULE} pre-approves the read server only` }] : [];
}

/**
 * opencode and Kilo Code (its fork): the three servers besides the read one ask before each call
 * (both run MCP tools unasked by default).
 */
function opencodeChecks(servers: readonly ConfiguredServer[], texts: ReadonlyMap<string, string>, options: ClientCheckOptions): Check[] {
  return OPENCODE_FAMILY.flatMap((client) => {
    const configured = servers.filter((server) => server.client === client.id);
    if (configured.length === 0) return [];
    const projectPath = joinPath(options.env, options.projectDir, client.file);
    return opencodePermissionChecks([...new Set(configured.map((server) => server.name))], opencodeFiles(client, options.env, projectPath, texts.get(projectPath)));
  });
}

/** Codex: a project's `.codex/config.toml` is read only when the project is trusted in the user's config. */
function codexTrustChecks(servers: readonly ConfiguredServer[], options: ClientCheckOptions): Check[] {
  if (!servers.some((server) => server.client === "codex")) return [];
  const userConfig = joinPath(options.env, codexHome(options.env), "config.toml");
  let text: string | undefined;
  try {
    text = readFileSync(userConfig, "utf8");
  } catch {
    text = undefined;
  }
  if (isTrusted(userConfig, text, options.projectDir)) {
    return [{ id: "client:codex:trust", title: "Codex: trust", status: "ok", summary: `the project is trusted in ${userConfig}` }];
  }
  return [{
    id: "client:codex:trust",
    title: "Codex: trust",
    status: "fail",
    summary: `the project is not trusted in ${userConfig}, so Codex ignores ${joinPath(options.env, options.projectDir, ".codex", "config.toml")}`,
    symptom: "Configuration Not Loading",
    fix: "runos mcp configure codex --trust",
  }];
}
