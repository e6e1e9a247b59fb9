/**
 * Qwen Code (a Gemini CLI fork): `.qwen/settings.json` (or `~/.qwen/settings.json`), root
 * `mcpServers`, entries shaped as Gemini CLI's. The read server is `trust: true`, so its tools run
 * without asking; the others are `trust: false`, so Qwen Code asks before each call.
 */
import { GEMINI_SETTINGS_FORMAT } from "./gemini.ts";
import { joinPath } from "./locations.ts";
import { serverMapFile } from "./server_map.ts";
import { listNames, tokenEnvNotes } from "./servers.ts";
import type { ClientWriter, ConfigureInput, PlannedFile } from "./writer.ts";

/** The Qwen Code writer. */
export const qwenWriter: ClientWriter = {
  id: "qwen",
  displayName: "Qwen Code",
  scopes: ["project", "user"],
  plan(input: ConfigureInput): PlannedFile[] {
    const root = input.scope === "user" ? input.env.home : input.projectDir;
    return [serverMapFile(joinPath(input.env, root, ".qwen", "settings.json"), GEMINI_SETTINGS_FORMAT, input)];
  },
  notes(input: ConfigureInput): string[] {
    if (input.remove) return [];
    const others = input.servers.filter((server) => server.tier !== "read").map((server) => server.name);
    const read = input.servers.some((server) => server.tier === "read");
    const notes = [
      read
        ? `Only the read server (runos) is trusted${others.length === 0 ? "" : `; Qwen Code asks before every call to ${listNames(others)}`}. ` +
          "It honours trust only in a trusted folder (when its folder trust is on); elsewhere it asks for the read server's tools too."
        : `Qwen Code asks before every call to ${listNames(others)}; none of them is trusted.`,
    ];
    if (input.scope === "project") {
      notes.unshift(
        "Qwen Code loads a project's MCP servers only once you approve them: accept them when it starts, or run `qwen mcp approve <name>` (`qwen mcp list` shows them as pending); " +
          "an approval is bound to the entry as written, so approve again after this command changes one.",
      );
    }
    return [...notes, ...tokenEnvNotes("Qwen Code", input, "${VAR}")];
  },
};
