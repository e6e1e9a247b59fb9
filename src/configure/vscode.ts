/**
 * VS Code (GitHub Copilot): `.vscode/mcp.json`, root `servers`, entries `{"type": "stdio", …}`, or
 * `{"type": "http", "url", "headers"}` for a server reached by URL. The token of a URL server is an
 * `inputs` entry (`promptString`, `password: true`): VS Code asks for it once and keeps it in the
 * OS secret store, so it never sits in the file. The file is JSONC: comments and trailing commas are
 * kept as they are.
 */
import { ConfigFileError } from "../errors.ts";
import { isObject, type JsonDocument } from "./json_file.ts";
import { joinPath } from "./locations.ts";
import { serverMapFile, type ServerMapFormat } from "./server_map.ts";
import { DEFAULT_TOKEN_ENV, type HttpServerEntry } from "./servers.ts";
import type { ClientWriter, ConfigureInput, PlannedFile } from "./writer.ts";

/** The `inputs` id of a URL server's token: one per token variable (`--token-env`), so servers sharing a token share the prompt. */
export function tokenInputId(server: Pick<HttpServerEntry, "tokenEnv">): string {
  return server.tokenEnv === DEFAULT_TOKEN_ENV ? TOKEN_INPUT : `${TOKEN_INPUT}-${server.tokenEnv.toLowerCase().replace(/_/g, "-")}`;
}

const TOKEN_INPUT = "runos-mcp-token";
const isTokenInput = (id: string) => id === TOKEN_INPUT || id.startsWith(`${TOKEN_INPUT}-`);

const format: ServerMapFormat = {
  mapPath: ["servers"],
  comments: true,
  dropKeys: { stdio: ["url", "headers"], http: ["command", "args", "env", "envFile", "cwd"] },
  mergeKeys: ["headers"],
  entry: (server) =>
    server.transport === "http"
      ? { type: "http", url: server.url, headers: { Authorization: `Bearer \${input:${tokenInputId(server)}}` } }
      : { type: "stdio", command: server.command, args: [...server.args] },
  finish: updateTokenInputs,
};

/**
 * Add the `inputs` entry each URL server's header names (once), and take out a runos input no server
 * refers to any more; the user's other inputs stay as they are, item by item, comments included.
 */
function updateTokenInputs(doc: JsonDocument, input: ConfigureInput): void {
  const current = doc.get(["inputs"]);
  if (current !== undefined && !Array.isArray(current)) {
    throw new ConfigFileError(doc.path, `${doc.path}: "inputs" should be a list`, { hint: `fix "inputs" in ${doc.path} (it was left unchanged), then run the command again` });
  }
  const servers = JSON.stringify(doc.get(["servers"]) ?? {});
  const ours = new Set(input.servers.flatMap((server) => (server.transport === "http" ? [tokenInputId(server)] : [])));
  const idOf = (item: unknown) => (isObject(item) && typeof item.id === "string" ? item.id : undefined);
  const items = current ?? [];
  // Last first, so the indexes still to visit stay where they are.
  let removed = false;
  for (let index = items.length - 1; index >= 0; index--) {
    const id = idOf(items[index]);
    if (id === undefined || !isTokenInput(id) || ours.has(id) || servers.includes(`\${input:${id}}`)) continue;
    doc.deleteItem(["inputs"], index);
    removed = true;
  }
  for (const id of ours) {
    if (items.some((item) => idOf(item) === id)) continue;
    const entry = { type: "promptString", id, description: "Bearer token of the runos MCP server (printed by `runos mcp serve <tier> --http`)", password: true };
    if (doc.get(["inputs"]) === undefined) doc.set(["inputs"], [entry]);
    else doc.append(["inputs"], entry);
  }
  const left = doc.get(["inputs"]);
  if (removed && Array.isArray(left) && left.length === 0) doc.delete(["inputs"]);
}

/** The VS Code writer. */
export const vscodeWriter: ClientWriter = {
  id: "vscode",
  displayName: "VS Code (GitHub Copilot)",
  scopes: ["project"],
  plan(input: ConfigureInput): PlannedFile[] {
    return [serverMapFile(joinPath(input.env, input.projectDir, ".vscode", "mcp.json"), format, input)];
  },
  notes(input: ConfigureInput): string[] {
    if (input.remove) return [];
    const notes = [
      "VS Code asks to trust each server the first time it starts; start them from .vscode/mcp.json or the MCP view.",
      "VS Code runs tools marked read-only without asking: only the read server's are (runos marks every tool of the other three servers as not read-only, " +
      "so each call shows a Run card). Keep the chat's permission level on Default, and choose \"Always Allow\" only for the runos server.",
    ];
    const remote = input.servers.find((server): server is HttpServerEntry => server.transport === "http");
    if (remote !== undefined) {
      notes.push(`No token is written: VS Code asks for it once (input "${tokenInputId(remote)}") and keeps it in your OS secret store.`);
    }
    return notes;
  },
};
