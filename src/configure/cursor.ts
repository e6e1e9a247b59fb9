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
      "Enable the runos servers under Settings → MCP. Whether Cursor asks before a call depends on its Run Mode: under Auto-review (the default since 3.6) " +
        "a classifier may run any MCP tool without asking, runos-write's included; choose Allowlist (Settings → Agents) and allowlist only the read server's tools (runos) so that the others ask.",
      ...tokenEnvNotes("Cursor", input, "${env:VAR}"),
    ];
  },
};
