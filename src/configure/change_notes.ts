/**
 * Say what a run changed in runos entries that were already in a client's files, so a replaced
 * command or argument list never goes unmentioned.
 */
import { isDeepStrictEqual } from "node:util";
import type { Tier } from "../policy/tier.ts";
import type { FileChange } from "./apply.ts";
import { readJson } from "../json_syntax.ts";
import { isObject } from "./json_file.ts";
import { listNames, type ServerEntry } from "./servers.ts";
import { parseTomlFile } from "./toml_file.ts";

/**
 * What changed in runos entries that were already there: `Updated the existing runos entry in
 * .mcp.json: command /old/runos → /usr/local/bin/runos`, so a replaced entry never goes unmentioned.
 * Servers that changed alike (their tier aside) share one line.
 */
export function replacementNotes(changes: readonly FileChange[], servers: readonly ServerEntry[]): string[] {
  const notes: string[] = [];
  for (const change of changes) {
    if (!change.changed || change.before === undefined || change.after === undefined) continue;
    const before = parseConfigText(change.path, change.before);
    const after = parseConfigText(change.path, change.after);
    if (before === undefined || after === undefined) continue;
    const alike = new Map<string, string[]>();
    for (const server of servers) {
      const old = findEntry(before, server.name);
      const now = findEntry(after, server.name);
      if (old === undefined || now === undefined) continue;
      const show = (value: unknown) => brief(value, server.tier);
      const differences = [
        ...Object.keys(now).filter((key) => !isDeepStrictEqual(old[key], now[key])).map((key) =>
          Object.hasOwn(old, key) ? `${key} ${show(old[key])} → ${show(now[key])}` : `${key} ${show(now[key])} added`
        ),
        // A server switched between a command and a URL loses the other form's keys: say so.
        ...Object.keys(old).filter((key) => !Object.hasOwn(now, key)).map((key) => `${key} removed`),
      ];
      if (differences.length === 0) continue;
      const key = differences.join("; ");
      alike.set(key, [...(alike.get(key) ?? []), server.name]);
    }
    for (const [differences, names] of alike) {
      const entries = names.length === 1 ? `${names[0]} entry` : `${listNames(names)} entries`;
      notes.push(`Updated the existing ${entries} in ${change.path}: ${differences}.`);
    }
  }
  return notes;
}

/** A client config's text parsed (JSON, JSONC or TOML by extension), or undefined. */
function parseConfigText(path: string, text: string): Record<string, unknown> | undefined {
  try {
    const value = path.endsWith(".toml") ? parseTomlFile(path, text) : readJson(text, { comments: true }).value;
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Keys only a server entry has: its command (stdio) or its URL (each client's spelling). */
const ENTRY_KEYS = ["command", "args", "url", "httpUrl", "serverUrl"];

/** The server entry called `name` in a parsed config: an object under that key holding a command or a URL. */
function findEntry(value: Record<string, unknown>, name: string, depth = 0): Record<string, unknown> | undefined {
  const own = value[name];
  if (isObject(own) && ENTRY_KEYS.some((key) => key in own)) return own;
  if (depth >= 3) return undefined;
  for (const child of Object.values(value)) {
    if (!isObject(child)) continue;
    const found = findEntry(child, name, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A value for a change note: argument lists as command lines, the server's tier as `<tier>`. */
function brief(value: unknown, tier: Tier): string {
  const text = Array.isArray(value) && value.every((item) => typeof item === "string")
    ? `\`${value.map((item) => (item === tier ? "<tier>" : shellWord(item))).join(" ")}\``
    : typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/** A word as a shell would need it quoted. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
