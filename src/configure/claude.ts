/**
 * Claude Code: `.mcp.json` (servers) and `.claude/settings.json` (the `mcp__runos__*` allow rule) in
 * the project, exactly as the seed shows; or, for the user scope, the top-level `mcpServers` of
 * `~/.claude.json` and `~/.claude/settings.json`. Only the read server is auto-allowed: the rule's
 * `__` after the server name keeps it from matching `runos-write` and the others.
 */
import { ConfigFileError } from "../errors.ts";
import { isObject, JsonDocument } from "./json_file.ts";
import { joinPath } from "./locations.ts";
import { hasJsoncExtras } from "./json_text.ts";
import { serverMapFile, type ServerMapFormat } from "./server_map.ts";
import { bearerHeader, listNames, tokenEnvNotes } from "./servers.ts";
import { type ClientWriter, type ConfigureInput, DELETE_FILE, type DeleteFile, type PlannedFile } from "./writer.ts";

/** The permission rule that auto-allows every tool of the read server, and nothing else. */
export const READ_SERVER_RULE = "mcp__runos__*";

const format: ServerMapFormat = {
  mapPath: ["mcpServers"],
  comments: false,
  keepKeys: ["env"],
  dropKeys: { stdio: ["url", "headers"], http: ["command", "args", "env", "cwd"] },
  mergeKeys: ["headers"],
  // Claude Code expands `${VAR}` in `url` and `headers`.
  entry: (server) =>
    server.transport === "http"
      ? { type: "http", url: server.url, headers: bearerHeader(server, "${VAR}") }
      : { type: "stdio", command: server.command, args: [...server.args], env: {} },
};

/** Add `mcp__runos__*` to `permissions.allow` once (or take it out), keeping every other rule. */
export function updateClaudeSettings(path: string, current: string | undefined, input: ConfigureInput): string | undefined | DeleteFile {
  const readSelected = input.servers.some((server) => server.tier === "read");
  if (!readSelected) return current;
  if (current === undefined && input.remove) return undefined;
  const doc = JsonDocument.open(current, { path, comments: false });
  const allow = doc.get(["permissions", "allow"]);
  if (allow !== undefined && !Array.isArray(allow)) {
    throw new ConfigFileError(path, `${path}: "permissions.allow" should be a list of rules`, {
      hint: `make "permissions.allow" a JSON array in ${path} (it was left unchanged), then run the command again`,
    });
  }
  const rules: unknown[] = allow ?? [];
  if (input.remove) {
    if (!rules.includes(READ_SERVER_RULE)) return current;
    doc.set(["permissions", "allow"], rules.filter((rule) => rule !== READ_SERVER_RULE));
    // Nothing left but the empty `permissions.allow` runos had made: no empty shell stays behind.
    const left = JSON.parse(doc.text()) as Record<string, unknown>;
    const permissions = left.permissions;
    const emptyShell = Object.keys(left).length === 1 && isObject(permissions) &&
      Object.keys(permissions).every((key) => key === "allow") && Array.isArray(permissions.allow) && permissions.allow.length === 0;
    if (emptyShell && !hasJsoncExtras(doc.text())) return DELETE_FILE;
  } else if (!rules.includes(READ_SERVER_RULE)) {
    doc.set(["permissions", "allow"], [...rules, READ_SERVER_RULE]);
  }
  return current !== undefined && doc.text() === current ? current : doc.text();
}

/**
 * Where the servers' credentials come from: the stored login (stdio), or a variable the header names
 * (URL). Only the project's `.mcp.json` is meant to be committed; the user scope writes none.
 */
function tokenNote(input: ConfigureInput): string {
  if (!input.servers.some((server) => server.transport === "http")) {
    const sandbox = input.servers.every((server) => server.transport === "stdio" && server.args.includes("--sandbox"));
    const stored = sandbox
      ? "No token is written: \"env\" stays {} and the servers run against the sandbox, which needs no login."
      : "No token is written: \"env\" stays {} and each server uses your stored login (`runos login`).";
    return input.scope === "project" ? `${stored} Never put a token in .mcp.json; it is meant to be committed.` : stored;
  }
  return tokenEnvNotes("Claude Code", input, "${VAR}")[0]!;
}

/** The Claude Code writer. */
export const claudeWriter: ClientWriter = {
  id: "claude",
  displayName: "Claude Code",
  scopes: ["project", "user"],
  plan(input: ConfigureInput): PlannedFile[] {
    const user = input.scope === "user";
    const serversPath = user ? joinPath(input.env, input.env.home, ".claude.json") : joinPath(input.env, input.projectDir, ".mcp.json");
    const settingsPath = joinPath(input.env, user ? input.env.home : input.projectDir, ".claude", "settings.json");
    const files = [serverMapFile(serversPath, format, input)];
    // The allow rule is the read server's: without the read tier, settings.json is not involved.
    if (input.servers.some((server) => server.tier === "read")) {
      files.push({ path: settingsPath, update: (current) => updateClaudeSettings(settingsPath, current, input) });
    }
    return files;
  },
  notes(input: ConfigureInput): string[] {
    if (input.remove) return [];
    const others = input.servers.filter((server) => server.tier !== "read").map((server) => server.name);
    const prompting = others.length === 0 ? "" : `${listNames(others)} ${others.length === 1 ? "prompts" : "prompt"} before each call`;
    const notes = [
      input.servers.some((server) => server.tier === "read")
        ? `Only the read server's tools (${READ_SERVER_RULE}) run without asking${prompting === "" ? "." : `; ${prompting}.`}`
        : `Nothing is pre-approved: ${prompting}.`,
      tokenNote(input),
    ];
    if (input.scope === "project") {
      notes.unshift(
        "Claude Code asks once to trust this folder and to approve the project's MCP servers from .mcp.json: accept both when it starts (or check `/mcp`); " +
          "until the folder is trusted it ignores the allow rule in .claude/settings.json and asks before every tool.",
      );
    }
    return notes;
  },
};
