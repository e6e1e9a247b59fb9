/**
 * Roo Code: `.roo/mcp.json` with the four servers. The read server's `alwaysAllow` lists its tool
 * names (decided by policy from the catalog, plus read-only built-ins); the others allow nothing.
 */
import { joinPath } from "./locations.ts";
import { serverMapFile, type ServerMapFormat } from "./server_map.ts";
import { readServerToolNames } from "./servers.ts";
import type { ClientWriter, ConfigureInput, PlannedFile } from "./writer.ts";

const format: ServerMapFormat = {
  mapPath: ["mcpServers"],
  comments: false,
  // The user's own env, and their choice to disable a server in Roo's UI, are theirs to keep.
  keepKeys: ["env", "disabled"],
  entry: (server, input) => ({
    command: server.command,
    args: [...server.args],
    env: {},
    alwaysAllow: server.tier === "read" ? readServerToolNames(input.operations) : [],
    disabled: false,
  }),
};

/** The Roo Code writer. */
export const rooWriter: ClientWriter = {
  id: "roo",
  displayName: "Roo Code",
  scopes: ["project"],
  plan(input: ConfigureInput): PlannedFile[] {
    return [serverMapFile(joinPath(input.env, input.projectDir, ".roo", "mcp.json"), format, input)];
  },
  notes(input: ConfigureInput): string[] {
    if (input.remove) return [];
    return [
      "Roo Code honours alwaysAllow only when its global \"Always approve MCP\" setting (alwaysAllowMcp) is on; otherwise it asks for every tool.",
      "alwaysAllow holds exact tool names: after `runos manifest update` brings new read tools, run this command again to allow them.",
    ];
  },
};
