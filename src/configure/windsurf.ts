/**
 * Windsurf: `~/.codeium/windsurf/mcp_config.json` (global only), root `mcpServers`. Windsurf uses at
 * most 100 tools across all servers: its toolCap lets run.ts count the runos servers' tools and
 * refuse to go past it without --force.
 */
import { joinPath } from "./locations.ts";
import { serverMapFile, type ServerMapFormat, serverNamesIn } from "./server_map.ts";
import { bearerHeader, tokenEnvNotes } from "./servers.ts";
import type { ClientWriter, ConfigureInput, PlannedFile } from "./writer.ts";

/** Windsurf's limit on tools across every enabled server. */
export const WINDSURF_TOOL_CAP = 100;

const format: ServerMapFormat = {
  mapPath: ["mcpServers"],
  comments: false,
  keepKeys: ["env"],
  dropKeys: { stdio: ["serverUrl", "url", "headers", "type"], http: ["command", "args", "env", "url", "type"] },
  mergeKeys: ["headers"],
  entry: (server) =>
    server.transport === "http"
      ? { serverUrl: server.url, headers: bearerHeader(server, "${env:VAR}") }
      : { command: server.command, args: [...server.args], env: {} },
};

/** The Windsurf writer. */
export const windsurfWriter: ClientWriter = {
  id: "windsurf",
  displayName: "Windsurf",
  scopes: ["user"],
  toolCap: { limit: WINDSURF_TOOL_CAP, serversIn: (text) => serverNamesIn(text, format) },
  plan(input: ConfigureInput): PlannedFile[] {
    return [serverMapFile(joinPath(input.env, input.env.home, ".codeium", "windsurf", "mcp_config.json"), format, input)];
  },
  // The tool count against the cap is said (and enforced) by run.ts, for every client with a toolCap.
  notes: (input) =>
    input.remove ? [] : [
      "Windsurf does not document whether Cascade asks before an MCP tool call: check that a runos-write call asks before you rely on it (or configure fewer servers with --tiers read).",
      ...tokenEnvNotes("Windsurf", input, "${env:VAR}"),
    ],
};
