/**
 * Qwen Code (a Gemini CLI fork): `.qwen/settings.json` (or `~/.qwen/settings.json`), root
 * `mcpServers`, entries shaped as Gemini CLI's. The read server is `trust: true`, so its tools run
 * without asking. `trust: false` alone does not make the others ask: Qwen's default approval mode
 * ("auto") lets a model-run classifier allow a call (the real client ran runos-write's add and delete
 * so), so each of the other servers also gets a `permissions.ask` rule (`mcp__<server>`), which asks
 * whatever the mode.
 */
import { ConfigFileError } from "../errors.ts";
import { GEMINI_SETTINGS_FORMAT } from "./gemini.ts";
import type { JsonDocument } from "./json_file.ts";
import { joinPath } from "./locations.ts";
import { serverMapFile, type ServerMapFormat } from "./server_map.ts";
import { listNames, tokenEnvNotes } from "./servers.ts";
import type { ClientWriter, ConfigureInput, PlannedFile } from "./writer.ts";

/** Qwen Code's permission rule for every tool of one server. */
export function qwenServerRule(server: string): string {
  return `mcp__${server}`;
}

/** Add (or, with `remove`, take out) the `permissions.ask` rules of the servers besides the read one, keeping the user's rules. */
function updateAskRules(doc: JsonDocument, input: ConfigureInput): void {
  const rules = input.servers.filter((server) => server.tier !== "read").map((server) => qwenServerRule(server.name));
  if (rules.length === 0) return;
  const current = doc.get(["permissions", "ask"]);
  if (current !== undefined && !Array.isArray(current)) {
    throw new ConfigFileError(doc.path, `${doc.path}: "permissions.ask" should be a list of rules`, {
      hint: `make "permissions.ask" a JSON array in ${doc.path} (it was left unchanged), then run the command again`,
    });
  }
  const theirs: unknown[] = current ?? [];
  if (input.remove) {
    if (!theirs.some((rule) => rules.includes(rule as string))) return;
    const left = theirs.filter((rule) => !rules.includes(rule as string));
    if (left.length > 0) doc.set(["permissions", "ask"], left);
    else {
      doc.delete(["permissions", "ask"]);
      const permissions = doc.get(["permissions"]);
      if (permissions !== null && typeof permissions === "object" && Object.keys(permissions).length === 0) doc.delete(["permissions"]);
    }
    return;
  }
  const missing = rules.filter((rule) => !theirs.includes(rule));
  if (missing.length > 0) doc.set(["permissions", "ask"], [...theirs, ...missing]);
}

const format: ServerMapFormat = { ...GEMINI_SETTINGS_FORMAT, finish: updateAskRules };

/** The Qwen Code writer. */
export const qwenWriter: ClientWriter = {
  id: "qwen",
  displayName: "Qwen Code",
  scopes: ["project", "user"],
  plan(input: ConfigureInput): PlannedFile[] {
    const root = input.scope === "user" ? input.env.home : input.projectDir;
    return [serverMapFile(joinPath(input.env, root, ".qwen", "settings.json"), format, input)];
  },
  notes(input: ConfigureInput): string[] {
    if (input.remove) return [];
    const others = input.servers.filter((server) => server.tier !== "read").map((server) => server.name);
    const read = input.servers.some((server) => server.tier === "read");
    const notes = [
      read
        ? `Only the read server (runos) is trusted${
          others.length === 0 ? "" : `; Qwen Code asks before every call to ${listNames(others)} (permissions.ask: ${listNames(others.map(qwenServerRule))}, which hold in its default "auto" approval mode too)`
        }. ` +
          "It honours trust only in a trusted folder (when its folder trust is on); elsewhere it asks for the read server's tools too."
        : `Qwen Code asks before every call to ${listNames(others)} (permissions.ask: ${listNames(others.map(qwenServerRule))}); none of them is trusted.`,
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
