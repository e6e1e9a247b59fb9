/**
 * The MCP result redactor: secrets out of every value a non-sensitive tier returns. The `read` and
 * `write` servers are both mutation-aware and secret-free (MISSION.md "Tiers"), so their results and
 * error messages pass through here on the way out (`mcp/result.ts`), and so do log lines (`log.ts`).
 *
 * What counts as a secret in a value (`redactSensitive`):
 * - the value of a key whose words name a secret (`password`, `passwd`, `pwd`, `passphrase`, `secret`,
 *   `token`, `credential(s)`, `authorization`, `apiKey`/`api_key`, `accessKey`, `secretKey`,
 *   `privateKey`, `dsn`, plural forms too, and words ending in one of the longer ones: `PGPASSWORD`,
 *   `csrftoken`), in any case and any spelling (camelCase, snake_case, kebab-case, `DB_PASSWORD`), at
 *   any depth;
 * - everything below such a key, at any depth (`secrets: {STRIPE: "…"}`, `credentials: {db: {pw: …}}`),
 *   except what a key says is a description rather than the secret: a key whose last word is metadata
 *   (`name`, `id`, `type`, `createdAt`, `updatedAt`, … see below), a connection's `user`/`username`,
 *   `host`, `port`, `database`, and the `key`/`name` label of an entry that has a `value`. So
 *   `secrets: [{name, value, updatedAt}]` still shows names and dates;
 * - the `value` of an object that says it is secret (`secret: true`, `sensitive: true`,
 *   `type: "secret"`) or whose `name`/`key` names a secret (`{name: "DB_PASSWORD", value: "…"}`);
 * - inside any string, by `redactText`.
 *
 * What counts as a secret in free text (`redactText`: error messages, log lines, connection strings):
 * - a PEM private key block, replaced whole;
 * - a URL's password (`postgres://user:[redacted]@host`), up to the LAST `@` before whitespace, so a
 *   password holding `/`, `?`, `#` or `@` goes too (over-redacting rather than leaking);
 * - the value of any `key=value`, `key: value`, `key := value`, `"key": "value"`, `'key': 'value'`,
 *   `{\"key\":\"value\"}` (escaped JSON) or `<key>value</key>` pair whose key is a secret by the SAME
 *   rule as above (`isSensitiveKey`), so the two cannot drift apart. A quoted value goes whole (quotes
 *   and escapes understood, unterminated runs to the end of the text); an unquoted one up to whitespace,
 *   `&`, `;`, `,` or a quote; a `{…}`/`[…]` one is redacted as a secret-keyed JSON value (or whole, if
 *   not JSON). `Authorization: <scheme> <credentials>` keeps the scheme (`Bearer [redacted]`);
 * - `Bearer …`/`Basic …` credentials, RunOS tokens (`runos_pat_…`) and a few well-known token formats
 *   (GitHub, GitLab, Stripe secret keys, Slack, JWTs) wherever they appear.
 *
 * Decisions that keep results usable (documented in the tests):
 * - A key whose LAST word is metadata (`passwordUpdatedAt`, `tokenExpiresAt`, `secretName`, `apiKeyId`,
 *   `tokenType`, `credentialsCount`, …) is not a secret: its value keeps its type, so a timestamp stays a
 *   timestamp and a count stays a number. The same holds in text (`tokenType=bearer` stays).
 * - Booleans and null are never replaced (`hasPassword: true`, `secret: true` say nothing secret), so a
 *   redacted result keeps its shape; a secret string or number becomes the string "[redacted]".
 * - Text scanning is linear: no pattern here can backtrack catastrophically, and every scan moves on.
 */
import {
  isDescriptiveKey,
  isSensitiveKey,
  keyWords,
  LABEL_KEYS,
  REDACTED,
  SECRET_PAIRS,
  SECRET_WORDS,
  VALUE_KEYS,
} from "./secret_keys.ts";
import { balancedEnd, quotedValue, redactPem, redactUrlCredentials, type Span, unquotedEnd } from "./text_scan.ts";

export { isSensitiveKey, REDACTED };

/**
 * A cheap pre-filter for text keys, derived from the word lists above: a key can only be a secret if it
 * contains one of the secret words or the first word of a secret pair (`api`, `access`, `private`).
 */
const SECRET_HINT = new RegExp(
  [...new Set([...SECRET_WORDS, ...[...SECRET_PAIRS].map((pair) => pair.split(" ")[0]!)])].join("|"),
  "i",
);

/** A key (bare or quoted, possibly escaped-quoted) and its separator. Starts only at a key's first char. */
const PAIR = /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]+)((?:\\*["'])?)([ \t]*)(:=|=>|==|:|=)([ \t]*)/g;
/** An XML element whose content may be a secret: `<password>x</password>`. */
const XML_ELEMENT = /<([A-Za-z][A-Za-z0-9_.:-]*)((?:\s[^<>]*)?)>([^<]*)<\/\1\s*>/g;
/** Standalone credentials: RunOS tokens and well-known token formats. */
const KNOWN_TOKENS = new RegExp(
  "(?<![A-Za-z0-9_-])(?:" + [
    "runos_(?:pat|sk|key|tok)_[A-Za-z0-9_-]+",
    "gh[pousr]_[A-Za-z0-9]{20,}",
    "github_pat_[A-Za-z0-9_]{20,}",
    "glpat-[A-Za-z0-9_-]{20,}",
    "[sr]k_(?:live|test)_[A-Za-z0-9]{6,}",
    "xox[abposr]-[A-Za-z0-9-]{10,}",
    "eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*",
  ].join("|") + ")",
  "g",
);
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
/** Authorization schemes kept readable in front of their (redacted) credentials. */
const AUTH_SCHEMES = new Set(["bearer", "basic", "token", "digest", "negotiate", "ntlm", "apikey", "dpop", "hoba", "mutual"]);

/**
 * Redact secrets inside free text: an error message, a log line, a connection string (rules in the
 * module comment). Pure and linear in the length of the text.
 */
export function redactText(text: string): string {
  if (!/[:=_<.\s-]/.test(text)) return text;
  let result = redactPem(text);
  result = redactUrlCredentials(result);
  result = result.replace(KNOWN_TOKENS, REDACTED);
  result = result.replace(BEARER, (_match, kind: string) => `${kind} ${REDACTED}`);
  result = result.replace(XML_ELEMENT, (match, tag: string, attributes: string, content: string) =>
    content === "" || content === REDACTED || !isSensitiveKey(tag) ? match : `<${tag}${attributes}>${REDACTED}</${tag}>`);
  return redactPairs(result);
}

/** Every `key<sep>value` pair whose key is a secret (see the module comment). */
function redactPairs(text: string): string {
  let out = "";
  let from = 0;
  PAIR.lastIndex = 0;
  for (let match = PAIR.exec(text); match !== null; match = PAIR.exec(text)) {
    const [whole, key, keyQuote, , separator, after] = match as unknown as [string, string, string, string, string, string];
    const start = match.index + whole.length;
    if (separator === ":" && after === "" && (text[start] === ":" || text.startsWith("//", start))) continue; // `a::b`, `x://`
    if (!SECRET_HINT.test(key) || !isSensitiveKey(key)) continue;
    const value = secretValue(text, start, keyQuote, keyWords(key).includes("authorization"));
    if (value === undefined) continue;
    out += text.slice(from, value.start) + value.replacement;
    from = value.end;
    PAIR.lastIndex = value.end;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** The secret value starting at `start`, and what replaces it; undefined when there is nothing to hide. */
function secretValue(text: string, start: number, keyQuote: string, authorization: boolean): Span | undefined {
  if (start >= text.length || text.startsWith(REDACTED, start)) return undefined;
  const quoted = quotedValue(text, start);
  if (quoted !== undefined) return quoted;
  const first = text[start];
  if (first === "{" || first === "[") {
    const end = balancedEnd(text, start);
    const closed = end < text.length || text[end - 1] === (first === "{" ? "}" : "]");
    return { start, end, replacement: closed ? redactJsonText(text.slice(start, end)) : REDACTED };
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
  const end = unquotedEnd(text, start, jsonContext, authorization);
  const raw = text.slice(start, end);
  if (raw === "" || raw === "null" || raw === "true" || raw === "false") return undefined;
  return { start, end, replacement: `${keyQuote}${REDACTED}${keyQuote}` };
}

/**
 * A JSON object or array found under a secret key in text, redacted as a secret-keyed value (its
 * metadata stays), or "[redacted]" whole if it is not JSON. Escaped JSON (`{\"a\":\"b\"}`) is
 * unescaped, redacted and escaped again.
 */
function redactJsonText(region: string): string {
  try {
    return JSON.stringify(redactValue(JSON.parse(region), "secret", new WeakSet()));
  } catch {
    // not plain JSON
  }
  if (region.includes('\\"')) {
    try {
      const unescaped: unknown = JSON.parse(`"${region}"`);
      if (typeof unescaped === "string" && unescaped !== region) return JSON.stringify(redactJsonText(unescaped)).slice(1, -1);
    } catch {
      // not escaped JSON either
    }
  }
  return REDACTED;
}

/** Whether an object announces that its `value` is secret, or names a secret in its `name`/`key`. */
function declaresSecret(record: Record<string, unknown>): boolean {
  if (
    record.secret === true || record.sensitive === true || record.isSecret === true ||
    record.type === "secret" || record.kind === "secret"
  ) return true;
  return LABEL_KEYS.some((key) => {
    const label = record[key];
    return typeof label === "string" && label.length <= 256 && isSensitiveKey(label);
  });
}

/**
 * A deep copy of `value` with every secret replaced by "[redacted]" (rules in the module comment).
 * Pure: the input is never modified. Cycles are cut (a repeated object becomes "[circular]").
 */
export function redactSensitive<T>(value: T): T {
  return redactValue(value, "plain", new WeakSet()) as T;
}

/**
 * How a value is treated: `plain` (only what its keys and text reveal is redacted), `secret` (below a
 * secret key: every string and number, except under descriptive keys), `label` (a descriptive key below
 * a secret key: its strings and numbers stay, its objects are still secret).
 */
type Mode = "plain" | "secret" | "label";

function redactValue(value: unknown, mode: Mode, seen: WeakSet<object>): unknown {
  if (typeof value === "string") return mode === "secret" ? REDACTED : redactText(value);
  if (typeof value === "number" || typeof value === "bigint") return mode === "secret" ? REDACTED : value;
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactValue(item, mode, seen));
    const record = value as Record<string, unknown>;
    const inSecret = mode !== "plain";
    const secretValue = declaresSecret(record);
    const hasValue = Object.keys(record).some((key) => VALUE_KEYS.has(key));
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(record)) {
      let itemMode: Mode;
      if (isSensitiveKey(key)) itemMode = "secret";
      else if (VALUE_KEYS.has(key)) itemMode = inSecret || secretValue ? "secret" : "plain";
      else if (!inSecret) itemMode = "plain";
      else itemMode = isDescriptiveKey(key) || (hasValue && LABEL_KEYS.includes(key)) ? "label" : "secret";
      copy[key] = redactValue(item, itemMode, seen);
    }
    return copy;
  } finally {
    seen.delete(value);
  }
}
