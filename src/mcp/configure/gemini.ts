/**
 * Gemini CLI: `.gemini/settings.json` (or `~/.gemini/settings.json`), root `mcpServers`. The file
 * holds every Gemini setting, so only runos's entries are touched. The read server is `trust: true`
 * (its tools only read), the others `false` so Gemini confirms each call.
 */
import { joinPath } from "./locations.ts";
import { serverMapFile, type ServerMapFormat } from "./server_map.ts";
import type { ClientWriter, ConfigureInput, PlannedFile } from "./writer.ts";

const format: ServerMapFormat = {
  mapPath: ["mcpServers"],
  comments: true,
  keepKeys: ["env"],
  entry: (server) => ({ command: server.command, args: [...server.args], env: {}, trust: server.tier === "read" }),
};

/** The Gemini CLI writer. */
export const geminiWriter: ClientWriter = {
  id: "gemini",
  displayName: "Gemini CLI",
  scopes: ["project", "user"],
  plan(input: ConfigureInput): PlannedFile[] {
    const root = input.scope === "user" ? input.env.home : input.projectDir;
    return [serverMapFile(joinPath(input.env, root, ".gemini", "settings.json"), format, input)];
  },
  notes(input: ConfigureInput): string[] {
    return input.remove ? [] : ["Only the read server (runos) is trusted; Gemini CLI confirms every call to the other servers."];
  },
};
