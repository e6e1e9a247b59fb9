/**
 * Which keys name a secret: one rule for structured values and free text alike (redact.ts), so the
 * two cannot drift apart. The word lists and their reasons are in redact.ts's module comment.
 */

/** What a secret is replaced with. */
export const REDACTED = "[redacted]";

/** Single words that name a secret. */
export const SECRET_WORDS = new Set([
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

/** A single word ending in one of these also names a secret (`pgpassword`, `csrftoken`, `clientsecret`). */
const SECRET_SUFFIXES = [...SECRET_WORDS].filter((word) => word.length >= 5);

/** Two-word spellings of a secret (`api_key`, `privateKey`). */
export const SECRET_PAIRS = new Set(["api key", "api keys", "access key", "secret key", "private key", "secret access"]);

/** A key ending in one of these words describes a secret without holding it. */
const METADATA_WORDS = new Set([
  "at", "time", "date", "timestamp", "created", "updated", "rotated", "expires", "expiry", "expiration",
  "ttl", "age", "count", "length", "id", "ids", "name", "names", "type", "kind", "prefix", "suffix", "hint",
  "policy", "enabled", "required", "set", "present", "configured", "ref", "version", "status", "path",
  "file", "env", "scope", "scopes", "last4", "fingerprint", "description", "label", "url", "uri", "endpoint",
  "method", "mode", "strength", "rules", "format",
]);

/** Below a secret key, a key ending in one of these (or in a metadata word) stays readable. */
const CONNECTION_WORDS = new Set(["user", "username", "host", "hostname", "port", "database", "region", "email"]);

/** The label of a `{name, value}` / `{key, value}` entry. */
export const LABEL_KEYS = ["name", "Name", "key", "Key"];
export const VALUE_KEYS = new Set(["value", "Value"]);

const keyVerdicts = new Map<string, boolean>();

/** Split a key into lower-case words: `DB_PASSWORD` → [db, password], `apiKeyId` → [api, key, id]. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

function isSecretWord(word: string): boolean {
  return SECRET_WORDS.has(word) || SECRET_SUFFIXES.some((suffix) => word.endsWith(suffix));
}

/** Whether the value under `key` is a secret (see the module comment for the rules). */
export function isSensitiveKey(key: string): boolean {
  const known = keyVerdicts.get(key);
  if (known !== undefined) return known;
  const words = keyWords(key);
  let verdict = false;
  const last = words[words.length - 1];
  if (last !== undefined && !METADATA_WORDS.has(last)) {
    verdict = words.some((word, i) => isSecretWord(word) || (i > 0 && SECRET_PAIRS.has(`${words[i - 1]} ${word}`)));
  }
  if (keyVerdicts.size < 10_000) keyVerdicts.set(key, verdict);
  return verdict;
}

/** Below a secret key: whether `key` describes the secret (and so stays readable) rather than holds it. */
export function isDescriptiveKey(key: string): boolean {
  const last = keyWords(key).at(-1);
  return last !== undefined && (METADATA_WORDS.has(last) || CONNECTION_WORDS.has(last));
}
