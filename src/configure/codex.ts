/**
 * OpenAI Codex: `.codex/config.toml` (or `$CODEX_HOME/config.toml` for the user scope), one
 * `[mcp_servers.<name>]` table per server. The read server's tools run without asking
 * (`default_tools_approval_mode = "approve"`), every other server prompts. Tables are patched as
 * text and the result is checked by parsing it again.
 */
import { isDeepStrictEqual } from "node:util";
import { ConfigFileError } from "../errors.ts";
import { codexHome, joinPath } from "./locations.ts";
import type { ServerEntry } from "./servers.ts";
import { checkShape, isTable, OWNED_KEYS, otherTransportKeys, refuseOtherAuthorization, serverLines, serverSection, serverTable } from "./codex_tables.ts";
import { keyStatements, parseTomlFile, replaceTables, splitLines, type TableSection, tableSections, type TomlTable, tomlKey, tomlString } from "./toml_file.ts";
import { type ClientWriter, type ConfigureInput, DELETE_FILE, type PlannedFile } from "./writer.ts";

/** The seed's warning, shown before Codex is configured. */
export const CODEX_SANDBOX_WARNING =
  "Warning: The RunOS MCP integration requires Codex to run outside of its sandbox (Codex defaults to sandbox mode). " +
  "This gives Codex full access to execute commands without permission prompts. " +
  "Use with caution and consider running Codex inside a VM or Docker container for added isolation.";

/**
 * The Codex config text with runos's server tables added, refreshed or removed. A server's existing
 * table is rewritten where it stands (the user's extra keys kept, its sub-tables left where they are);
 * a new one goes next to the other runos tables (before its own sub-tables when it only had those),
 * or at the end. Removing takes each server's table and its sub-tables out.
 */
export function updateCodexServers(path: string, current: string | undefined, servers: readonly ServerEntry[], remove: boolean): string | undefined {
  if (current === undefined && remove) return undefined;
  const text = current ?? "";
  const before = parseTomlFile(path, text);
  const lines = splitLines(text);
  if (!checkShape(path, lines, before, servers, remove)) return current;
  if (!remove) refuseOtherAuthorization(path, before, servers);

  let next: string;
  if (remove) next = replaceTables(text, (section) => servers.some((server) => serverSection(section, server.name, "any")), []);
  else {
    // The other transport's sub-tables (`[mcp_servers.<name>.env]` on a server now reached by URL) go first.
    const otherSub = (section: TableSection) =>
      servers.some((server) => serverSection(section, server.name, "sub") && otherTransportKeys(server).includes(section.path[2]!));
    const kept = dropTables(text, otherSub);
    next = patchServerTables(kept, splitLines(kept), servers, before);
  }
  const expected = plain(before);
  const mcpServers = ((expected.mcp_servers ??= {}) as TomlTable);
  for (const server of servers) {
    if (remove) delete mcpServers[server.name];
    else {
      const existing = { ...(mcpServers[server.name] as TomlTable | undefined) };
      for (const key of otherTransportKeys(server)) delete existing[key];
      mcpServers[server.name] = { ...existing, ...serverTable(server, existing) };
    }
  }
  verify(path, next, expected, servers, remove);
  return next === text && current !== undefined ? current : next;
}

/** Rewrite or insert each server's own table (see {@link updateCodexServers}). */
function patchServerTables(text: string, lines: readonly string[], servers: readonly ServerEntry[], before: TomlTable): string {
  const tables = isTable(before.mcp_servers) ? before.mcp_servers : {};
  const newline = text.includes("\r\n") ? "\r\n" : "\n";
  const sections = tableSections(lines);
  const groups = servers.map((server) => {
    const table = sections.find((section) => serverSection(section, server.name, "table"));
    const subs = sections.filter((section) => serverSection(section, server.name, "sub"));
    const all = [...(table ? [table] : []), ...subs];
    return {
      server,
      table,
      subs,
      start: all.length > 0 ? Math.min(...all.map((section) => commentStart(lines, section.start))) : undefined,
      end: all.length > 0 ? Math.max(...all.map((section) => section.end)) : undefined,
    };
  });
  const replacements: { start: number; end: number; lines: string[] }[] = [];
  const inserts = new Map<number, string[][]>();
  const appended: string[][] = [];
  groups.forEach((group, index) => {
    const { server, table, subs } = group;
    if (table !== undefined) {
      const body = lines.slice(table.start + 1, table.end);
      const dropped = [...OWNED_KEYS, ...otherTransportKeys(server)];
      const extra = keyStatements(body).filter((statement) => !dropped.includes(statement.key)).flatMap((statement) => statement.lines);
      const existing = tables[server.name];
      replacements.push({ start: table.start, end: table.end, lines: serverLines(server, extra, isTable(existing) ? existing : undefined) });
      return;
    }
    let at: number | undefined;
    if (subs.length > 0) at = commentStart(lines, subs[0]!.start);
    else {
      const previous = groups.slice(0, index).reverse().find((other) => other.end !== undefined);
      const following = groups.slice(index + 1).find((other) => other.start !== undefined);
      at = previous?.end ?? following?.start;
    }
    if (at === undefined) appended.push(serverLines(server, []));
    else inserts.set(at, [...(inserts.get(at) ?? []), serverLines(server, [])]);
  });

  const result = [...lines];
  const edits = [
    ...replacements.map((edit) => ({ ...edit, order: 1 })),
    ...[...inserts].map(([at, tables]) => {
      // A blank line between the new tables and whatever stands right before or after them.
      const lead = at > 0 && lines[at - 1]!.trim() !== "" ? [""] : [];
      const trail = at < lines.length && lines[at]!.trim() !== "" ? [""] : [];
      const block = tables.flatMap((table, i) => (i === 0 ? table : ["", ...table]));
      return { start: at, end: at, lines: [...lead, ...block, ...trail], order: 0 };
    }),
  ].sort((a, b) => b.start - a.start || b.order - a.order);
  for (const edit of edits) result.splice(edit.start, edit.end - edit.start, ...edit.lines);
  if (appended.length > 0) {
    while (result.length > 0 && result[result.length - 1]!.trim() === "") result.pop();
    if (result.length > 0) result.push("");
    result.push(...appended.flatMap((table, i) => (i === 0 ? table : ["", ...table])));
  }
  return result.length === 0 ? "" : result.join(newline) + newline;
}

/** `text` without the tables `isDropped` picks, each with the comment block right above it (which is about it). */
function dropTables(text: string, isDropped: (section: TableSection) => boolean): string {
  const lines = splitLines(text);
  const dropped = tableSections(lines).filter(isDropped).sort((a, b) => b.start - a.start);
  if (dropped.length === 0) return text;
  const result = [...lines];
  for (const section of dropped) {
    const from = commentStart(lines, section.start);
    result.splice(from, section.end - from);
  }
  const newline = text.includes("\r\n") ? "\r\n" : "\n";
  return result.length === 0 ? "" : result.join(newline) + newline;
}

/** The first line of the comment block right above line `start` (comments there belong to that table). */
function commentStart(lines: readonly string[], start: number): number {
  let line = start;
  while (line > 0 && /^\s*#/.test(lines[line - 1]!)) line--;
  return line;
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
  verify(path, next, expected, [], false);
  return next;
}

/** Whether Codex's user config (its text; undefined: absent) marks `projectDir` trusted; an unparsable one does not. */
export function isTrusted(path: string, text: string | undefined, projectDir: string): boolean {
  try {
    const projects = parseTomlFile(path, text).projects as Record<string, TomlTable> | undefined;
    return projects?.[projectDir]?.trust_level === "trusted";
  } catch {
    return false;
  }
}

/** After a removal: nothing left but blank lines, comments-free, or an empty `[mcp_servers]` header. */
function onlyEmptyShell(text: string): boolean {
  return splitLines(text).every((line) => line.trim() === "" || /^\s*\[\s*mcp_servers\s*\]\s*$/.test(line));
}

/** The two lines that mark a project trusted in `~/.codex/config.toml`. */
export function trustLines(projectDir: string): string[] {
  return [`[projects.${tomlString(projectDir)}]`, `trust_level = "trusted"`];
}

/** Parse the patched text and insist it holds exactly what was meant; refuse otherwise. */
function verify(path: string, next: string, expected: TomlTable, servers: readonly ServerEntry[], remove: boolean): void {
  let after: TomlTable;
  try {
    after = parseTomlFile(path, next);
  } catch (error) {
    const reason = error instanceof ConfigFileError ? String((error.cause as Error | undefined)?.message ?? error.message).split("\n")[0]! : String(error);
    throw unsafe(path, `the edited file would not parse: ${reason}`, servers, remove);
  }
  // Removing the last server of an implicit [mcp_servers] leaves no table at all: the same thing.
  const wanted = plain(expected);
  const got = plain(after);
  for (const value of [wanted, got]) {
    if (isTable(value.mcp_servers) && Object.keys(value.mcp_servers).length === 0) delete value.mcp_servers;
  }
  if (!isDeepStrictEqual(got, wanted)) throw unsafe(path, "the edited file would not hold what was meant", servers, remove);
}

/** A JSON-shaped copy (dates as strings, big integers as strings) so parsed tables compare by value. */
function plain(value: TomlTable): TomlTable {
  return JSON.parse(JSON.stringify(value, (_key, item) => (typeof item === "bigint" ? item.toString() : item))) as TomlTable;
}

function unsafe(path: string, reason: string, servers: readonly ServerEntry[], remove: boolean): ConfigFileError {
  const tables = servers.map((server) => serverLines(server, []).join("\n")).join("\n\n");
  let hint = `edit ${path} by hand`;
  if (servers.length > 0 && remove) {
    hint = `take the ${servers.map((server) => `[mcp_servers.${tomlKey(server.name)}]`).join(", ")} tables (and their sub-tables) out of ${path} by hand`;
  } else if (servers.length > 0) {
    hint = `the runos servers may be defined in an unusual way there; make sure each is a [mcp_servers.<name>] table, or add these tables by hand instead:\n${tables}`;
  }
  return new ConfigFileError(path, `could not update ${path} safely (${reason}); it was left unchanged`, { hint });
}

/** The Codex writer. */
export const codexWriter: ClientWriter = {
  id: "codex",
  displayName: "OpenAI Codex",
  scopes: ["project", "user"],
  plan(input: ConfigureInput): PlannedFile[] {
    const userConfig = joinPath(input.env, codexHome(input.env), "config.toml");
    const path = input.scope === "user" ? userConfig : joinPath(input.env, input.projectDir, ".codex", "config.toml");
    const files: PlannedFile[] = [{
      path,
      update: (current) => {
        const next = updateCodexServers(path, current, input.servers, input.remove);
        return input.remove && next !== current && next !== undefined && onlyEmptyShell(next) ? DELETE_FILE : next;
      },
    }];
    if (input.scope === "project" && input.trust && !input.remove) {
      files.push({ path: userConfig, update: (current) => trustCodexProject(userConfig, current, input.projectDir) });
    }
    return files;
  },
  reads(input: ConfigureInput): string[] {
    return input.scope === "project" ? [joinPath(input.env, codexHome(input.env), "config.toml")] : [];
  },
  notes(input: ConfigureInput): string[] {
    if (input.remove) return [];
    const notes = [
      "Codex must be restarted to pick up new servers or a new catalog (it ignores tools/list_changed).",
    ];
    if (input.scope === "project" && !input.trust) {
      const userConfig = joinPath(input.env, codexHome(input.env), "config.toml");
      const projectConfig = joinPath(input.env, input.projectDir, ".codex", "config.toml");
      if (isTrusted(userConfig, input.existing?.get(userConfig), input.projectDir)) {
        notes.unshift(`The project is trusted in ${userConfig}, so Codex loads ${projectConfig}.`);
      } else {
        notes.unshift(
          `Codex loads ${projectConfig} only when the project is trusted. ` +
            `Add these lines to ${userConfig} (or run again with --trust):\n\n${trustLines(input.projectDir).join("\n")}\n`,
        );
      }
    }
    return notes;
  },
  confirmation(input: ConfigureInput): string | undefined {
    if (input.remove) return undefined;
    return `${CODEX_SANDBOX_WARNING}\n` +
      "With these servers Codex can act on your RunOS account: the write servers can create, change and delete services, apps and credentials.";
  },
};
