/**
 * Crush: `crush.json` in the project (or `~/.config/crush/crush.json`), root `mcp`, entries
 * `{"type": "stdio", "command", "args", "env"}` or `{"type": "http", "url", "headers"}`, and the
 * read server's tools in `permissions.allowed_tools`. Crush names an MCP tool `mcp_<server>_<tool>`
 * and skips its prompt only for an exact name in that list, so runos lists the read server's read
 * tools by name (decided by policy from the catalog): nothing of the other servers is listed.
 * Crush reads this file as plain JSON (no comments); its newer `crushrc` is not touched.
 */
import { ConfigFileError } from "../errors.ts";
import type { JsonDocument } from "./json_file.ts";
import { joinPath, xdgConfigHome } from "./locations.ts";
import { serverMapFile, type ServerMapFormat } from "./server_map.ts";
import { bearerHeader, listNames, readServerToolNames, tokenEnvNotes } from "./servers.ts";
import type { ClientWriter, ConfigureInput, PlannedFile } from "./writer.ts";

/** The schema URL a new crush.json declares. */
export const CRUSH_SCHEMA = "https://charm.land/crush.json";

/** The name Crush gives a tool of an MCP server, the one `allowed_tools` matches. */
export function crushToolName(server: string, tool: string): string {
  return `mcp_${server}_${tool}`;
}

const ALLOWED = ["permissions", "allowed_tools"];

const format: ServerMapFormat = {
  mapPath: ["mcp"],
  comments: false,
  keepKeys: ["env", "disabled"],
  newFile: { $schema: CRUSH_SCHEMA },
  dropKeys: { stdio: ["url", "headers"], http: ["command", "args", "env"] },
  mergeKeys: ["headers"],
  // Crush expands `$VAR` and `${VAR}` in headers when it starts the server.
  entry: (server) =>
    server.transport === "http"
      ? { type: "http", url: server.url, headers: bearerHeader(server, "${VAR}") }
      : { type: "stdio", command: server.command, args: [...server.args], env: {} },
  finish: updateAllowedTools,
};

/**
 * Add the read server's tools to `permissions.allowed_tools` once each (or, with `remove`, take out
 * exactly those), keeping the user's entries and their order.
 */
function updateAllowedTools(doc: JsonDocument, input: ConfigureInput): void {
  const read = input.servers.find((server) => server.tier === "read");
  if (read === undefined) return;
  const current = doc.get(ALLOWED);
  if (current !== undefined && !Array.isArray(current)) {
    throw new ConfigFileError(doc.path, `${doc.path}: "permissions.allowed_tools" should be a list of tool names`, {
      hint: `make "permissions.allowed_tools" a JSON array in ${doc.path} (it was left unchanged), then run the command again`,
    });
  }
  const ours = readServerToolNames(input.operations, input.tools).map((tool) => crushToolName(read.name, tool));
  const items: unknown[] = current ?? [];
  if (input.remove) {
    if (!items.some((item) => ours.includes(item as string))) return;
    const left = items.filter((item) => !ours.includes(item as string));
    if (left.length > 0) doc.set(ALLOWED, left);
    else {
      doc.delete(ALLOWED);
      const permissions = doc.get(["permissions"]);
      if (permissions !== null && typeof permissions === "object" && Object.keys(permissions).length === 0) doc.delete(["permissions"]);
    }
    return;
  }
  const missing = ours.filter((name) => !items.includes(name));
  if (missing.length > 0) doc.set(ALLOWED, [...items, ...missing]);
}

/** The Crush writer. */
export const crushWriter: ClientWriter = {
  id: "crush",
  displayName: "Crush",
  scopes: ["project", "user"],
  plan(input: ConfigureInput): PlannedFile[] {
    const path = input.scope === "user"
      ? joinPath(input.env, xdgConfigHome(input.env), "crush", "crush.json")
      : joinPath(input.env, input.projectDir, "crush.json");
    return [serverMapFile(path, format, input)];
  },
  notes(input: ConfigureInput): string[] {
    if (input.remove) return [];
    const others = input.servers.filter((server) => server.tier !== "read").map((server) => server.name);
    const notes: string[] = [];
    if (input.servers.some((server) => server.tier === "read")) {
      notes.push(
        `Only the read server's tools are in permissions.allowed_tools (as mcp_runos_<tool>)${others.length === 0 ? "" : `; Crush asks before every call to ${listNames(others)}`}, ` +
          "unless it runs with --yolo. The list holds exact names: after `runos manifest update` brings new read tools, run this command again (entries you added are kept).",
      );
    } else {
      notes.push(`Nothing is pre-approved: Crush asks before every call to ${listNames(others)} (unless it runs with --yolo).`);
    }
    notes.push("Crush runs a project's crush.json as trusted code: restart it in this folder to load the servers.");
    return [...notes, ...tokenEnvNotes("Crush", input, "${VAR}")];
  },
};
