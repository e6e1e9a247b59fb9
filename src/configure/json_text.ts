/**
 * runos's edits of JSON and JSONC text: set or delete one member of a nested object, append or delete
 * one item of an array member, and leave every other byte alone (comments, key order, formatting,
 * numbers too big for a double). jsonc-parser finds the members and items; what is written, and where,
 * is ours. jsonc-parser's own `modify` would reformat the object it inserts into and take the comment
 * after a deleted member with it; here new text is laid out the way people write config
 * ({@link formatJson}) in the file's own indentation, and a deletion takes its line and its comma but
 * no comment. The text must already have been read successfully (JsonDocument.open does that first).
 */
import { createScanner, type Node, parseTree } from "jsonc-parser";
import { findJsonSyntaxError } from "../json_syntax.ts";

/** Whether a valid JSONC text holds comments or trailing commas (it is JSONC, not JSON). */
export function hasJsoncExtras(text: string): boolean {
  return findJsonSyntaxError(text) !== undefined;
}

/** The indentation unit the file uses (its first indented line), two spaces by default. */
export function detectIndent(text: string): string {
  const match = /\n([ \t]+)\S/.exec(text);
  return match ? match[1]! : "  ";
}

/**
 * Serialize a value the way people write config: objects one member per line, arrays of scalars on
 * one line when short, `{}` and `[]` when empty. `indent` is the indentation of the line it starts on.
 */
export function formatJson(value: unknown, indent: string, unit: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const scalars = value.every((item) => item === null || typeof item !== "object");
    const inline = `[${value.map((item) => JSON.stringify(item)).join(", ")}]`;
    if (scalars && inline.length <= 100) return inline;
    const inner = indent + unit;
    return `[\n${value.map((item) => inner + formatJson(item, inner, unit)).join(",\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    const inner = indent + unit;
    return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${formatJson(item, inner, unit)}`).join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/**
 * Set `path` (object keys from the root) to `value`: replace the member's value in place when it
 * exists, else insert the missing part as the last member of the deepest existing object.
 * Returns undefined when a non-object stands in the way (the caller reports it).
 */
export function setMemberText(text: string, path: readonly string[], value: unknown): string | undefined {
  const unit = detectIndent(text);
  let object = valueAt(text, []);
  for (let depth = 0; depth < path.length; depth++) {
    if (object?.type !== "object") return undefined;
    const member = lastMember(object, path[depth]!);
    if (member === undefined) {
      let nested: unknown = value;
      for (let j = path.length - 1; j > depth; j--) nested = { [path[j]!]: nested };
      const indent = lineIndent(text, object.offset) + unit;
      return appendLine(text, object, indent, `${JSON.stringify(path[depth])}: ${formatJson(nested, indent, unit)}`);
    }
    object = member.children![1]!;
    if (depth === path.length - 1) {
      return text.slice(0, object.offset) + formatJson(value, lineIndent(text, member.offset), unit) + text.slice(end(object));
    }
  }
  return text;
}

/** Delete the member at `path`, and leave `{}` when it was the last; the text is returned unchanged when it is not there. */
export function deleteMemberText(text: string, path: readonly string[]): string {
  const object = valueAt(text, path.slice(0, -1));
  if (object?.type !== "object") return text;
  const index = object.children!.findLastIndex((member) => member.children![0]!.value === path[path.length - 1]);
  if (index < 0) return text;
  const result = removeChild(text, object, index);
  const open = object.offset + 1;
  const close = end(object) - 1 - (text.length - result.length);
  return /^\s*$/.test(result.slice(open, close)) ? result.slice(0, open) + result.slice(close) : result;
}

/**
 * Append `value` to the array at `path`, on a line of its own after the last item; the other items,
 * and comments between them, stay as they are. Undefined when no array is there.
 */
export function appendItemText(text: string, path: readonly string[], value: unknown): string | undefined {
  const array = valueAt(text, path);
  if (array?.type !== "array") return undefined;
  const unit = detectIndent(text);
  const first = array.children![0];
  const indent = first !== undefined && text.lastIndexOf("\n", first.offset) > array.offset ? lineIndent(text, first.offset) : lineIndent(text, array.offset) + unit;
  return appendLine(text, array, indent, formatJson(value, indent, unit));
}

/** Delete item `index` of the array at `path` (and its line, when it had one to itself). */
export function deleteItemText(text: string, path: readonly string[], index: number): string {
  const array = valueAt(text, path);
  if (array?.type !== "array" || array.children![index] === undefined) return text;
  return removeChild(text, array, index);
}

/** The node of the value at `path` (object keys from the root), or undefined. */
function valueAt(text: string, path: readonly string[]): Node | undefined {
  let node = parseTree(text, [], { allowTrailingComma: true });
  for (const key of path) node = node?.type === "object" ? lastMember(node, key)?.children![1] : undefined;
  return node;
}

/**
 * The member called `key`: the last of that name, the one JSON.parse keeps (jsonc-parser's
 * `findNodeAtLocation` would take the first).
 */
function lastMember(object: Node, key: string): Node | undefined {
  return object.children!.findLast((member) => member.children![0]!.value === key);
}

/** `entry` on a line of its own at `indent`, after the last member or item of `container`. */
function appendLine(text: string, container: Node, indent: string, entry: string): string {
  const close = end(container) - 1;
  const tail = `\n${indent}${entry}\n${lineIndent(text, container.offset)}${text.slice(close)}`;
  const last = container.children![container.children!.length - 1];
  if (last === undefined) return text.slice(0, close).trimEnd() + tail;
  const comma = commaEnd(text, last) === undefined ? "," : "";
  return text.slice(0, end(last)) + comma + text.slice(end(last), close).trimEnd() + tail;
}

/** The text without member or item `index` of `container`: its line too when it had one to itself, and one comma. */
function removeChild(text: string, container: Node, index: number): string {
  const children = container.children!;
  const child = children[index]!;
  let start = child.offset;
  const lineStart = text.lastIndexOf("\n", start - 1);
  if (lineStart > container.offset && /^[ \t]*$/.test(text.slice(lineStart + 1, start))) start = lineStart;
  const comma = commaEnd(text, child);
  if (comma !== undefined) return text.slice(0, start) + text.slice(comma);
  const result = text.slice(0, start) + text.slice(end(child));
  const previous = index > 0 ? commaEnd(text, children[index - 1]!) : undefined;
  return previous === undefined ? result : result.slice(0, previous - 1) + result.slice(previous);
}

/** The offset just after the comma that follows `node` (comments may stand between), if one does. */
function commaEnd(text: string, node: Node): number | undefined {
  const scanner = createScanner(text, true);
  scanner.setPosition(end(node));
  scanner.scan();
  return text[scanner.getTokenOffset()] === "," ? scanner.getTokenOffset() + 1 : undefined;
}

function end(node: Node): number {
  return node.offset + node.length;
}

function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))![0];
}
