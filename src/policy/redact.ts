/**
 * The MCP result redactor: secrets out of every value a non-sensitive tier returns. The `read` and
 * `write` servers are both mutation-aware and secret-free (MISSION.md "Tiers"), so their results and
 * error messages pass through here on the way out (`mcp/result.ts`).
 *
 * What counts as a secret:
 * - the value of a key whose words name a secret (`password`, `passwd`, `pwd`, `passphrase`, `secret`,
 *   `token`, `credential(s)`, `authorization`, `apiKey`/`api_key`, `accessKey`, `secretKey`,
 *   `privateKey`, plural forms too), in any case and any spelling (camelCase, snake_case, kebab-case,
 *   `DB_PASSWORD`), at any depth;
 * - under such a key holding an object or array, every `value` key and every bare string (a list of
 *   tokens, `secrets: [{name, value}]`);
 * - the `value` of an object that says it is secret (`secret: true`, `sensitive: true`, `type: "secret"`);
 * - inside any string: a URL's password (`postgres://user:[redacted]@host`, `redis://:[redacted]@host`),
 *   `password=…`-style pairs, `Bearer …` credentials and RunOS tokens (`runos_pat_…`).
 *
 * Decisions that keep results usable (documented in the tests):
 * - A key whose LAST word is metadata (`passwordUpdatedAt`, `tokenExpiresAt`, `secretName`, `apiKeyId`,
 *   `tokenType`, `credentialsCount`, …) is not a secret: its value keeps its type, so a timestamp stays a
 *   timestamp and a count stays a number.
 * - Booleans and null are never replaced (`hasPassword: true`, `secret: true` say nothing secret), so a
 *   redacted result keeps its shape; a secret string or number becomes the string "[redacted]".
 */

/** What a secret is replaced with. */
export const REDACTED = "[redacted]";

/** Single words that name a secret. */
const SECRET_WORDS = new Set([
  "password",
  "passwords",
  "passwd",
  "pwd",
  "passphrase",
  "secret",
  "secrets",
  "token",
  "tokens",
  "credential",
  "credentials",
  "authorization",
  "apikey",
  "apikeys",
  "accesskey",
  "secretkey",
  "privatekey",
  "dsn",
]);

/** Two-word spellings of a secret (`api_key`, `privateKey`). */
const SECRET_PAIRS = new Set(["api key", "api keys", "access key", "secret key", "private key", "secret access"]);

/** A key ending in one of these words describes a secret without holding it. */
const METADATA_WORDS = new Set([
  "at", "time", "date", "timestamp", "created", "updated", "rotated", "expires", "expiry", "expiration",
  "ttl", "age", "count", "length", "id", "ids", "name", "names", "type", "kind", "prefix", "suffix", "hint",
  "policy", "enabled", "required", "set", "present", "configured", "ref", "version", "status", "path",
  "file", "env", "scope", "scopes", "last4", "fingerprint", "description", "label", "url", "uri", "endpoint",
  "method", "mode", "strength", "rules", "format",
]);

const keyVerdicts = new Map<string, boolean>();

/** Split a key into lower-case words: `DB_PASSWORD` → [db, password], `apiKeyId` → [api, key, id]. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** Whether the value under `key` is a secret (see the module comment for the rules). */
export function isSensitiveKey(key: string): boolean {
  const known = keyVerdicts.get(key);
  if (known !== undefined) return known;
  const words = keyWords(key);
  let verdict = false;
  const last = words[words.length - 1];
  if (last !== undefined && !METADATA_WORDS.has(last)) {
    verdict = words.some((word, i) => SECRET_WORDS.has(word) || (i > 0 && SECRET_PAIRS.has(`${words[i - 1]} ${word}`)));
  }
  if (keyVerdicts.size < 10_000) keyVerdicts.set(key, verdict);
  return verdict;
}

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/?#@]*):([^\s/?#]+)@/gi;
const RUNOS_TOKEN = /\brunos_(?:pat|sk|key|tok)_[A-Za-z0-9_-]+/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
const KEY_VALUE = /\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key))(\s*=\s*)([^\s&;,"']+)/gi;
const JSON_PAIR = /("[A-Za-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

/**
 * Redact secrets inside free text: an error message, a log line, a connection string. Pure; a string
 * that cannot hold one of the patterns (no `:`, `=`, `_` or space) is returned without further work.
 */
export function redactText(text: string): string {
  if (!/[:=_ ]/.test(text)) return text;
  return text
    .replace(URL_CREDENTIALS, (_match, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`)
    .replace(RUNOS_TOKEN, REDACTED)
    .replace(BEARER, (_match, kind: string) => `${kind} ${REDACTED}`)
    .replace(JSON_PAIR, (_match, head: string) => `${head}"${REDACTED}"`)
    .replace(KEY_VALUE, (match, key: string, sep: string, value: string) =>
      value === REDACTED || METADATA_WORDS.has(keyWords(key).at(-1) ?? "") ? match : `${key}${sep}${REDACTED}`);
}

/** Whether an object announces that its `value` is secret. */
function declaresSecret(record: Record<string, unknown>): boolean {
  return record.secret === true || record.sensitive === true || record.isSecret === true ||
    record.type === "secret" || record.kind === "secret";
}

/**
 * A deep copy of `value` with every secret replaced by "[redacted]" (rules in the module comment).
 * Pure: the input is never modified. Cycles are cut (a repeated object becomes "[circular]").
 */
export function redactSensitive<T>(value: T): T {
  return redactValue(value, false, new WeakSet()) as T;
}

function redactValue(value: unknown, secretContext: boolean, seen: WeakSet<object>): unknown {
  if (typeof value === "string") return secretContext ? REDACTED : redactText(value);
  if (typeof value === "number" || typeof value === "bigint") return secretContext ? REDACTED : value;
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactValue(item, secretContext, seen));
    const record = value as Record<string, unknown>;
    const secretValue = declaresSecret(record);
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(record)) {
      if ((key === "value" && (secretContext || secretValue)) || isSensitiveKey(key)) {
        copy[key] = item !== null && typeof item === "object" ? redactValue(item, true, seen) : redactLeaf(item);
      } else {
        copy[key] = redactValue(item, false, seen);
      }
    }
    return copy;
  } finally {
    seen.delete(value);
  }
}

/** A secret primitive: strings and numbers go, booleans/null/undefined keep their meaning. */
function redactLeaf(value: unknown): unknown {
  if (typeof value === "string" || typeof value === "number" || typeof value === "bigint") return REDACTED;
  return value;
}
