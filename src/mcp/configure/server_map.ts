/**
 * The common shape of most clients' files: a JSON object holding a map of server name → entry
 * (`mcpServers`, `servers`, `mcp`). Adds or refreshes runos's entries, or takes them out, and
 * leaves every other server alone.
 */
import { type JsonDocument, JsonDocument as Doc, type JsonObject, mergeEntry } from "./json_file.ts";
import type { ServerEntry } from "./servers.ts";
import type { ConfigureInput, PlannedFile } from "./writer.ts";

/** How one client spells a server map file. */
export interface ServerMapFormat {
  /** Key path of the map, e.g. `["mcpServers"]`. */
  readonly mapPath: readonly string[];
  /** The client accepts JSONC. */
  readonly comments: boolean;
  /** Our entry for one server. */
  entry(server: ServerEntry, input: ConfigureInput): JsonObject;
  /** Keys whose existing value the user owns once set (e.g. `env`). */
  readonly keepKeys?: readonly string[];
  /** List keys whose existing items the user owns: ours are added, theirs kept (e.g. Roo's `alwaysAllow`). */
  readonly unionKeys?: readonly string[];
  /** Members a brand-new file starts with, e.g. opencode's `$schema`. */
  readonly newFile?: JsonObject;
}

/** Put runos's entries into (or, with `remove`, take them out of) a parsed document. */
export function updateServerMap(doc: JsonDocument, format: ServerMapFormat, input: ConfigureInput): void {
  for (const server of input.servers) {
    const path = [...format.mapPath, server.name];
    if (input.remove) doc.delete(path);
    else doc.set(path, mergeEntry(doc.get(path), format.entry(server, input), format.keepKeys, format.unionKeys));
  }
}

/** A planned edit of one server-map file at `path`. */
export function serverMapFile(path: string, format: ServerMapFormat, input: ConfigureInput): PlannedFile {
  return {
    path,
    update(current) {
      if (current === undefined && input.remove) return undefined;
      const doc = Doc.open(current, { path, comments: format.comments });
      if (current === undefined) for (const [key, value] of Object.entries(format.newFile ?? {})) doc.set([key], value);
      updateServerMap(doc, format, input);
      return current !== undefined && doc.text() === current ? current : doc.text();
    },
  };
}
