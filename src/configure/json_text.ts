/**
 * Surgical edits of JSON and JSONC text: set or delete one member of a nested object, append or delete
 * one item of an array member, and leave every other byte alone (comments, key order, formatting, numbers too big for a double). The text must
 * already have been parsed successfully (json_file.ts does that first).
 */
import { findJsonSyntaxError } from "../json_syntax.ts";

/** One `"key": value` member of an object, with offsets into the text. */
interface Member {
  readonly key: string;
  readonly keyStart: number;
  readonly valueStart: number;
  readonly valueEnd: number;
  /** Offset just after the comma following the value, when there is one. */
  readonly commaEnd?: number;
}

/** An object's braces and members. */
interface ObjectSpan {
  readonly open: number;
  readonly close: number;
  readonly members: Member[];
}

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
  let span = rootObject(text);
  for (let depth = 0; depth < path.length; depth++) {
    const member = findMember(span, path[depth]!);
    if (member === undefined) {
      let nested: unknown = value;
      for (let j = path.length - 1; j > depth; j--) nested = { [path[j]!]: nested };
      return insertMember(text, span, path[depth]!, nested, unit);
    }
    if (depth === path.length - 1) {
      const formatted = formatJson(value, lineIndent(text, member.keyStart), unit);
      return text.slice(0, member.valueStart) + formatted + text.slice(member.valueEnd);
    }
    if (text[member.valueStart] !== "{") return undefined;
    span = scanObject(text, member.valueStart);
  }
  return text;
}

/** Delete the member at `path`; the text is returned unchanged when it is not there. */
export function deleteMemberText(text: string, path: readonly string[]): string {
  let span = rootObject(text);
  for (let depth = 0; depth < path.length - 1; depth++) {
    const member = findMember(span, path[depth]!);
    if (member === undefined || text[member.valueStart] !== "{") return text;
    span = scanObject(text, member.valueStart);
  }
  const index = span.members.findLastIndex((member) => member.key === path[path.length - 1]);
  if (index < 0) return text;
  const member = span.members[index]!;
  let start = member.keyStart;
  const lineStart = text.lastIndexOf("\n", start - 1);
  if (/^[ \t]*$/.test(text.slice(lineStart + 1, start))) start = Math.max(lineStart, span.open + 1);
  let result: string;
  if (member.commaEnd !== undefined) {
    result = text.slice(0, start) + text.slice(member.commaEnd);
  } else {
    const previous = span.members[index - 1];
    result = text.slice(0, start) + text.slice(member.valueEnd);
    if (previous?.commaEnd !== undefined) result = result.slice(0, previous.commaEnd - 1) + result.slice(previous.commaEnd);
  }
  const shrunk = scanObject(result, span.open);
  if (/^\s*$/.test(result.slice(shrunk.open + 1, shrunk.close))) {
    result = result.slice(0, shrunk.open + 1) + result.slice(shrunk.close);
  }
  return result;
}

/** One item of an array, with offsets into the text. */
interface Item {
  readonly start: number;
  readonly end: number;
  readonly commaEnd?: number;
}

/** The array that is the value at `path`, or undefined when there is none. */
function arrayAt(text: string, path: readonly string[]): { open: number; close: number; items: Item[] } | undefined {
  let span = rootObject(text);
  for (let depth = 0; depth < path.length; depth++) {
    const member = findMember(span, path[depth]!);
    if (member === undefined) return undefined;
    if (depth === path.length - 1) return text[member.valueStart] === "[" ? scanArray(text, member.valueStart) : undefined;
    if (text[member.valueStart] !== "{") return undefined;
    span = scanObject(text, member.valueStart);
  }
  return undefined;
}

function scanArray(text: string, open: number): { open: number; close: number; items: Item[] } {
  const items: Item[] = [];
  let pos = skipTrivia(text, open + 1);
  while (pos < text.length && text[pos] !== "]") {
    const start = pos;
    const end = valueEndAt(text, start);
    pos = skipTrivia(text, end);
    let commaEnd: number | undefined;
    if (text[pos] === ",") {
      commaEnd = pos + 1;
      pos = skipTrivia(text, pos + 1);
    }
    items.push({ start, end, commaEnd });
  }
  return { open, close: pos, items };
}

/**
 * Append `value` to the array at `path`, on a line of its own after the last item; the other items,
 * and comments between them, stay as they are. Undefined when no array is there.
 */
export function appendItemText(text: string, path: readonly string[], value: unknown): string | undefined {
  const array = arrayAt(text, path);
  if (array === undefined) return undefined;
  const unit = detectIndent(text);
  const first = array.items[0];
  const closeIndent = lineIndent(text, array.open);
  const indent = first !== undefined && text.lastIndexOf("\n", first.start) > array.open ? lineIndent(text, first.start) : closeIndent + unit;
  const tail = `\n${indent}${formatJson(value, indent, unit)}\n${closeIndent}${text.slice(array.close)}`;
  const last = array.items[array.items.length - 1];
  if (last === undefined) return text.slice(0, array.close).trimEnd() + tail;
  const comma = last.commaEnd === undefined ? "," : "";
  return text.slice(0, last.end) + comma + text.slice(last.end, array.close).trimEnd() + tail;
}

/** Delete item `index` of the array at `path` (and its line, when it had one to itself). */
export function deleteItemText(text: string, path: readonly string[], index: number): string {
  const array = arrayAt(text, path);
  const item = array?.items[index];
  if (array === undefined || item === undefined) return text;
  let start = item.start;
  const lineStart = text.lastIndexOf("\n", start - 1);
  if (lineStart > array.open && /^[ \t]*$/.test(text.slice(lineStart + 1, start))) start = lineStart;
  if (item.commaEnd !== undefined) return text.slice(0, start) + text.slice(item.commaEnd);
  const previous = array.items[index - 1];
  let result = text.slice(0, start) + text.slice(item.end);
  if (previous?.commaEnd !== undefined) result = result.slice(0, previous.commaEnd - 1) + result.slice(previous.commaEnd);
  return result;
}

function insertMember(text: string, span: ObjectSpan, key: string, value: unknown, unit: string): string {
  const closeIndent = lineIndent(text, span.open);
  const memberIndent = closeIndent + unit;
  const memberText = `${JSON.stringify(key)}: ${formatJson(value, memberIndent, unit)}`;
  const tail = `\n${memberIndent}${memberText}\n${closeIndent}${text.slice(span.close)}`;
  const last = span.members[span.members.length - 1];
  if (last === undefined) return text.slice(0, span.close).trimEnd() + tail;
  const comma = last.commaEnd === undefined ? "," : "";
  return text.slice(0, last.valueEnd) + comma + text.slice(last.valueEnd, span.close).trimEnd() + tail;
}

function rootObject(text: string): ObjectSpan {
  return scanObject(text, skipTrivia(text, 0));
}

function findMember(span: ObjectSpan, key: string): Member | undefined {
  return span.members.findLast((member) => member.key === key);
}

function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))![0];
}

function scanObject(text: string, open: number): ObjectSpan {
  const members: Member[] = [];
  let pos = skipTrivia(text, open + 1);
  while (pos < text.length && text[pos] !== "}") {
    const keyStart = pos;
    const keyEnd = stringEnd(text, pos);
    const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
    const valueStart = skipTrivia(text, skipTrivia(text, keyEnd) + 1);
    const valueEnd = valueEndAt(text, valueStart);
    pos = skipTrivia(text, valueEnd);
    let commaEnd: number | undefined;
    if (text[pos] === ",") {
      commaEnd = pos + 1;
      pos = skipTrivia(text, pos + 1);
    }
    members.push({ key, keyStart, valueStart, valueEnd, commaEnd });
  }
  return { open, close: pos, members };
}

function valueEndAt(text: string, start: number): number {
  const first = text[start];
  if (first === '"') return stringEnd(text, start);
  if (first !== "{" && first !== "[") {
    let pos = start;
    while (pos < text.length && !/[\s,}\]/]/.test(text[pos]!)) pos++;
    return pos;
  }
  let depth = 0;
  let pos = start;
  while (pos < text.length) {
    const char = text[pos]!;
    if (char === '"') {
      pos = stringEnd(text, pos);
      continue;
    }
    if (char === "/" && (text[pos + 1] === "/" || text[pos + 1] === "*")) {
      pos = commentEnd(text, pos);
      continue;
    }
    if (char === "{" || char === "[") depth++;
    if (char === "}" || char === "]") {
      depth--;
      if (depth === 0) return pos + 1;
    }
    pos++;
  }
  return pos;
}

function stringEnd(text: string, start: number): number {
  let pos = start + 1;
  while (pos < text.length && text[pos] !== '"') pos += text[pos] === "\\" ? 2 : 1;
  return pos + 1;
}

function commentEnd(text: string, start: number): number {
  if (text[start + 1] === "/") {
    const newline = text.indexOf("\n", start);
    return newline < 0 ? text.length : newline;
  }
  const close = text.indexOf("*/", start + 2);
  return close < 0 ? text.length : close + 2;
}

function skipTrivia(text: string, start: number): number {
  let pos = start;
  while (pos < text.length) {
    const char = text[pos]!;
    if (char === " " || char === "\t" || char === "\n" || char === "\r" || char === "\uFEFF") pos++;
    else if (char === "/" && (text[pos + 1] === "/" || text[pos + 1] === "*")) pos = commentEnd(text, pos);
    else break;
  }
  return pos;
}
