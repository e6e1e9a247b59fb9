/**
 * Linear scanners over free text for the redactor (redact.ts): PEM blocks, URL credentials, quoted and
 * unquoted values, balanced JSON. Pure; every loop moves forward, so no input makes them backtrack.
 */
import { isAscii, REDACTED } from "./secret_keys.ts";

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

/** Characters that end a URL's authority (besides whitespace): quotes, angle brackets, a backslash. */
function endsAuthority(c: number): boolean {
  return c === 34 /* " */ || c === 39 /* ' */ || c === 60 /* < */ || c === 62 /* > */ || c === 92 /* \ */ || c === 96 /* ` */ || isSpace(c);
}

/**
 * Credentials in URLs. `scheme://user:password@host`: the password, up to the LAST `@` before
 * whitespace, so a password holding `/`, `?`, `#` or `@` goes too (the user part is everything after
 * `://` up to the first `:`, with no whitespace, `/`, `?`, `#` or `@` in it). `scheme://secret@host`
 * (userinfo without a colon: a token used as the user name, `redis://S@h`): the whole userinfo, up to
 * the last `@` of the authority. Linear: each authority scan stops at the next `/`, and the last `@` of
 * a whitespace-free run is found once per run.
 */
export function redactUrlCredentials(text: string): string {
  let at = text.indexOf("://");
  if (at === -1) return text;
  let out = "";
  let from = 0;
  let runEnd = -1; // end (exclusive) of the whitespace-free run being looked at
  let runLastAt = -1; // its last "@"
  while (at !== -1) {
    const userStart = at + 3;
    let i = userStart;
    let colon = -1;
    let lastAt = -1;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 64 /* @ */) lastAt = i;
      else if (c === 58 /* : */ && lastAt === -1) {
        colon = i;
        break;
      } else if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */ || endsAuthority(c)) break;
    }
    let secretStart = -1;
    let secretEnd = -1;
    if (colon !== -1) {
      if (colon >= runEnd) {
        runEnd = colon;
        runLastAt = -1;
        while (runEnd < text.length && !isSpace(text.charCodeAt(runEnd))) {
          if (text.charCodeAt(runEnd) === 64) runLastAt = runEnd;
          runEnd++;
        }
      }
      if (runLastAt > colon) {
        secretStart = colon + 1;
        secretEnd = runLastAt;
      }
    } else if (lastAt > userStart) {
      secretStart = userStart;
      secretEnd = lastAt;
    }
    if (secretStart !== -1 && secretStart >= from) {
      const secret = text.slice(secretStart, secretEnd);
      out += text.slice(from, secretStart) + (secret === REDACTED || secret === encodeURIComponent(REDACTED) ? secret : REDACTED);
      from = secretEnd;
      at = text.indexOf("://", secretEnd);
      continue;
    }
    at = text.indexOf("://", userStart);
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
 * Where an unquoted value ends: whitespace, `&`, `;`, `,`, a quote (escaped or not); in JSON, also `}`
 * and `]`. For a header whose value runs to the end of the line (`Authorization`, `Cookie`): the end of
 * the line (an escaped `\n` included) or a quote.
 */
export function unquotedEnd(text: string, start: number, jsonContext: boolean, toEndOfLine: boolean): number {
  let i = start;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\n" || c === "\r") break;
    if (!toEndOfLine && isSpace(c.charCodeAt(0))) break;
    if (c === '"' || c === "'" || (!toEndOfLine && (c === "&" || c === ";" || c === ","))) break;
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

const lowerCode = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

/**
 * A fast test for whether text contains any of `stems` (ASCII, at least two characters, matched
 * case-insensitively) or, with `nonAscii`, any non-ASCII character: one pass over the text, looking
 * each pair of characters up in a table. Three times faster than the equivalent regular expression,
 * which matters because every string of every result is tested.
 */
export function stemTest(stems: readonly string[], nonAscii: boolean): (text: string) => boolean {
  const table: (string[] | undefined)[] = new Array(1 << 14);
  for (const raw of stems) {
    const stem = raw.toLowerCase();
    if (stem.length < 2 || !isAscii(stem)) throw new Error(`stem ${JSON.stringify(raw)} must be 2+ ASCII characters`);
    (table[(stem.charCodeAt(0) << 7) | stem.charCodeAt(1)] ??= []).push(stem);
  }
  return (text) => {
    const n = text.length;
    if (n === 0) return false;
    let previous = lowerCode(text.charCodeAt(0));
    if (previous > 127) return nonAscii;
    for (let i = 1; i < n; i++) {
      const c = lowerCode(text.charCodeAt(i));
      if (c > 127) {
        if (nonAscii) return true;
        previous = 0;
        continue;
      }
      const candidates = table[(previous << 7) | c];
      previous = c;
      if (candidates === undefined) continue;
      for (const stem of candidates) {
        if (i - 1 + stem.length > n) continue;
        let k = 2;
        while (k < stem.length && lowerCode(text.charCodeAt(i - 1 + k)) === stem.charCodeAt(k)) k++;
        if (k === stem.length) return true;
      }
    }
    return false;
  };
}

/** Where an argument on a command line (or a word in prose) ends: whitespace, a quote (escaped or not), markup or the end. */
export function argumentEnd(text: string, start: number, atMarkup = false): number {
  let i = start;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isSpace(c) || c === 34 || c === 39 || c === 96 || (atMarkup && c === 60)) break;
    if (c === 92 /* \ */ && (text[i + 1] === '"' || text[i + 1] === "'" || text[i + 1] === "\\")) break;
    i++;
  }
  return i;
}
