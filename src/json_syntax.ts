/**
 * JSON and JSONC read by jsonc-parser (the parser VS Code reads its settings with), and where a text
 * stops being JSON, in words a person can act on: `line 3, column 1: unexpected "}": a trailing comma
 * is not allowed in JSON`. JSON.parse's own message differs per runtime (V8 gives an offset,
 * JavaScriptCore gives none); this one is the same on Deno and Bun.
 */
import { parse, type ParseError, printParseErrorCode } from "jsonc-parser";

/** The first syntax error of a JSON text. */
export interface JsonSyntaxError {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column (in UTF-16 code units, as editors mostly count). */
  readonly column: number;
  /** What was found there, e.g. `unexpected "}"`, `unterminated string`. */
  readonly message: string;
}

/** How a text is read. */
export interface JsonReadOptions {
  /** Comments and trailing commas are allowed (JSONC). */
  readonly comments?: boolean;
}

/** A text read: its value, or (value undefined) its first syntax error. */
export interface JsonRead {
  readonly value?: unknown;
  readonly error?: JsonSyntaxError;
}

/** Read a JSON text, or a JSONC one with `comments`: a broken text is answered with its first error, not thrown. */
export function readJson(text: string, options: JsonReadOptions = {}): JsonRead {
  const errors: ParseError[] = [];
  let value: unknown;
  try {
    value = parse(text, errors, { disallowComments: !options.comments, allowTrailingComma: options.comments === true });
  } catch (error) {
    // jsonc-parser recurses once per level: thousands of nested brackets overflow the stack.
    if (!(error instanceof RangeError)) throw error;
    return { error: { line: 1, column: 1, message: "nested too deeply to read" } };
  }
  if (errors.length === 0) return { value };
  return { error: { ...lineAndColumn(text, errors[0]!.offset), message: words(text, errors) } };
}

/** The first syntax error of `text` as JSON, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  return readJson(text).error;
}

/** `line 3, column 5: unexpected "}"`, for messages. */
export function describeJsonSyntaxError(error: JsonSyntaxError): string {
  return `line ${error.line}, column ${error.column}: ${error.message}`;
}

/** The line and column of `offset` in `text`, both 1-based. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: offset - lineStart + 1 };
}

/** What jsonc-parser's codes for a missing part expect in its place. */
const EXPECTED: Readonly<Record<string, string>> = {
  PropertyNameExpected: "expected a key in double quotes",
  ValueExpected: "expected a value",
  ColonExpected: 'expected ":" after the key',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: "the JSON value has already ended",
};

/** What jsonc-parser's codes for a broken token mean. */
const BROKEN: Readonly<Record<string, string>> = {
  InvalidCommentToken: 'unexpected "/": comments are not allowed in JSON',
  UnexpectedEndOfComment: "unterminated comment",
  InvalidNumberFormat: "invalid number",
  UnexpectedEndOfNumber: "invalid number",
  InvalidUnicode: "invalid \\u escape in a string",
  InvalidEscapeCharacter: "invalid escape in a string",
  InvalidCharacter: "a control character inside a string (write it as an escape, like \\t)",
};

/** The first error in words: what was found where the text stops, and what belonged there. */
function words(text: string, errors: readonly ParseError[]): string {
  const [first, next] = errors as [ParseError, ParseError | undefined];
  const code = printParseErrorCode(first.error);
  const char = text[first.offset];
  if (code in BROKEN) return BROKEN[code]!;
  if (code === "UnexpectedEndOfString") {
    return first.offset + first.length >= text.length ? "unterminated string" : "unterminated string (a line break or control character inside it)";
  }
  if (char === "'") return `unexpected "'": JSON strings take double quotes`;
  const found = char === undefined ? "end of file" : /[\s\p{C}]/u.test(char) ? `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}` : `"${char}"`;
  const before = text.slice(0, first.offset).trimEnd();
  if ((char === "}" || char === "]") && before.endsWith(",")) return `unexpected ${found}: a trailing comma is not allowed in JSON`;
  if (code === "ValueExpected" && char === undefined) return "unexpected end of file: a value is missing";
  const expected = expectedAfter(before) ?? EXPECTED[code === "InvalidSymbol" && next !== undefined ? printParseErrorCode(next.error) : code];
  return expected === undefined ? `unexpected ${found}` : `unexpected ${found}: ${expected}`;
}

/**
 * What belongs after `before` when it is plain: a value at the start, after ":" and after "["; a key
 * after "{". Else it is what the parser expected (after an unknown word such as `tru`, what it
 * expected once it had skipped the word).
 */
function expectedAfter(before: string): string | undefined {
  const last = before[before.length - 1];
  if (last === undefined || last === ":" || last === "[") return EXPECTED.ValueExpected;
  return last === "{" ? EXPECTED.PropertyNameExpected : undefined;
}
