/**
 * OpenAI Codex: `.codex/config.toml` (or `$CODEX_HOME/config.toml` for the user scope), one
 * `[mcp_servers.<name>]` table per server. The read server's tools run without asking
 * (`default_tools_approval_mode = "approve"`), every other server prompts. Tables are patched as
 * text and the result is checked by parsing it again.
 */
import { isDeepStrictEqual } from "node:util";
import { ConfigFileError } from "../../errors.ts";
import { codexHome, joinPath } from "./locations.ts";
import type { ServerEntry } from "./servers.ts";
import {
  keyStatements,
  parseTomlFile,
  replaceTables,
  splitLines,
  type TableSection,
  tableSections,
  type TomlTable,
  tomlKey,
  tomlString,
} from "./toml_file.ts";
import type { ClientWriter, ConfigureInput, PlannedFile } from "./writer.ts";

/** The seed's warning, shown before Codex is configured. */
export const CODEX_SANDBOX_WARNING =
  "Warning: The RunOS MCP integration requires Codex to run outside of its sandbox (Codex defaults to sandbox mode). " +
  "This gives Codex full access to execute commands without permission prompts. " +
  "Use with caution and consider running Codex inside a VM or Docker container for added isolation.";

/** Seconds Codex waits for a server to start (its default of 10 is tight for `deno run`). */
const STARTUP_TIMEOUT_SEC = 20;

/** The keys runos writes in each server table; any other key the user added stays. */
const OWNED_KEYS = ["command", "args", "startup_timeout_sec", "default_tools_approval_mode"];

/** What runos writes for one server, as parsed values. */
function serverTable(server: ServerEntry): TomlTable {
  return {
    command: server.command,
    args: [...server.args],
    startup_timeout_sec: STARTUP_TIMEOUT_SEC,
    default_tools_approval_mode: server.tier === "read" ? "approve" : "prompt",
  };
}

/** The TOML lines of one server table, keeping `extra` statements the user added. */
function serverLines(server: ServerEntry, extra: readonly string[]): string[] {
  const table = serverTable(server);
  return [
    `[mcp_servers.${tomlKey(server.name)}]`,
    `command = ${tomlString(server.command)}`,
    `args = [${server.args.map(tomlString).join(", ")}]`,
    `startup_timeout_sec = ${STARTUP_TIMEOUT_SEC}`,
    `default_tools_approval_mode = ${tomlString(String(table.default_tools_approval_mode))}`,
    ...extra,
  ];
}

/** The Codex config text with runos's server tables added, refreshed or removed. */
export function updateCodexServers(path: string, current: string | undefined, servers: readonly ServerEntry[], remove: boolean): string | undefined {
  if (current === undefined && remove) return undefined;
  const text = current ?? "";
  const before = parseTomlFile(path, text);
  const names = new Set(servers.map((server) => server.name));
  const lines = splitLines(text);
  const isServer = (section: TableSection, exact: boolean) =>
    section.path[0] === "mcp_servers" && names.has(section.path[1] ?? "") && (!exact || section.path.length === 2) && !section.array;

  let block: string[] = [];
  if (!remove) {
    const blocks = servers.map((server) => {
      const section = tableSections(lines).find((candidate) => isServer(candidate, true) && candidate.path[1] === server.name);
      const body = section ? lines.slice(section.start + 1, section.end) : [];
      const extra = keyStatements(body).filter((statement) => !OWNED_KEYS.includes(statement.key)).flatMap((statement) => statement.lines);
      return serverLines(server, extra);
    });
    block = blocks.flatMap((lines, index) => (index === 0 ? lines : ["", ...lines]));
  }
  const next = replaceTables(text, (section) => isServer(section, !remove), block);
  const expected = plain(before);
  const mcpServers = ((expected.mcp_servers ??= {}) as TomlTable);
  for (const server of servers) {
    if (remove) delete mcpServers[server.name];
    else mcpServers[server.name] = { ...(mcpServers[server.name] as TomlTable | undefined), ...serverTable(server) };
  }
  if (remove && before.mcp_servers === undefined) delete expected.mcp_servers;
  verify(path, next, expected, servers);
  return next === text && current !== undefined ? current : next;
}

/**
 * The user's Codex config with `[projects."<dir>"] trust_level = "trusted"`, so Codex loads the
 * project's `.codex/config.toml`. Other keys of that table stay.
 */
export function trustCodexProject(path: string, current: string | undefined, projectDir: string): string {
  const text = current ?? "";
  const before = parseTomlFile(path, text);
  const projects = before.projects as Record<string, TomlTable> | undefined;
  if (projects?.[projectDir]?.trust_level === "trusted") return text;
  const lines = splitLines(text);
  const isProject = (section: TableSection) =>
    section.path.length === 2 && section.path[0] === "projects" && section.path[1] === projectDir && !section.array;
  const section = tableSections(lines).find(isProject);
  const body = section ? lines.slice(section.start + 1, section.end) : [];
  const extra = keyStatements(body).filter((statement) => statement.key !== "trust_level").flatMap((statement) => statement.lines);
  const next = replaceTables(text, isProject, [...trustLines(projectDir), ...extra]);
  const expected = plain(before);
  const expectedProjects = (expected.projects ??= {}) as Record<string, TomlTable>;
  expectedProjects[projectDir] = { ...expectedProjects[projectDir], trust_level: "trusted" };
  verify(path, next, expected, []);
  return next;
}

/** The two lines that mark a project trusted in `~/.codex/config.toml`. */
export function trustLines(projectDir: string): string[] {
  return [`[projects.${tomlString(projectDir)}]`, `trust_level = "trusted"`];
}

/** Parse the patched text and insist it holds exactly what was meant; refuse otherwise. */
function verify(path: string, next: string, expected: TomlTable, servers: readonly ServerEntry[]): void {
  let after: TomlTable;
  try {
    after = parseTomlFile(path, next);
  } catch (error) {
    throw unsafe(path, error instanceof Error ? error.message : String(error), servers);
  }
  if (!isDeepStrictEqual(plain(after), plain(expected))) throw unsafe(path, "the edited file would not hold what was meant", servers);
}

/** A JSON-shaped copy (dates as strings, big integers as strings) so parsed tables compare by value. */
function plain(value: TomlTable): TomlTable {
  return JSON.parse(JSON.stringify(value, (_key, item) => (typeof item === "bigint" ? item.toString() : item))) as TomlTable;
}

function unsafe(path: string, reason: string, servers: readonly ServerEntry[]): ConfigFileError {
  const tables = servers.map((server) => serverLines(server, []).join("\n")).join("\n\n");
  return new ConfigFileError(path, `could not update ${path} safely (${reason}); it was left unchanged`, {
    hint: servers.length > 0 ? `the runos servers may be defined inline there; add these tables by hand instead:\n${tables}` : `edit ${path} by hand`,
  });
}

/** The Codex writer. */
export const codexWriter: ClientWriter = {
  id: "codex",
  displayName: "OpenAI Codex",
  scopes: ["project", "user"],
  plan(input: ConfigureInput): PlannedFile[] {
    const userConfig = joinPath(input.env, codexHome(input.env), "config.toml");
    const path = input.scope === "user" ? userConfig : joinPath(input.env, input.projectDir, ".codex", "config.toml");
    const files: PlannedFile[] = [{ path, update: (current) => updateCodexServers(path, current, input.servers, input.remove) }];
    if (input.scope === "project" && input.trust && !input.remove) {
      files.push({ path: userConfig, update: (current) => trustCodexProject(userConfig, current, input.projectDir) });
    }
    return files;
  },
  notes(input: ConfigureInput): string[] {
    if (input.remove) return [];
    const notes = [
      "Codex must be restarted to pick up new servers or a new catalog (it ignores tools/list_changed).",
    ];
    if (input.scope === "project" && !input.trust) {
      const userConfig = joinPath(input.env, codexHome(input.env), "config.toml");
      notes.unshift(
        `Codex loads ${joinPath(input.env, input.projectDir, ".codex", "config.toml")} only when the project is trusted. ` +
          `Add these lines to ${userConfig} (or run again with --trust):\n\n${trustLines(input.projectDir).join("\n")}\n`,
      );
    }
    return notes;
  },
  confirmation(input: ConfigureInput): string | undefined {
    if (input.remove) return undefined;
    return `${CODEX_SANDBOX_WARNING}\n` +
      "With these servers Codex can act on your RunOS account: the write servers can create, change and delete services, apps and credentials.";
  },
};
