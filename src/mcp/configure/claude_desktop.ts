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
  entry: (server) => ({ command: server.command, args: [...server.args], env: {} }),
};

/** The Claude Desktop writer. */
export const claudeDesktopWriter: ClientWriter = {
  id: "claude-desktop",
  displayName: "Claude Desktop",
  scopes: ["user"],
  plan(input: ConfigureInput): PlannedFile[] {
    return [serverMapFile(claudeDesktopConfigPath(input.env), format, input)];
  },
  notes(input: ConfigureInput): string[] {
    return input.remove ? [] : ["Restart Claude Desktop to load the servers; it asks before each tool call."];
  },
};
