/**
 * Names derived from a catalog command path: the MCP tool name and the CLI verb path.
 * `services/valkey/{id}/show` → tool `services_valkey_show`, verb `runos services valkey show <id>`.
 */

/**
 * Longest tool name we emit. Claude Code rejects `mcp__<server>__<tool>` past 64 characters, and the
 * longest server name, `runos-sensitive-write`, takes 28 of them (`mcp__runos-sensitive-write__`).
 */
export const MAX_TOOL_NAME_LENGTH = 36;

/** Characters kept from a too-long name before the hash suffix (29 + `_` + 6 hex = 36). */
const SHORTENED_PREFIX_LENGTH = MAX_TOOL_NAME_LENGTH - 7;

/** The path segments of a command that are not `{placeholders}`. */
export function verbPath(commandPath: string): string[] {
  return commandPath.split("/").filter((segment) => !isPlaceholder(segment));
}

/** Names of the `{placeholders}` in a command path, in order. */
export function placeholders(commandPath: string): string[] {
  return commandPath.split("/").filter(isPlaceholder).map((segment) => segment.slice(1, -1));
}

function isPlaceholder(segment: string): boolean {
  return segment.startsWith("{") && segment.endsWith("}");
}

/**
 * The tool name for a command path: placeholders dropped, `/` → `_`, hyphens kept, so that permission
 * rules written for RunOS's own servers (`mcp__runos__clusters_list`) keep working. A name longer than
 * {@link MAX_TOOL_NAME_LENGTH} keeps its first 29 characters and ends in `_` plus the first 6 hex digits
 * of the FNV-1a hash of the full name: stable across runs and catalog versions.
 */
export function toolName(commandPath: string): string {
  const full = verbPath(commandPath).join("_");
  return full.length <= MAX_TOOL_NAME_LENGTH ? full : shortenToolName(full);
}

/** The documented shortening of an over-long tool name. */
export function shortenToolName(full: string): string {
  const prefix = full.slice(0, SHORTENED_PREFIX_LENGTH).replace(/[_-]+$/, "");
  return `${prefix}_${fnv1a(full).slice(0, 6)}`;
}

/** 32-bit FNV-1a of a string's UTF-16 code units, as 8 lower-case hex digits. */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** camelCase field name → kebab-case CLI flag name: `publicRead` → `public-read`. */
export function flagName(fieldName: string): string {
  return fieldName.replace(/([a-z0-9])([A-Z])/g, "$1-$2").replace(/[._]/g, "-").toLowerCase();
}
