/**
 * Roo Code: `.roo/mcp.json` with the four servers. The read server's `alwaysAllow` lists its tool
 * names (decided by policy from the catalog, plus read-only built-ins); the others allow nothing of
 * runos's making. Entries the user added to any `alwaysAllow` are kept on a re-run.
 */
import { joinPath } from "./locations.ts";
import { serverMapFile, type ServerMapFormat } from "./server_map.ts";
import { bearerHeader, readServerToolNames, tokenEnvNotes } from "./servers.ts";
import type { ClientWriter, ConfigureInput, PlannedFile } from "./writer.ts";

const format: ServerMapFormat = {
  mapPath: ["mcpServers"],
  comments: false,
  // The user's own env, and their choice to disable a server in Roo's UI, are theirs to keep.
  keepKeys: ["env", "disabled"],
  // Tools the user allowed in Roo's UI stay allowed; the read server's read tools are added.
  unionKeys: ["alwaysAllow"],
  // Roo infers stdio from `command`; a remote entry says its `type`.
  dropKeys: { stdio: ["type", "url", "headers"], http: ["command", "args", "env", "cwd"] },
  mergeKeys: ["headers"],
  entry: (server, input) => ({
    ...(server.transport === "http"
      ? { type: "streamable-http", url: server.url, headers: bearerHeader(server, "${env:VAR}") }
      : { command: server.command, args: [...server.args], env: {} }),
    alwaysAllow: server.tier === "read" ? readServerToolNames(input.operations, input.tools) : [],
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
    const notes = [
      "Roo Code honours alwaysAllow only when its global \"Always approve MCP\" setting (alwaysAllowMcp) and its Auto-approve switch (autoApprovalEnabled) are both on; " +
        "otherwise it asks for every tool. Only the read server's tools are in alwaysAllow; never add \"*\" there.",
    ];
    notes.push(...tokenEnvNotes("Roo Code", input, "${env:VAR}"));
    if (input.servers.some((server) => server.tier === "read")) {
      notes.push("alwaysAllow holds exact tool names: after `runos manifest update` brings new read tools, run this command again to allow them (entries you added are kept).");
    }
    return notes;
  },
};
