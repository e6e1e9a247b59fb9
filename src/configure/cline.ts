/**
 * Cline: `cline_mcp_settings.json`, root `mcpServers`, Roo-like entries with an `autoApprove` list.
 * The `cline` CLI reads `~/.cline/data/settings/cline_mcp_settings.json`; the VS Code extension reads
 * the file of the same name in its global storage, which it creates when it first starts, so runos
 * updates that one only when it exists. The read server's `autoApprove` lists its read tools by name
 * (the extension honours it); the others list none. The CLI's settings schema has no `autoApprove`:
 * it approves by its own `--auto-approve` switch, which the notes name.
 */
import { joinPath, vscodeGlobalStorage } from "./locations.ts";
import { serverMapFile, type ServerMapFormat } from "./server_map.ts";
import { listNames, readServerToolNames } from "./servers.ts";
import type { ClientWriter, ConfigureInput, PlannedFile } from "./writer.ts";

/** The VS Code extension's id, whose global storage holds its MCP settings. */
export const CLINE_EXTENSION_ID = "saoudrizwan.claude-dev";

const FILE_NAME = "cline_mcp_settings.json";

const format: ServerMapFormat = {
  mapPath: ["mcpServers"],
  comments: false,
  // The user's own env, and their choice to disable a server in Cline's UI, are theirs to keep.
  keepKeys: ["env", "disabled"],
  // Tools the user auto-approved in Cline's UI stay approved; the read server's read tools are added.
  unionKeys: ["autoApprove"],
  dropKeys: { stdio: ["url", "headers", "type", "transportType"], http: [] },
  // run.ts refuses --url for Cline (stdioOnly): only command entries are written.
  entry: (server, input) =>
    server.transport === "stdio"
      ? {
        command: server.command,
        args: [...server.args],
        env: {},
        autoApprove: server.tier === "read" ? readServerToolNames(input.operations, input.tools) : [],
        disabled: false,
      }
      : {},
};

/** The CLI's settings file (`~/.cline/data/settings/`). */
function cliSettingsPath(input: ConfigureInput): string {
  return joinPath(input.env, input.env.home, ".cline", "data", "settings", FILE_NAME);
}

/** The VS Code extension's settings file (in its global storage). */
function extensionSettingsPath(input: ConfigureInput): string {
  return joinPath(input.env, vscodeGlobalStorage(input.env, CLINE_EXTENSION_ID), "settings", FILE_NAME);
}

/** The Cline writer. */
export const clineWriter: ClientWriter = {
  id: "cline",
  displayName: "Cline",
  scopes: ["user"],
  stdioOnly: {
    reason: "its settings file has no way to refer to an environment variable, so the server's token would have to be written into it",
    hint: "drop --url to configure the servers Cline starts itself (they use your stored login)",
  },
  plan(input: ConfigureInput): PlannedFile[] {
    const extension = serverMapFile(extensionSettingsPath(input), format, input);
    return [
      serverMapFile(cliSettingsPath(input), format, input),
      // The extension creates its file on first start; runos does not create it for an extension that may not be installed.
      { path: extension.path, update: (current) => (current === undefined ? undefined : extension.update(current)) },
    ];
  },
  reads: (input) => [extensionSettingsPath(input)],
  confirmation(input: ConfigureInput): string | undefined {
    const asking = input.servers.filter((server) => server.tier !== "read").map((server) => server.name);
    if (input.remove || asking.length === 0) return undefined;
    return `Warning: the \`cline\` CLI approves every tool call by default (--auto-approve is true and it reads no per-tool list), so ${listNames(asking)} ` +
      "would run without asking there: start it with --auto-approve false, or configure only --tiers read. The VS Code extension asks as it should.";
  },
  notes(input: ConfigureInput): string[] {
    if (input.remove) return [];
    const notes = [
      "The `cline` CLI approves every tool by default: start it with `--auto-approve false` so that it asks before each call, the read server's too " +
      "(it has one approval setting for every tool, and without a terminal it then refuses every call; the autoApprove lists are the VS Code extension's).",
    ];
    if (input.existing?.get(extensionSettingsPath(input)) === undefined) {
      notes.push(`The Cline VS Code extension's ${extensionSettingsPath(input)} does not exist yet: start the extension once, then run this command again to add the servers there too.`);
    } else if (input.servers.some((server) => server.tier === "read")) {
      notes.push("In the VS Code extension only the read server's tools are in autoApprove; the other servers ask before each call. autoApprove holds exact names: after `runos manifest update`, run this command again.");
    }
    return notes;
  },
};
