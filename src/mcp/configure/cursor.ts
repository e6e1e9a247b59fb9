/** Cursor: `.cursor/mcp.json` in the project, or `~/.cursor/mcp.json`; root `mcpServers`, stdio entries. */
import { joinPath } from "./locations.ts";
import { serverMapFile, type ServerMapFormat } from "./server_map.ts";
import { bearerHeader, tokenEnvNotes } from "./servers.ts";
import type { ClientWriter, ConfigureInput, PlannedFile } from "./writer.ts";

const format: ServerMapFormat = {
  mapPath: ["mcpServers"],
  // Cursor reports comments and trailing commas in mcp.json as errors: refuse such a file rather than guess.
  comments: false,
  keepKeys: ["env"],
  dropKeys: { stdio: ["type", "url", "headers"], http: ["type", "command", "args", "env", "envFile"] },
  mergeKeys: ["headers"],
  entry: (server) =>
    server.transport === "http"
      ? { url: server.url, headers: bearerHeader(server, "${env:VAR}") }
      : { command: server.command, args: [...server.args], env: {} },
};

/** The Cursor writer. */
export const cursorWriter: ClientWriter = {
  id: "cursor",
  displayName: "Cursor",
  scopes: ["project", "user"],
  plan(input: ConfigureInput): PlannedFile[] {
    const root = input.scope === "user" ? input.env.home : input.projectDir;
    return [serverMapFile(joinPath(input.env, root, ".cursor", "mcp.json"), format, input)];
  },
  notes(input: ConfigureInput): string[] {
    if (input.remove) return [];
    return [
      "Cursor asks before each tool call unless you allow tools in its settings; enable the runos servers under Settings → MCP.",
      ...tokenEnvNotes("Cursor", input, "${env:VAR}"),
    ];
  },
};
