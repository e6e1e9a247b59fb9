/**
 * VS Code (GitHub Copilot): `.vscode/mcp.json`, root `servers`, entries `{"type": "stdio", …}`.
 * The file is JSONC: comments and trailing commas are kept as they are.
 */
import { joinPath } from "./locations.ts";
import { serverMapFile, type ServerMapFormat } from "./server_map.ts";
import type { ClientWriter, ConfigureInput, PlannedFile } from "./writer.ts";

const format: ServerMapFormat = {
  mapPath: ["servers"],
  comments: true,
  entry: (server) => ({ type: "stdio", command: server.command, args: [...server.args] }),
};

/** The VS Code writer. */
export const vscodeWriter: ClientWriter = {
  id: "vscode",
  displayName: "VS Code (GitHub Copilot)",
  scopes: ["project"],
  plan(input: ConfigureInput): PlannedFile[] {
    return [serverMapFile(joinPath(input.env, input.projectDir, ".vscode", "mcp.json"), format, input)];
  },
  notes(input: ConfigureInput): string[] {
    return input.remove ? [] : ["VS Code asks to trust each server the first time it starts; start them from .vscode/mcp.json or the MCP view."];
  },
};
