/**
 * A client's JSON (or JSONC) config file as a document: parsed once (an unparsable file is refused
 * with its path and the parser's words), read by key path, and edited member by member so that the
 * user's other keys, their order, formatting and comments survive.
 */
import { isDeepStrictEqual } from "node:util";
import { ConfigFileError } from "../errors.ts";
import { describeJsonSyntaxError, type JsonSyntaxError, readJson } from "../json_syntax.ts";
import { appendItemText, deleteItemText, deleteMemberText, setMemberText } from "./json_text.ts";

/** How a client reads its file. */
export interface JsonFileOptions {
  /** Absolute path, for messages. */
  readonly path: string;
  /** The client accepts comments and trailing commas (JSONC). */
  readonly comments: boolean;
}

/** A plain JSON object. */
export type JsonObject = Record<string, unknown>;

/** An editable JSON document; a missing file starts as `{}`. */
export class JsonDocument {
  #text: string;
  #value: JsonObject;
  readonly #path: string;

  private constructor(path: string, text: string, value: JsonObject) {
    this.#path = path;
    this.#text = text;
    this.#value = value;
  }

  /** Parse `text` (undefined: the file does not exist); throws ConfigFileError when it cannot be parsed. */
  static open(text: string | undefined, options: JsonFileOptions): JsonDocument {
    if (text === undefined || text.trim() === "") return new JsonDocument(options.path, "{}\n", {});
    const { value, error } = readJson(text, options);
    if (error !== undefined) throw syntaxError(text, error, options);
    if (!isObject(value)) {
      throw new ConfigFileError(options.path, `${options.path} must hold a JSON object at the top level`, {
        hint: `make ${options.path} an object ({ … }) or move it aside, then run the command again`,
      });
    }
    return new JsonDocument(options.path, text, value);
  }

  /** The file's absolute path, for messages. */
  get path(): string {
    return this.#path;
  }

  /** The value at `path`, or undefined. */
  get(path: readonly string[]): unknown {
    let node: unknown = this.#value;
    for (const key of path) {
      if (!isObject(node) || !Object.hasOwn(node, key)) return undefined;
      node = node[key];
    }
    return node;
  }

  /** Set the value at `path`; nothing changes when it is already equal. */
  set(path: readonly string[], value: unknown): void {
    if (isDeepStrictEqual(this.get(path), value)) return;
    for (let depth = 1; depth < path.length; depth++) {
      const parent = this.get(path.slice(0, depth));
      if (parent !== undefined && !isObject(parent)) {
        throw new ConfigFileError(this.#path, `${this.#path}: "${path.slice(0, depth).join(".")}" should be an object`, {
          hint: `fix "${path.slice(0, depth).join(".")}" in ${this.#path} (it was left unchanged), then run the command again`,
        });
      }
    }
    const edited = setMemberText(this.#text, path, value);
    if (edited === undefined) {
      throw new ConfigFileError(this.#path, `${this.#path}: could not edit "${path.join(".")}"`, { hint: `add it by hand to ${this.#path}` });
    }
    this.#commit(edited);
  }

  /** Append `value` to the array at `path` without rewriting the items already there (nor their comments). */
  append(path: readonly string[], value: unknown): void {
    const edited = appendItemText(this.#text, path, value);
    if (edited === undefined) {
      throw new ConfigFileError(this.#path, `${this.#path}: "${path.join(".")}" should be a list`, {
        hint: `fix "${path.join(".")}" in ${this.#path} (it was left unchanged), then run the command again`,
      });
    }
    this.#commit(edited);
  }

  /** Remove item `index` of the array at `path` when present. */
  deleteItem(path: readonly string[], index: number): void {
    this.#commit(deleteItemText(this.#text, path, index));
  }

  /** Remove the member at `path` when present. */
  delete(path: readonly string[]): void {
    const parent = this.get(path.slice(0, -1));
    if (!isObject(parent) || !Object.hasOwn(parent, path[path.length - 1]!)) return;
    this.#commit(deleteMemberText(this.#text, path));
  }

  /** The document's text, ending with a newline once edited. */
  text(): string {
    return this.#text;
  }

  #commit(edited: string): void {
    const text = edited.endsWith("\n") ? edited : `${edited}\n`;
    const { value, error } = readJson(text, { comments: true });
    if (error !== undefined) {
      throw new ConfigFileError(this.#path, `${this.#path}: runos's edit would have broken it (${describeJsonSyntaxError(error)})`, {
        hint: `${this.#path} was left unchanged; add runos's entry by hand, or move the file aside and run the command again`,
      });
    }
    this.#value = value as JsonObject;
    this.#text = text;
  }
}

/**
 * Why a file could not be read: comments or trailing commas in the file of a client that reads plain
 * JSON, or a syntax error, with its line and column.
 */
function syntaxError(text: string, where: JsonSyntaxError, options: JsonFileOptions): ConfigFileError {
  const { path } = options;
  if (!options.comments && readJson(text, { comments: true }).error === undefined) {
    return new ConfigFileError(path, `${path} is not valid JSON: it contains comments or trailing commas (line ${where.line}, column ${where.column}), which this client does not accept`, {
      hint: `remove the comments and trailing commas from ${path}, then run the command again`,
    });
  }
  return new ConfigFileError(path, `${path} is not valid JSON${options.comments ? "C" : ""}: ${describeJsonSyntaxError(where)}`, {
    hint: `fix the syntax error in ${path} (it was left unchanged), then run the command again`,
  });
}

/** True for a plain object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Our entry merged over the user's: keys the user added to a runos entry (a timeout, disabled tools)
 * stay in place, ours win, `keepKeys` (like `env`) keep the user's value when they set one, and
 * `unionKeys` (lists like Roo's `alwaysAllow`) keep the user's items, in their order, and add ours,
 * and `mergeKeys` (objects like `headers`) keep the user's members and set ours (names compared
 * without case, as HTTP header names are).
 */
export function mergeEntry(
  existing: unknown,
  ours: JsonObject,
  keepKeys: readonly string[] = [],
  unionKeys: readonly string[] = [],
  mergeKeys: readonly string[] = [],
): JsonObject {
  if (!isObject(existing)) return ours;
  const merged: JsonObject = { ...existing, ...ours };
  for (const key of mergeKeys) {
    const theirs = existing[key];
    const mine = ours[key];
    // Member names compare without case (they are HTTP header names): ours replaces an `authorization` too.
    if (isObject(theirs) && isObject(mine)) {
      const names = Object.keys(mine).map((name) => name.toLowerCase());
      merged[key] = { ...Object.fromEntries(Object.entries(theirs).filter(([name]) => !names.includes(name.toLowerCase()))), ...mine };
    }
  }
  for (const key of keepKeys) if (Object.hasOwn(existing, key)) merged[key] = existing[key];
  for (const key of unionKeys) {
    const theirs = existing[key];
    const mine = ours[key];
    if (!Array.isArray(theirs) || !Array.isArray(mine)) continue;
    merged[key] = [...theirs, ...mine.filter((item) => !theirs.some((other) => isDeepStrictEqual(other, item)))];
  }
  return merged;
}
