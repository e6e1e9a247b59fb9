/**
 * The common shape of most clients' files: a JSON object holding a map of server name → entry
 * (`mcpServers`, `servers`, `mcp`). Adds or refreshes runos's entries, or takes them out, and
 * leaves every other server alone.
 */
import { isDeepStrictEqual } from "node:util";
import { isObject, type JsonDocument, JsonDocument as Doc, type JsonObject, mergeEntry } from "./json_file.ts";
import { hasJsoncExtras } from "./json_text.ts";
import type { ServerEntry } from "./servers.ts";
import { type ConfigureInput, DELETE_FILE, type PlannedFile } from "./writer.ts";

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
  /**
   * The keys an existing entry loses when runos writes it in one form: the other form's keys, and
   * spellings of this form runos does not write (Windsurf's `url` beside `serverUrl`, a stale `type`),
   * so a server switched from a command to a URL (or back) is never half of each.
   */
  readonly dropKeys: { readonly stdio: readonly string[]; readonly http: readonly string[] };
  /** Object keys merged member by member, ours over theirs (e.g. `headers`: the user's other headers stay). */
  readonly mergeKeys?: readonly string[];
  /** A further edit of the whole document after the entries (VS Code's `inputs`). */
  finish?(doc: JsonDocument, input: ConfigureInput): void;
}

/** Put runos's entries into (or, with `remove`, take them out of) a parsed document. */
export function updateServerMap(doc: JsonDocument, format: ServerMapFormat, input: ConfigureInput): void {
  for (const server of input.servers) {
    const path = [...format.mapPath, server.name];
    if (input.remove) doc.delete(path);
    else doc.set(path, mergeEntry(withoutOtherTransport(doc.get(path), format, server), format.entry(server, input), format.keepKeys, format.unionKeys, format.mergeKeys));
  }
  format.finish?.(doc, input);
}

/** An existing entry without the keys the form of `server` drops (see {@link ServerMapFormat.dropKeys}). */
function withoutOtherTransport(existing: unknown, format: ServerMapFormat, server: ServerEntry): unknown {
  if (!isObject(existing)) return existing;
  const dropped = format.dropKeys[server.transport];
  // A user's own `"type": "stdio"` on a command entry says nothing wrong: it stays.
  return Object.fromEntries(Object.entries(existing).filter(([key, value]) => !dropped.includes(key) || (key === "type" && server.transport === "stdio" && value === "stdio")));
}

/** A planned edit of one server-map file at `path`; a removal that leaves only an empty shell deletes the file. */
export function serverMapFile(path: string, format: ServerMapFormat, input: ConfigureInput): PlannedFile {
  return {
    path,
    update(current) {
      if (current === undefined && input.remove) return undefined;
      const doc = Doc.open(current, { path, comments: format.comments });
      if (current === undefined) for (const [key, value] of Object.entries(format.newFile ?? {})) doc.set([key], value);
      updateServerMap(doc, format, input);
      if (current !== undefined && doc.text() === current) return current;
      if (input.remove && onlyShell(doc, format)) return DELETE_FILE;
      return doc.text();
    },
  };
}

/**
 * Whether a document holds nothing but what runos would have created: the (now empty) server map,
 * the members a new file starts with, and no comments.
 */
function onlyShell(doc: JsonDocument, format: ServerMapFormat): boolean {
  if (hasJsoncExtras(doc.text())) return false;
  const value = JSON.parse(doc.text()) as JsonObject;
  const rest = withoutEmptyPath(value, format.mapPath);
  for (const [key, member] of Object.entries(format.newFile ?? {})) {
    if (isDeepStrictEqual(rest[key], member)) delete rest[key];
  }
  return Object.keys(rest).length === 0;
}

/** `value` without the object at `path` when that object is empty (and without its parents that then are). */
export function withoutEmptyPath(value: JsonObject, path: readonly string[]): JsonObject {
  if (path.length === 0) return value;
  const [head, ...tail] = path as [string, ...string[]];
  const child = value[head];
  if (!isObject(child)) return value;
  const inner = withoutEmptyPath(child, tail);
  const copy: JsonObject = { ...value };
  if (Object.keys(inner).length === 0) delete copy[head];
  else copy[head] = inner;
  return copy;
}

/** The server names in the map of a server-map file's text (none when it does not parse). */
export function serverNamesIn(text: string, format: Pick<ServerMapFormat, "mapPath" | "comments">): string[] {
  try {
    const doc = Doc.open(text, { path: "", comments: format.comments });
    const map = doc.get(format.mapPath);
    return isObject(map) ? Object.keys(map) : [];
  } catch {
    return [];
  }
}
