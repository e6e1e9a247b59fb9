/**
 * Claude Desktop: one global `claude_desktop_config.json` per machine (macOS Application Support,
 * Windows %APPDATA%, Linux ~/.config), root `mcpServers`, stdio entries only.
 */
import { claudeDesktopConfigPath } from "./locations.ts";
import { serverMapFile, type ServerMapFormat } from "./server_map.ts";
import type { ClientWriter, ConfigureInput, PlannedFile } from "./writer.ts";

const format: ServerMapFormat = {
  mapPath: ["mcpServers"],
  comments: false,
  keepKeys: ["env"],
  dropKeys: { stdio: ["type", "url", "headers"], http: [] },
  // run.ts refuses --url for a client without `remote`: this file holds stdio servers only.
  entry: (server) => (server.transport === "stdio" ? { command: server.command, args: [...server.args], env: {} } : {}),
};

/** The Claude Desktop writer. */
export const claudeDesktopWriter: ClientWriter = {
  id: "claude-desktop",
  displayName: "Claude Desktop",
  scopes: ["user"],
  stdioOnly: {
    reason: "its config file holds stdio servers only (remote servers are added in the app, as Connectors)",
    hint: "add the URL in Claude Desktop under Settings → Connectors, or drop --url to configure the servers it starts itself",
  },
  plan(input: ConfigureInput): PlannedFile[] {
    return [serverMapFile(claudeDesktopConfigPath(input.env), format, input)];
  },
  notes(input: ConfigureInput): string[] {
    return input.remove ? [] : [
      "Restart Claude Desktop to load the servers; it asks before each tool call, and offers \"Always allow\" only for tools marked read-only: runos marks only the read server's so.",
    ];
  },
};
