/**
 * What runos writes in a Codex `[mcp_servers.<name>]` table (a command or a URL, the startup timeout,
 * the approval mode, the variables a started server is passed), and the shapes of an existing
 * config.toml it refuses to patch, before any edit.
 */
import { ConfigFileError } from "../errors.ts";
import type { ServerEntry } from "./servers.ts";
import { keyStatements, type TableSection, tableSections, type TomlTable, tomlKey, tomlString } from "./toml_file.ts";

/** Seconds Codex waits for a server to start (its default of 10 is tight for `deno run`). */
const STARTUP_TIMEOUT_SEC = 20;

/** The keys runos writes in each server table; any other key the user added stays. */
export const OWNED_KEYS = ["command", "args", "url", "bearer_token_env_var", "startup_timeout_sec", "default_tools_approval_mode", "env_vars"];

/**
 * The variables a started server needs from the environment Codex runs in. Codex passes a server only
 * HOME, LANG, PATH, TMPDIR and USER (seen in the real client), so without these a login kept under
 * `$XDG_CONFIG_HOME` or `RUNOS_CONFIG_DIR`, or one given as `RUNOS_API_KEY`, never reaches it.
 */
export const SERVER_ENV_VARS = [
  "RUNOS_API_KEY",
  "RUNOS_ACCOUNT_ID",
  "RUNOS_PROFILE",
  "RUNOS_API_URL",
  "RUNOS_CLUSTER_ID",
  "RUNOS_CONFIG_DIR",
  "XDG_CONFIG_HOME",
  "XDG_CACHE_HOME",
  "XDG_STATE_HOME",
];

/**
 * The keys (and sub-tables) of one transport, which Codex refuses on a server of the other: a table
 * switched from a command to a URL (or back) loses them.
 */
const TRANSPORT_KEYS = {
  stdio: ["command", "args", "env", "env_vars", "cwd"],
  http: ["url", "bearer_token_env_var", "http_headers", "env_http_headers"],
} as const;

/** The keys a table for `server` cannot keep: the other transport's. */
export function otherTransportKeys(server: ServerEntry): readonly string[] {
  return TRANSPORT_KEYS[server.transport === "http" ? "stdio" : "http"];
}

/**
 * What runos writes for one server, as parsed values, in the order the lines are written; `existing`
 * is the server's table before, whose own `env_vars` names are kept ahead of runos's.
 */
export function serverTable(server: ServerEntry, existing?: TomlTable): TomlTable {
  const how: TomlTable = server.transport === "http"
    ? { url: server.url, bearer_token_env_var: server.tokenEnv }
    : { command: server.command, args: [...server.args] };
  const table: TomlTable = {
    ...how,
    startup_timeout_sec: STARTUP_TIMEOUT_SEC,
    default_tools_approval_mode: server.tier === "read" ? "approve" : "prompt",
  };
  if (server.transport === "stdio") {
    const theirs = Array.isArray(existing?.env_vars) ? existing.env_vars.filter((name): name is string => typeof name === "string") : [];
    table.env_vars = [...theirs, ...SERVER_ENV_VARS.filter((name) => !theirs.includes(name))];
  }
  return table;
}

/** The TOML lines of one server table (see {@link serverTable}), keeping `extra` statements the user added. */
export function serverLines(server: ServerEntry, extra: readonly string[], existing?: TomlTable): string[] {
  const value = (item: unknown): string =>
    Array.isArray(item) ? `[${item.map(value).join(", ")}]` : typeof item === "string" ? tomlString(item) : String(item);
  return [
    `[mcp_servers.${tomlKey(server.name)}]`,
    ...Object.entries(serverTable(server, existing)).map(([key, item]) => `${key} = ${value(item)}`),
    ...extra,
  ];
}

/** A parsed TOML table (not an array, a date or a scalar). */
export function isTable(value: unknown): value is TomlTable {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date);
}

/** What a parsed TOML value is, in words. */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return "a date";
  if (typeof value === "string") return "a string";
  if (typeof value === "boolean") return "a boolean";
  if (typeof value === "number" || typeof value === "bigint") return "a number";
  return "not a table";
}

/** `[mcp_servers.<name>]`, its sub-tables (`[mcp_servers.<name>.…]`), or either. */
export function serverSection(section: TableSection, name: string, part: "table" | "sub" | "any"): boolean {
  if (section.array || section.path[0] !== "mcp_servers" || section.path[1] !== name) return false;
  return part === "any" || (part === "table" ? section.path.length === 2 : section.path.length > 2);
}

/**
 * Refuse, before any edit, the valid TOML runos cannot patch table by table: `mcp_servers` (or a
 * runos server in it) that is not a table, or a runos server defined with dotted keys or as an
 * inline table. Returns false when there is nothing to do (removing from a file without them).
 */
export function checkShape(path: string, lines: readonly string[], before: TomlTable, servers: readonly ServerEntry[], remove: boolean): boolean {
  const refuse = (message: string, hint: string) =>
    new ConfigFileError(path, `could not update ${path} safely: ${message}; it was left unchanged`, { hint });
  const byHand = (names: readonly string[]) =>
    remove
      ? `take the ${names.map((name) => `"mcp_servers.${name}"`).join(", ")} entries out of ${path} by hand`
      : `define the runos servers as tables instead, by hand (the file was left unchanged):\n${
        servers.map((server) => serverLines(server, []).join("\n")).join("\n\n")
      }`;
  const root = before.mcp_servers;
  if (root !== undefined && !isTable(root)) {
    if (remove) return false;
    throw refuse(`"mcp_servers" should be a table of servers ([mcp_servers.<name>] sections), but it is ${kindOf(root)}`, `Codex reads servers only from [mcp_servers.<name>] tables: change or remove the "mcp_servers = …" line in ${path} by hand, then run the command again`);
  }
  const sections = tableSections(lines);
  const present = servers.filter((server) => root !== undefined && Object.hasOwn(root, server.name));
  for (const server of present) {
    const value = (root as TomlTable)[server.name];
    if (!isTable(value)) {
      throw refuse(
        `"mcp_servers.${server.name}" should be a table, but it is ${kindOf(value)}`,
        `fix or remove "${server.name} = …" under "mcp_servers" in ${path}, then run the command again`,
      );
    }
    if (!sections.some((section) => serverSection(section, server.name, "table") || serverSection(section, server.name, "sub"))) {
      throw refuse(`"mcp_servers.${server.name}" is defined with dotted keys or as an inline table, not as a [mcp_servers.${tomlKey(server.name)}] table runos can patch`, byHand([server.name]));
    }
  }
  if (remove) return present.length > 0;
  const firstHeader = sections[0]?.start ?? lines.length;
  const inline = keyStatements(lines.slice(0, firstHeader)).find((statement) => statement.key === "mcp_servers" && /^\s*[^.=]+=/.test(statement.lines[0]!));
  if (inline !== undefined && servers.some((server) => !sections.some((section) => serverSection(section, server.name, "table")))) {
    throw refuse(`"mcp_servers" is an inline table (mcp_servers = { … }), which cannot take [mcp_servers.<name>] tables`, byHand([]));
  }
  return true;
}

/**
 * A URL server's table whose `http_headers` or `env_http_headers` already sets Authorization is
 * refused: runos sets it through `bearer_token_env_var`, and two answers to one header (one of them
 * perhaps a token written in the file) are not runos's to choose between.
 */
export function refuseOtherAuthorization(path: string, before: TomlTable, servers: readonly ServerEntry[]): void {
  const root = before.mcp_servers;
  if (!isTable(root)) return;
  for (const server of servers) {
    const table = root[server.name];
    if (server.transport !== "http" || !isTable(table)) continue;
    for (const key of ["http_headers", "env_http_headers"] as const) {
      const headers = table[key];
      if (!isTable(headers) || !Object.keys(headers).some((name) => name.toLowerCase() === "authorization")) continue;
      throw new ConfigFileError(path, `could not update ${path} safely: "mcp_servers.${server.name}.${key}" sets Authorization already; it was left unchanged`, {
        hint: `take the Authorization entry out of ${key} in ${path} (runos sets the header from ${server.tokenEnv} with bearer_token_env_var${key === "http_headers" ? "; if a token was written there, change it" : ""}), then run the command again`,
      });
    }
  }
}
