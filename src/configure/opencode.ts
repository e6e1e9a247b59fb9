/**
 * opencode: `opencode.json` in the project (or `~/.config/opencode/opencode.json`), root `mcp`,
 * entries `{"type": "local", "command": [argv…], "environment": {}, "enabled": true}`, plus the
 * `permission` rules that make every server but the read one ask (opencode_permission.ts). A new
 * file starts with opencode's `$schema`; JSONC comments in an existing one are kept.
 */
import { joinPath, xdgConfigHome } from "./locations.ts";
import { serverMapFile, type ServerMapFormat } from "./server_map.ts";
import { askRulesNotes, updateOpencodePermission } from "./opencode_permission.ts";
import { bearerHeader, tokenEnvNotes } from "./servers.ts";
import type { ClientWriter, ConfigureInput, PlannedFile } from "./writer.ts";

/** The schema URL a new opencode.json declares. */
export const OPENCODE_SCHEMA = "https://opencode.ai/config.json";

/** opencode's `mcp` entries and `permission` rules (Kilo Code, an opencode fork, writes the same with its own `$schema`). */
export const OPENCODE_FORMAT: ServerMapFormat = {
  mapPath: ["mcp"],
  comments: true,
  keepKeys: ["environment"],
  newFile: { $schema: OPENCODE_SCHEMA },
  dropKeys: { stdio: ["url", "headers"], http: ["command", "environment"] },
  mergeKeys: ["headers"],
  entry: (server) =>
    server.transport === "http"
      ? { type: "remote", url: server.url, headers: bearerHeader(server, "{env:VAR}"), enabled: true }
      : { type: "local", command: [server.command, ...server.args], environment: {}, enabled: true },
  finish: updateOpencodePermission,
};

/** The opencode writer. */
export const opencodeWriter: ClientWriter = {
  id: "opencode",
  displayName: "opencode",
  scopes: ["project", "user"],
  plan(input: ConfigureInput): PlannedFile[] {
    const path = input.scope === "user"
      ? joinPath(input.env, xdgConfigHome(input.env), "opencode", "opencode.json")
      : joinPath(input.env, input.projectDir, "opencode.json");
    return [serverMapFile(path, OPENCODE_FORMAT, input)];
  },
  notes(input: ConfigureInput): string[] {
    if (input.remove) return [];
    const rules = askRulesNotes(input, "`opencode run` rejects such a call; `--auto` (or auto-approve in the TUI) approves it.");
    return ["Restart opencode to load the servers.", ...rules, ...tokenEnvNotes("opencode", input, "{env:VAR}")];
  },
};
