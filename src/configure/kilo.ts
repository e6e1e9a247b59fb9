/**
 * Kilo Code's CLI (`@kilocode/cli`, an opencode fork): `kilo.json` in the project (or
 * `~/.config/kilo/kilo.json`), root `mcp`, opencode's entries (`{"type": "local", "command": [argv…],
 * "environment": {}, "enabled": true}`) and opencode's `permission` rules, which make every server
 * but the read one ask (opencode_permission.ts). Kilo's legacy `.kilocode/mcp.json` (Roo's format,
 * `alwaysAllow`) is only read by its migration, which drops `alwaysAllow`, so runos does not write it.
 */
import { joinPath, xdgConfigHome } from "./locations.ts";
import { OPENCODE_FORMAT } from "./opencode.ts";
import { askRulesNotes } from "./opencode_permission.ts";
import { serverMapFile, type ServerMapFormat } from "./server_map.ts";
import { listNames, tokenEnvNotes } from "./servers.ts";
import type { ClientWriter, ConfigureInput, PlannedFile } from "./writer.ts";

/** The schema URL a new kilo.json declares. */
export const KILO_SCHEMA = "https://app.kilo.ai/config.json";

const format: ServerMapFormat = { ...OPENCODE_FORMAT, newFile: { $schema: KILO_SCHEMA } };

/** The Kilo Code CLI writer. */
export const kiloWriter: ClientWriter = {
  id: "kilo",
  displayName: "Kilo Code CLI",
  scopes: ["project", "user"],
  plan(input: ConfigureInput): PlannedFile[] {
    const path = input.scope === "user"
      ? joinPath(input.env, xdgConfigHome(input.env), "kilo", "kilo.json")
      : joinPath(input.env, input.projectDir, "kilo.json");
    return [serverMapFile(path, format, input)];
  },
  notes(input: ConfigureInput): string[] {
    if (input.remove) return [];
    const rules = askRulesNotes(input, "`kilo run` rejects such a call; `kilo run --auto` approves it.");
    const remote = input.servers.some((server) => server.transport === "http")
      ? ["Kilo refuses to load a config that names an unset variable: set the token's variable before starting it."]
      : [];
    return ["Restart Kilo to load the servers (`kilo mcp list` shows them).", ...rules, ...tokenEnvNotes("Kilo", input, "{env:VAR}"), ...remote];
  },
};
