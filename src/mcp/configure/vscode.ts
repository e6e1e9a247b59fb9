/**
 * VS Code (GitHub Copilot): `.vscode/mcp.json`, root `servers`, entries `{"type": "stdio", …}`, or
 * `{"type": "http", "url", "headers"}` for a server reached by URL. The token of a URL server is an
 * `inputs` entry (`promptString`, `password: true`): VS Code asks for it once and keeps it in the
 * OS secret store, so it never sits in the file. The file is JSONC: comments and trailing commas are
 * kept as they are.
 */
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
  transportKeys: { stdio: ["command", "args", "env", "envFile", "cwd"], http: ["url", "headers"] },
  mergeKeys: ["headers"],
  entry: (server) =>
    server.transport === "http"
      ? { type: "http", url: server.url, headers: { Authorization: `Bearer \${input:${tokenInputId(server)}}` } }
      : { type: "stdio", command: server.command, args: [...server.args] },
  finish: updateTokenInputs,
};

/**
 * Add the `inputs` entry each URL server's header names (once), and take out a runos input no server
 * refers to any more; the user's other inputs stay in their order.
 */
function updateTokenInputs(doc: JsonDocument, input: ConfigureInput): void {
  const current = doc.get(["inputs"]);
  const inputs: unknown[] = Array.isArray(current) ? [...current] : [];
  const text = JSON.stringify(doc.get(["servers"]) ?? {});
  const ours = new Set(input.servers.flatMap((server) => (server.transport === "http" ? [tokenInputId(server)] : [])));
  const kept = inputs.filter((item) => {
    const id = isObject(item) && typeof item.id === "string" ? item.id : undefined;
    return id === undefined || !isTokenInput(id) || ours.has(id) || text.includes(`\${input:${id}}`);
  });
  for (const id of ours) {
    if (kept.some((item) => isObject(item) && item.id === id)) continue;
    kept.push({ type: "promptString", id, description: "Bearer token of the runos MCP server (printed by `runos mcp serve <tier> --http`)", password: true });
  }
  if (kept.length === inputs.length && kept.every((item, i) => item === inputs[i])) return;
  if (kept.length === 0) doc.delete(["inputs"]);
  else doc.set(["inputs"], kept);
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
    const notes = ["VS Code asks to trust each server the first time it starts; start them from .vscode/mcp.json or the MCP view."];
    const remote = input.servers.find((server): server is HttpServerEntry => server.transport === "http");
    if (remote !== undefined) {
      notes.push(`No token is written: VS Code asks for it once (input "${tokenInputId(remote)}") and keeps it in your OS secret store.`);
    }
    return notes;
  },
};
