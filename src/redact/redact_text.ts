/**
 * The free-text redactor: every string that leaves a non-sensitive tier (values, keys, error messages,
 * hints, details, progress) goes through `redactTextWith`, which runs the rules of secret_formats.ts in
 * one fixed order. Each rule is a linear scan; none can backtrack catastrophically, and every scan
 * moves forward. The rules, and what they keep, are listed in redact.ts's module comment.
 */
import { foldName, isSecretWord, isSensitiveKey, keyWords, REDACTED, SECRET_PAIRS } from "./secret_keys.ts";
import { redactCommandLines } from "../policy/command_line.ts";
import {
  CLIENT_COMMANDS,
  CONNECTORS,
  isPlainProse,
  KNOWN_TOKENS,
  PROSE_WORDS,
  SIGNED_QUERY_PARAMS,
  TOKEN_HINTS,
} from "./secret_formats.ts";
import {
  argumentEnd,
  balancedEnd,
  isSpace,
  quotedRun,
  quotedValue,
  redactPem,
  redactUrlCredentials,
  type Span,
  stemTest,
  unquotedEnd,
} from "./text_scan.ts";

/** How JSON found inside text is redacted: by the structural redactor (redact.ts), passed in. */
export interface JsonRedactor {
  /** A JSON value under a secret key: everything but its metadata goes. */
  secret(value: unknown): unknown;
  /** A JSON value found anywhere in text: the structural rules apply. */
  plain(value: unknown): unknown;
}

/** Command names, for the pre-filter. */
const COMMAND_NAMES = CLIENT_COMMANDS.flatMap((command) => command.names);
/** Stems of the keys a pair or prose rule may redact (any non-ASCII character may disguise one too). */
const WORD_STEMS = ["pass", "pwd", "pw", "secret", "token", "credential", "auth", "key", "dsn", "cookie", "sig", "url", "uri", "conn", "jwt"];

/**
 * Cheap pre-filter: text can only hold a secret the rules find if it contains one of these (a secret
 * word's stem, a URL, a PEM header, a token format's start, a client command, a non-ASCII character).
 * Each rule also has its own narrower test, so that text pays only for the rules it may need.
 */
const HINT = stemTest([...WORD_STEMS, "://", "-----BEGIN", "bearer", "basic", ...TOKEN_HINTS, ...COMMAND_NAMES], true);
const WORD_HINT = stemTest(WORD_STEMS, true);
const TOKEN_HINT = stemTest(TOKEN_HINTS, false);
const SCHEME_HINT = stemTest(["bearer", "basic"], false);
const COMMAND_HINT = stemTest(COMMAND_NAMES, false);

/** Redact secrets in free text; `json` redacts the JSON values found in it. Pure, linear in the text. */
export function redactTextWith(text: string, json: JsonRedactor): string {
  if (text.length < 3 || !HINT(text)) return text;
  let result = text;
  if (result.includes("-----BEGIN ")) result = redactPem(result);
  if (result.includes("://")) result = redactUrlCredentials(result);
  if (TOKEN_HINT(result)) result = result.replace(KNOWN_TOKENS, REDACTED);
  if (SCHEME_HINT(result)) result = result.replace(AUTH_SCHEME, (_match, kind: string) => `${kind} ${REDACTED}`);
  if (result.includes("<")) result = redactMarkup(result);
  if (COMMAND_HINT(result)) result = redactCommandLines(result);
  if (WORD_HINT(result)) result = redactPairs(result, json);
  if (result.includes("{") || result.includes("[")) result = redactJsonRegions(result, json);
  return result;
}

/** `Bearer …`, `Basic …` credentials, wherever they appear. */
const AUTH_SCHEME = /\b(Bearer|Basic|bearer)[ \t]+(?!\[redacted\])[^\s"'\\,;<>()[\]{}]+/g;

/** An XML element whose content may be a secret (`<password>x</password>`), and a tag's attributes. */
const XML_ELEMENT = /<([A-Za-z][A-Za-z0-9_.:-]*)((?:\s[^<>]*)?)>([^<]*)<\/\1\s*>/g;
const TAG_WITH_ATTRIBUTES = /<[A-Za-z][\w:.-]*\s[^<>]*>/g;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)/g;
const LABEL_ATTRIBUTES = new Set(["name", "id", "key", "for", "property", "itemprop", "autocomplete"]);
const VALUE_ATTRIBUTES = new Set(["value", "content", "data-value"]);

/**
 * Markup: the content of an element named like a secret, and the `value` of a tag whose `name`/`id`
 * names a secret or whose `type` is `password` (`<input name="password" value="S">`).
 */
function redactMarkup(text: string): string {
  if (!text.includes("<")) return text;
  const elements = text.replace(XML_ELEMENT, (match, tag: string, attributes: string, content: string) =>
    content === "" || content === REDACTED || !isSensitiveKey(tag) ? match : `<${tag}${attributes}>${REDACTED}</${tag}>`);
  return elements.replace(TAG_WITH_ATTRIBUTES, (tag) => {
    let secret = false;
    for (const [, name, raw] of tag.matchAll(ATTRIBUTE)) {
      const value = raw!.replace(/^["']|["']$/g, "");
      const attribute = name!.toLowerCase();
      if ((LABEL_ATTRIBUTES.has(attribute) && isSensitiveKey(value)) || (attribute === "type" && value.toLowerCase() === "password")) secret = true;
    }
    if (!secret) return tag;
    return tag.replace(ATTRIBUTE, (whole, name: string, raw: string) => {
      if (!VALUE_ATTRIBUTES.has(name.toLowerCase()) || raw.replace(/^["']|["']$/g, "") === REDACTED) return whole;
      const quote = raw[0] === '"' || raw[0] === "'" ? raw[0] : "";
      return `${name}=${quote}${REDACTED}${quote}`;
    });
  });
}

const KEY_CHARS = "\\p{L}\\p{N}\\p{M}\\p{Cf}_.\\-";
/**
 * A key holding one of WORD_STEMS (bare or quoted, possibly escaped-quoted), then an optional
 * separator. Starts only at a key's first character; keys without a stem are never looked at.
 */
const PAIR = new RegExp(
  `(?<![${KEY_CHARS}])([${KEY_CHARS}]*?(?:${WORD_STEMS.join("|")}|[^\\x00-\\x7f])[${KEY_CHARS}]*)((?:\\\\*["'])?)([ \\t]*)(:=|=>|==|:|=)?([ \\t]*)`,
  "giu",
);
/** Keys whose value runs to the end of the line (`Authorization: Digest a, b`, `Cookie: a=1; b=2`). */
const LINE_WORDS = new Set(["authorization", "cookie", "cookies"]);
/** Authorization schemes kept readable in front of their (redacted) credentials. */
const AUTH_SCHEMES = new Set(["bearer", "basic", "token", "digest", "negotiate", "ntlm", "apikey", "dpop", "hoba", "mutual"]);
const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

/** The word before `index`, separated from it by spaces only (`api` in `api key`), lower-cased; "" if none. */
function wordBefore(text: string, index: number): string {
  let end = index;
  while (end > 0 && (text[end - 1] === " " || text[end - 1] === "\t")) end--;
  if (end === index) return "";
  let start = end;
  while (start > 0 && end - start < 32 && /[A-Za-z]/.test(text[start - 1]!)) start--;
  return text.slice(start, end).toLowerCase();
}

/** The last folded word of a key, cheaply for plain words. */
function lastWord(key: string): string | undefined {
  return /^[a-z]+$/i.test(key) ? key.toLowerCase() : keyWords(key).at(-1);
}

/**
 * Every `key<sep>value` pair whose key is a secret (`password=S`, `"token": "S"`, `?sig=S`), and
 * every secret's name followed, in prose, by its value (`password is S`, `(password S)`,
 * `using token S`, `--password S`), unless that value is a word prose uses there (PROSE_WORDS).
 */
function redactPairs(text: string, json: JsonRedactor): string {
  let out = "";
  let from = 0;
  // The regex is shared and secretValue may recurse into this function: lastIndex is set before each exec.
  for (let next = 0; next < text.length;) {
    PAIR.lastIndex = next;
    const match = PAIR.exec(text);
    if (match === null) break;
    next = PAIR.lastIndex === match.index ? match.index + 1 : PAIR.lastIndex;
    const [whole, key, keyQuote, , separator, after] = match as unknown as [string, string, string, string, string | undefined, string];
    const keyEnd = match.index + key.length;
    const word = lastWord(key);
    let value: Span | undefined;
    if (separator !== undefined) {
      const start = match.index + whole.length;
      if (separator === ":" && after === "" && (text[start] === ":" || text.startsWith("//", start))) continue; // `a::b`, `x://`
      const inQuery = match.index > 0 && "?&;".includes(text[match.index - 1]!) && SIGNED_QUERY_PARAMS.has(foldName(key).toLowerCase());
      if (!inQuery && !isSensitiveKey(key)) continue;
      const words = keyWords(key);
      const toEndOfLine = !inQuery && LINE_WORDS.has(words.at(-1) ?? "");
      value = secretValue(text, start, keyQuote, words.includes("authorization"), toEndOfLine, json);
    } else if (keyQuote === "" && word !== undefined && !key.endsWith(".")) {
      const trigger = isSecretWord(word) || word === "auth" || SECRET_PAIRS.has(`${wordBefore(text, match.index)} ${word}`);
      if (trigger) value = proseValue(text, keyEnd);
    }
    if (value === undefined || value.start < from) continue;
    out += text.slice(from, value.start) + value.replacement;
    from = value.end;
    next = value.end;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Skip whitespace and markup tags (`password</td><td>S`) from `i`; -1 when nothing was skipped. */
function skipGap(text: string, i: number): number {
  const start = i;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) i++;
    else if (c === 60 /* < */ && /^<\/?[A-Za-z][^<>]{0,200}>/.test(text.slice(i, i + 256))) i = text.indexOf(">", i) + 1;
    else break;
  }
  return i === start ? -1 : i;
}

/** The value after a secret's name in prose, or undefined when what follows is prose, not a value. */
function proseValue(text: string, keyEnd: number): Span | undefined {
  let start = skipGap(text, keyEnd);
  for (let connectors = 0; start !== -1 && connectors < 2; connectors++) {
    const word = /^[A-Za-z]+/.exec(text.slice(start, start + 16))?.[0];
    if (word === undefined || !CONNECTORS.has(word.toLowerCase())) break;
    const next = skipGap(text, start + word.length);
    if (next === -1) break;
    start = next;
  }
  if (start === -1 || start >= text.length || text.startsWith(REDACTED, start)) return undefined;
  const quoted = quotedRun(text, start);
  if (quoted !== undefined) {
    const content = quoted.close === -1 ? text.slice(quoted.open) : text.slice(quoted.open, quoted.close);
    if (content === "" || content === REDACTED || ENV_NAME.test(content) || PROSE_WORDS.has(content.toLowerCase()) || isPlainProse(content)) return undefined;
    return quotedValue(text, start);
  }
  let end = argumentEnd(text, start, true);
  while (end > start && ".,;:!?)]}".includes(text[end - 1]!)) end--;
  const raw = text.slice(start, end);
  if (raw === "" || PROSE_WORDS.has(raw.toLowerCase()) || ENV_NAME.test(raw) || /^--?[a-z][a-z-]*$/.test(raw)) return undefined;
  return { start, end, replacement: REDACTED };
}

/** The secret value starting at `start`, and what replaces it; undefined when there is nothing to hide. */
function secretValue(
  text: string,
  start: number,
  keyQuote: string,
  authorization: boolean,
  toEndOfLine: boolean,
  json: JsonRedactor,
): Span | undefined {
  if (start >= text.length || text.startsWith(REDACTED, start)) return undefined;
  const run = quotedRun(text, start);
  if (run !== undefined && run.close !== -1 && isPlainProse(text.slice(run.open, run.close))) return undefined; // `password: "must be 12+ characters"`
  const quoted = quotedValue(text, start);
  if (quoted !== undefined) return quoted;
  const first = text[start];
  if (first === "{" || first === "[") {
    const end = balancedEnd(text, start);
    const closed = end < text.length || text[end - 1] === (first === "{" ? "}" : "]");
    return { start, end, replacement: closed ? redactJsonText(text.slice(start, end), json) : REDACTED };
  }
  const jsonContext = keyQuote !== "";
  if (authorization) {
    const scheme = /^([A-Za-z][A-Za-z0-9-]*)([ \t]+)(?=\S)/.exec(text.slice(start, start + 64));
    if (scheme !== null && AUTH_SCHEMES.has(scheme[1]!.toLowerCase())) {
      const credentialsStart = start + scheme[0].length;
      if (text.startsWith(REDACTED, credentialsStart)) return undefined;
      const end = unquotedEnd(text, credentialsStart, jsonContext, false);
      return end === credentialsStart ? undefined : { start: credentialsStart, end, replacement: REDACTED };
    }
  }
  const end = unquotedEnd(text, start, jsonContext, toEndOfLine);
  const raw = text.slice(start, end);
  if (raw === "" || raw === "null" || raw === "true" || raw === "false") return undefined;
  return { start, end, replacement: `${keyQuote}${REDACTED}${keyQuote}` };
}

/**
 * A JSON object or array found under a secret key in text, redacted as a secret-keyed value (its
 * metadata stays), or "[redacted]" whole if it is not JSON. Escaped JSON (`{\"a\":\"b\"}`) is
 * unescaped, redacted and escaped again.
 */
function redactJsonText(region: string, json: JsonRedactor): string {
  const parsed = parseJsonRegion(region);
  if (parsed === undefined) return REDACTED;
  const text = JSON.stringify(json.secret(parsed.value));
  return parsed.escaped ? JSON.stringify(text).slice(1, -1) : text;
}

/** A JSON value in `region`, plain or escaped inside a JSON string (`{\"a\":1}`). */
function parseJsonRegion(region: string): { value: unknown; escaped: boolean } | undefined {
  try {
    return { value: JSON.parse(region), escaped: false };
  } catch {
    // not plain JSON
  }
  if (!region.includes('\\"')) return undefined;
  try {
    const unescaped: unknown = JSON.parse(`"${region}"`);
    if (typeof unescaped === "string" && unescaped !== region) return { value: JSON.parse(unescaped), escaped: true };
  } catch {
    // not escaped JSON either
  }
  return undefined;
}

/** JSON text of a parsed value, or undefined when it is too deep for the runtime to stringify. */
function stringifyOrUndefined(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** Where a JSON object or array of objects/arrays/strings may start. */
const JSON_START = /[{[](?=[ \t\r\n]*(?:\\*"|[{[]))/g;

/**
 * JSON embedded in text gets the structural rules too (`{"name":"DB_PASSWORD","value":"S"}`, a table
 * with a `password` column): when they redact more than the text rules did, the region is replaced by
 * its redacted JSON (compact); otherwise it stays as written.
 */
function redactJsonRegions(text: string, json: JsonRedactor): string {
  let out = "";
  let from = 0;
  // The regex is shared and the redaction below may recurse into this function: set lastIndex before each exec.
  for (let next = 0; next < text.length;) {
    JSON_START.lastIndex = next;
    const match = JSON_START.exec(text);
    if (match === null) break;
    const start = match.index;
    const end = balancedEnd(text, start);
    next = end;
    const parsed = parseJsonRegion(text.slice(start, end));
    if (parsed === undefined || typeof parsed.value !== "object" || parsed.value === null) continue;
    const redacted = JSON.stringify(json.plain(parsed.value)); // safe: the redacted copy is cut at MAX_DEPTH
    if (redacted === stringifyOrUndefined(parsed.value)) continue;
    out += text.slice(from, start) + (parsed.escaped ? JSON.stringify(redacted).slice(1, -1) : redacted);
    from = end;
  }
  return from === 0 ? text : out + text.slice(from);
}
