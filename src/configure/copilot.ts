/**
 * GitHub Copilot CLI: `~/.copilot/mcp-config.json` (`$COPILOT_HOME`), root `mcpServers`, entries `{"type": "local", "command", "args", "env",
 * "tools": ["*"]}` (`tools` chooses which tools the model sees, not which run unasked). Approval lives
 * apart, in `permissions-config.json` beside the user file: per location (the absolute path of a
 * project, its Git root for a repository), `tool_approvals` items; `{"kind": "mcp", "serverName":
 * "runos", "toolName": null}` approves every tool of the read server there, and nothing else is
 * approved, so Copilot asks before each call to the other servers. The user file only: the project
 * files Copilot documents (`.mcp.json` is Claude Code's; `.github/mcp.json`) are not offered, as the
 * installed CLI (1.0.102) did not list `.github/mcp.json`'s servers even in a trusted folder.
 */
import { ConfigFileError } from "../errors.ts";
import { isObject, type JsonObject, JsonDocument } from "./json_file.ts";
import { hasJsoncExtras } from "./json_text.ts";
import { copilotHome, joinPath } from "./locations.ts";
import { serverMapFile, type ServerMapFormat, withoutEmptyPath } from "./server_map.ts";
import { listNames } from "./servers.ts";
import { type ClientWriter, type ConfigureInput, DELETE_FILE, type DeleteFile, type PlannedFile } from "./writer.ts";

const format: ServerMapFormat = {
  mapPath: ["mcpServers"],
  comments: false,
  // The user's env, and the tools they chose to show the model, are theirs to keep.
  keepKeys: ["env", "tools"],
  dropKeys: { stdio: ["url", "headers"], http: [] },
  // run.ts refuses --url for Copilot (stdioOnly): only command entries are written.
  entry: (server) => (server.transport === "stdio" ? { type: "local", command: server.command, args: [...server.args], env: {}, tools: ["*"] } : {}),
};

/** The approval item that lets every tool of the read server run without asking. */
export const READ_SERVER_APPROVAL: JsonObject = { kind: "mcp", serverName: "runos", toolName: null };

const isReadApproval = (item: unknown) =>
  isObject(item) && item.kind === READ_SERVER_APPROVAL.kind && item.serverName === READ_SERVER_APPROVAL.serverName && item.toolName === null;

/** `permissions-config.json` beside the user config. */
function permissionsPath(input: ConfigureInput): string {
  return joinPath(input.env, copilotHome(input.env), "permissions-config.json");
}

/**
 * Add the read server's approval to `locations[<project>].tool_approvals` once (or, with `remove`,
 * take it out), keeping every other location and approval.
 */
export function updateCopilotPermissions(path: string, current: string | undefined, input: ConfigureInput): string | undefined | DeleteFile {
  if (current === undefined && input.remove) return undefined;
  const doc = JsonDocument.open(current, { path, comments: false });
  const location = ["locations", input.projectDir];
  const approvalsPath = [...location, "tool_approvals"];
  const approvals = doc.get(approvalsPath);
  if (approvals !== undefined && !Array.isArray(approvals)) {
    throw new ConfigFileError(path, `${path}: "tool_approvals" of ${input.projectDir} should be a list`, {
      hint: `fix "locations" in ${path} (it was left unchanged), then run the command again`,
    });
  }
  const items: unknown[] = approvals ?? [];
  if (input.remove) {
    if (!items.some(isReadApproval)) return current;
    const left = items.filter((item) => !isReadApproval(item));
    if (left.length > 0) doc.set(approvalsPath, left);
    else doc.delete(approvalsPath);
    const rest = doc.get(location);
    if (isObject(rest) && Object.keys(rest).length === 0) doc.delete(location);
    const remaining = withoutEmptyPath(JSON.parse(doc.text()) as JsonObject, ["locations"]);
    if (Object.keys(remaining).length === 0 && !hasJsoncExtras(doc.text())) return DELETE_FILE;
  } else if (!items.some(isReadApproval)) {
    // Appended: the approvals already there keep their formatting.
    if (approvals === undefined) doc.set(approvalsPath, [READ_SERVER_APPROVAL]);
    else doc.append(approvalsPath, READ_SERVER_APPROVAL);
  }
  return current !== undefined && doc.text() === current ? current : doc.text();
}

/** The GitHub Copilot CLI writer. */
export const copilotWriter: ClientWriter = {
  id: "copilot",
  displayName: "GitHub Copilot CLI",
  scopes: ["user"],
  // The read server's approval is saved for the project directory (`--dir`, default the current one).
  userScopeUsesDir: true,
  stdioOnly: {
    reason: "it expands environment variables only in a server's env, so a URL server's token would have to be written into its headers",
    hint: "drop --url to configure the servers Copilot starts itself (they use your stored login)",
  },
  plan(input: ConfigureInput): PlannedFile[] {
    const files = [serverMapFile(joinPath(input.env, copilotHome(input.env), "mcp-config.json"), format, input)];
    // The approval is the read server's: without the read tier, permissions-config.json is not involved.
    if (input.servers.some((server) => server.tier === "read")) {
      const path = permissionsPath(input);
      files.push({ path, update: (current) => updateCopilotPermissions(path, current, input) });
    }
    return files;
  },
  notes(input: ConfigureInput): string[] {
    if (input.remove) return [];
    const others = input.servers.filter((server) => server.tier !== "read").map((server) => server.name);
    const asks = others.length === 0 ? "" : `; Copilot asks before each call to ${listNames(others)}`;
    const notes = input.servers.some((server) => server.tier === "read")
      ? [
        `Only the read server's tools run without asking, in ${input.projectDir} (its approval in ${permissionsPath(input)})${asks}. ` +
        "Copilot applies it where it runs at that path (in a Git repository, at its root); --allow-all-tools or --yolo approve everything.",
      ]
      : [`Nothing is pre-approved${asks}.`];
    if (input.servers.some((server) => server.tier === "read")) {
      notes.push("Restart running Copilot sessions: they read permissions-config.json when they start, and write their own approvals over it.");
    }
    return notes;
  },
};
