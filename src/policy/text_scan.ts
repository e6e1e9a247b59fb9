/**
 * Linear scanners over free text for the redactor (redact.ts): PEM blocks, URL credentials, quoted and
 * unquoted values, balanced JSON. Pure; every loop moves forward, so no input makes them backtrack.
 */
import { REDACTED } from "./secret_keys.ts";

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z0-9 ]*-----/g;
const PEM_END = /-----END [A-Z0-9 ]*-----/g;

/** PEM private key blocks, whole; an unterminated one to the end of the text. */
export function redactPem(text: string): string {
  if (!text.includes("-----BEGIN ")) return text;
  let out = "";
  let from = 0;
  PEM_BEGIN.lastIndex = 0;
  for (let begin = PEM_BEGIN.exec(text); begin !== null; begin = PEM_BEGIN.exec(text)) {
    PEM_END.lastIndex = begin.index + begin[0].length;
    const end = PEM_END.exec(text);
    const stop = end === null ? text.length : end.index + end[0].length;
    out += text.slice(from, begin.index) + REDACTED;
    from = stop;
    PEM_BEGIN.lastIndex = stop;
  }
  return out + text.slice(from);
}

export function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x2028 || code === 0x2029;
}

/**
 * `scheme://user:password@host`: the password, up to the last `@` before whitespace. The user part is
 * everything after `://` up to the first `:` (no whitespace, `/`, `?` or `#` in it).
 */
export function redactUrlCredentials(text: string): string {
  let at = text.indexOf("://");
  if (at === -1) return text;
  let out = "";
  let from = 0;
  let tokenEnd = -1; // end (exclusive) of the whitespace-free run being looked at
  let lastAt = -1; // its last "@"
  while (at !== -1) {
    let i = at + 3;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 58 /* : */ || c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */ || isSpace(c)) break;
    }
    if (text.charCodeAt(i) === 58) {
      if (i >= tokenEnd) {
        tokenEnd = i;
        lastAt = -1;
        while (tokenEnd < text.length && !isSpace(text.charCodeAt(tokenEnd))) {
          if (text.charCodeAt(tokenEnd) === 64 /* @ */) lastAt = tokenEnd;
          tokenEnd++;
        }
      }
      if (lastAt > i) {
        if (text.slice(i + 1, lastAt) !== REDACTED) out += text.slice(from, i + 1) + REDACTED;
        else out += text.slice(from, lastAt);
        from = lastAt;
        at = text.indexOf("://", lastAt);
        continue;
      }
    }
    at = text.indexOf("://", at + 3);
  }
  return out + text.slice(from);
}

/** A stretch of text to replace, and its replacement. */
export interface Span {
  start: number;
  end: number;
  replacement: string;
}

/**
 * The quoted run opened at `start` by a quote (`"`, `'`) or an escaped one (`\"` in a JSON string):
 * where its content starts (`open`), where its closing quote with its escapes starts (`close`, -1 when
 * unterminated) and where it ends. Undefined when no quote opens at `start`.
 */
export function quotedRun(text: string, start: number): { open: number; close: number; end: number } | undefined {
  let i = start;
  while (text.charCodeAt(i) === 92 /* \ */) i++;
  const quote = text[i];
  if (quote !== '"' && quote !== "'") return undefined;
  const escapes = i - start;
  let j = i + 1;
  if (escapes === 0) {
    for (; j < text.length; j++) {
      if (text[j] === "\\") j++;
      else if (text[j] === quote && !(quote === "'" && /[A-Za-z0-9]/.test(text[j + 1] ?? ""))) { // `it's` goes on
        return { open: i + 1, close: j, end: j + 1 };
      }
    }
  } else {
    // Escaped quotes (`\"…\"` in a JSON string): the closing quote is escaped by at most as many backslashes.
    let run = 0;
    for (; j < text.length; j++) {
      if (text[j] === "\\") run++;
      else {
        if (text[j] === quote && run > 0 && run <= escapes) return { open: i + 1, close: j - run, end: j + 1 };
        run = 0;
      }
    }
  }
  return { open: i + 1, close: -1, end: text.length };
}

/** A quoted value: its content, through the closing quote (or the end of the text, if unterminated). */
export function quotedValue(text: string, start: number): Span | undefined {
  const run = quotedRun(text, start);
  if (run === undefined) return undefined;
  const opener = text.slice(start, run.open);
  if (run.close === -1) return { start, end: text.length, replacement: opener + REDACTED };
  if (run.close === run.open || text.slice(run.open, run.close) === REDACTED) return undefined;
  return { start, end: run.end, replacement: opener + REDACTED + text.slice(run.close, run.end) };
}

/**
 * Where an unquoted value ends: whitespace (or, for an Authorization header, the end of the line, an
 * escaped `\n` included), `&`, `;`, `,`, a quote (escaped or not); in JSON, also `}` and `]`.
 */
export function unquotedEnd(text: string, start: number, jsonContext: boolean, toEndOfLine: boolean): number {
  let i = start;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\n" || c === "\r") break;
    if (!toEndOfLine && isSpace(c.charCodeAt(0))) break;
    if (c === "&" || c === ";" || c === "," || c === '"' || c === "'") break;
    if (jsonContext && (c === "}" || c === "]")) break;
    if (c === "\\") {
      let k = i;
      while (text[k] === "\\") k++;
      if (text[k] === '"' || text[k] === "'" || (toEndOfLine && (text[k] === "n" || text[k] === "r"))) break;
      i = k - 1;
    }
  }
  if (toEndOfLine) while (i > start && isSpace(text.charCodeAt(i - 1))) i--;
  return i;
}

/** The end of a `{…}` or `[…]` starting at `start` (strings, escaped or not, skipped), or the end of the text. */
export function balancedEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "\\") {
      const run = text[i + 1] === "\\" || text[i + 1] === '"' ? quotedRun(text, i) : undefined;
      if (run !== undefined) {
        if (run.close === -1) return text.length;
        i = run.end - 1;
      } else i++; // an escaped character
    } else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}
