/**
 * TOML config files edited as text, table by table, so the user's other tables, comments and layout
 * survive (re-serializing a TOML file drops its comments). The result is always re-parsed with
 * smol-toml by the caller to check it holds what was meant.
 */
import { parse } from "smol-toml";
import { ConfigFileError } from "../errors.ts";

/** A parsed TOML document. */
export type TomlTable = Record<string, unknown>;

/** Parse TOML text (undefined or blank → empty); throws ConfigFileError naming the file and the error. */
export function parseTomlFile(path: string, text: string | undefined): TomlTable {
  if (text === undefined || text.trim() === "") return {};
  try {
    return parse(text) as TomlTable;
  } catch (error) {
    const first = error instanceof Error ? error.message.split("\n")[0]!.replace(/^Invalid TOML document: /, "") : String(error);
    const { line, column } = error as { line?: unknown; column?: unknown };
    const reason = typeof line === "number" && typeof column === "number" ? `line ${line}, column ${column}: ${first}` : first;
    throw new ConfigFileError(path, `${path} is not valid TOML: ${reason}`, {
      hint: `fix the syntax error in ${path} (it was left unchanged), then run the command again`,
      cause: error,
    });
  }
}

/** Quote a string as a TOML basic string (also valid as a quoted key). */
export function tomlString(value: string): string {
  return JSON.stringify(value).replace(/\u007f/g, "\\u007F");
}

/** A key as written in a table header: bare when it can be, quoted otherwise. */
export function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

/** The lines of a text, without the empty one after a final newline. */
export function splitLines(text: string): string[] {
  const lines = text === "" ? [] : text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** One `[table]` of the file: its key path and its line range (header included, trailing blank lines and comments excluded). */
export interface TableSection {
  readonly path: readonly string[];
  readonly start: number;
  /** Exclusive end line of the table's own content. */
  readonly end: number;
  /** An array-of-tables header (`[[…]]`). */
  readonly array: boolean;
}

const HEADER = /^\s*(\[\[?)\s*(.+?)\s*\]\]?\s*(#.*)?$/;

/** Split text into lines and find every table header (skipping multi-line strings). */
export function tableSections(lines: readonly string[]): TableSection[] {
  const headers: { path: string[]; line: number; array: boolean }[] = [];
  let inMultiline: string | undefined;
  lines.forEach((line, index) => {
    if (inMultiline === undefined) {
      const match = HEADER.exec(line);
      const path = match ? parseDottedKey(match[2]!) : undefined;
      if (match && path) headers.push({ path, line: index, array: match[1] === "[[" });
    }
    for (const delimiter of ['"""', "'''"]) {
      const count = line.split(delimiter).length - 1;
      if (count % 2 === 1 && (inMultiline === undefined || inMultiline === delimiter)) {
        inMultiline = inMultiline === undefined ? delimiter : undefined;
      }
    }
  });
  return headers.map((header, i) => {
    const limit = i + 1 < headers.length ? headers[i + 1]!.line : lines.length;
    let end = limit;
    while (end > header.line + 1 && /^\s*(#.*)?$/.test(lines[end - 1]!)) end--;
    return { path: header.path, start: header.line, end, array: header.array };
  });
}

/** Parse `a."b c".d` into its parts; undefined when it is not a plain dotted key. */
export function parseDottedKey(text: string): string[] | undefined {
  const parts: string[] = [];
  const pattern = /\s*(?:([A-Za-z0-9_-]+)|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(\.|$)/y;
  let pos = 0;
  while (pos < text.length) {
    pattern.lastIndex = pos;
    const match = pattern.exec(text);
    if (!match) return undefined;
    if (match[1] !== undefined) parts.push(match[1]);
    else if (match[2] !== undefined) parts.push(JSON.parse(`"${match[2]}"`) as string);
    else parts.push(match[3]!);
    pos = pattern.lastIndex;
    if (match[4] === "") break;
  }
  return parts.length > 0 ? parts : undefined;
}

/** A key statement inside a table body: `key = value` plus its continuation lines. */
export interface KeyStatement {
  readonly key: string;
  readonly lines: string[];
}

/** Split a table body into its key statements (comments and blank lines between them are dropped). */
export function keyStatements(body: readonly string[]): KeyStatement[] {
  const statements: KeyStatement[] = [];
  for (const line of body) {
    const match = /^\s*([A-Za-z0-9_-]+|"[^"]*"|'[^']*')\s*(\.|=)/.exec(line);
    if (match) statements.push({ key: match[1]!.replace(/^["']|["']$/g, ""), lines: [line] });
    else if (!/^\s*(#.*)?$/.test(line) && statements.length > 0) statements[statements.length - 1]!.lines.push(line);
  }
  return statements;
}

/**
 * Replace the tables `isOwned` picks with `block` (lines), put where the first of them was, or
 * appended after a blank line when there was none. Everything else keeps its bytes.
 */
export function replaceTables(text: string, isOwned: (section: TableSection) => boolean, block: readonly string[]): string {
  const newline = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = splitLines(text);
  const owned = tableSections(lines).filter(isOwned);
  if (owned.length === 0) {
    if (block.length === 0) return text;
    const head = lines.length > 0 && lines[lines.length - 1]!.trim() !== "" ? [...lines, ""] : lines;
    return [...head, ...block].join(newline) + newline;
  }
  const result: string[] = lines.slice(0, owned[0]!.start);
  result.push(...block);
  let cursor = owned[0]!.end;
  for (const section of owned.slice(1)) {
    // Between two replaced tables only the user's comments are worth keeping.
    result.push(...lines.slice(cursor, section.start).filter((line) => line.trim() !== ""));
    cursor = section.end;
  }
  const rest = lines.slice(cursor);
  if (block.length > 0 && rest.length > 0 && rest[0]!.trim() !== "") result.push("");
  while (rest.length > 0 && rest[0]!.trim() === "" && (result.length === 0 || result[result.length - 1]!.trim() === "")) rest.shift();
  result.push(...rest);
  while (block.length === 0 && result.length > 0 && result[result.length - 1]!.trim() === "") result.pop();
  return result.length === 0 ? "" : result.join(newline) + newline;
}
