/**
 * Which names name a secret: one rule for object keys, the labels of name/value entries, table column
 * names, argv flags and the keys found in free text (redact.ts, redact_text.ts), so they cannot drift
 * apart. Names are folded first (`foldName`): compatibility forms (fullwidth `ＰＡＳＳＷＯＲＤ`, math
 * letters), confusable look-alikes (a Cyrillic `а` in `pаssword`), combining marks and invisible format
 * characters (zero-width spaces and joiners, soft hyphens, bidi controls) never hide a secret word.
 * The word lists and their reasons are in redact.ts's module comment.
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
  "passcode",
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
  "cookie",
  "cookies",
  "kubeconfig",
]);

/** A single word ending in one of these also names a secret (`pgpassword`, `csrftoken`, `clientsecret`). */
const SECRET_SUFFIXES = [...SECRET_WORDS].filter((word) => word.length >= 5);

/** Words that name a secret only when they are the whole name: `{key: …}`, `{auth: …}`, `pass=…`. */
const WHOLE_NAME_SECRETS = new Set(["key", "auth", "pass", "pw"]);

/** Two-word spellings of a secret (`api_key`, `privateKey`, `JWT_SIGNING_KEY`). */
export const SECRET_PAIRS = new Set([
  "api key", "api keys", "access key", "secret key", "private key", "secret access", "auth key", "auth token",
  "signing key", "encryption key", "master key", "session key", "ssh key", "client key", "setup key",
  "join token", "bootstrap token",
]);

/**
 * A name ending `<datastore> url` is how an app receives its credentials (`DATABASE_URL`): a secret as
 * a whole. A generic `connectionString`/`url` is not: only the credentials inside it go (text rules).
 */
const DATASTORE_WORDS = new Set([
  "database", "db", "postgres", "postgresql", "pg", "mysql", "mariadb", "mongo", "mongodb", "redis", "valkey",
  "memcached", "amqp", "rabbitmq", "broker", "cache", "minio", "s3", "kafka", "nats", "elasticsearch",
  "clickhouse", "jdbc", "sql",
]);
const URL_WORDS = new Set(["url", "uri", "urls", "uris"]);

/** `FOO_KEY` (an environment variable's spelling) is a secret unless its first part says otherwise. */
const NON_SECRET_KEY_QUALIFIERS = new Set([
  "public", "primary", "foreign", "sort", "partition", "cache", "idempotency", "routing", "shard", "row",
  "hash", "lookup", "object", "group", "map", "index", "unique", "composite", "natural", "surrogate",
]);

/** A key ending in one of these words describes a secret without holding it. */
export const METADATA_WORDS = new Set([
  "at", "time", "date", "timestamp", "created", "updated", "rotated", "expires", "expiry", "expiration",
  "ttl", "age", "count", "length", "id", "ids", "name", "names", "type", "kind", "prefix", "suffix", "hint",
  "policy", "enabled", "required", "set", "present", "configured", "ref", "version", "status", "path",
  "file", "env", "scope", "scopes", "last4", "fingerprint", "description", "label", "url", "uri", "endpoint",
  "method", "mode", "strength", "rules", "format",
]);

/** Below a secret key, a key ending in one of these (or in a metadata word) stays readable. */
const CONNECTION_WORDS = new Set(["user", "username", "host", "hostname", "port", "database", "region", "email"]);

/** The label of a name/value entry (`{name, value}`, `{key, val}`, `{field, message}`), as folded words. */
export const LABEL_NAMES = new Set([
  "name", "key", "id", "field", "param", "parameter", "variable", "var", "env", "header", "property",
  "attribute", "setting", "option", "field name", "param name", "variable name", "env var", "header name",
]);
/** The value of such an entry: tainted when the label names a secret. */
export const VALUE_NAMES = new Set(["value", "val", "data", "content", "default", "example", "raw", "plaintext"]);
/** A message about such an entry: tainted too, unless it is plain prose (`must be at least 12 characters`). */
export const MESSAGE_NAMES = new Set(["message", "msg", "error", "detail", "reason", "text", "hint"]);
/** Keys of a table's column names and of its rows (`{columns: ["user", "password"], rows: [[…]]}`). */
export const COLUMN_NAMES = new Set(["columns", "cols", "fields", "headers", "header", "column names"]);
export const ROW_NAMES = new Set(["rows", "data", "values", "records", "results", "tuples"]);

/**
 * Look-alikes of Latin letters (Unicode's confusables for the scripts a key is usually disguised with:
 * Cyrillic, Greek, Armenian, a few Latin extensions), folded to the letter they imitate.
 */
const CONFUSABLES: Readonly<Record<string, string>> = {
  "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
  "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w",
  "һ": "h", "ӏ": "l", "ь": "b", "ԍ": "g", "ү": "y", "ɡ": "g", "ɑ": "a", "ı": "i", "ȷ": "j", "ɩ": "i",
  "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
  "Х": "X", "У": "Y", "Ѕ": "S", "І": "I", "Ј": "J", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W", "Һ": "H", "Ӏ": "I",
  "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
  "χ": "x", "ω": "w", "ϲ": "c", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K",
  "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C",
  "օ": "o", "ս": "u", "ո": "n", "հ": "h", "ց": "g", "ք": "q", "Տ": "S", "Օ": "O",
};
const CONFUSABLE = new RegExp(`[${Object.keys(CONFUSABLES).join("")}]`, "g");
/** Invisible characters (format controls), combining marks and Hangul fillers: removed from names. */
const INVISIBLE = /[\p{Cf}\p{M}\u115f\u1160\u3164\uffa0]/gu;

/** Whether every character of `text` is ASCII. */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

/**
 * A name as it reads: NFKC compatibility folding (done as NFKD, so combining marks can go too),
 * invisible and format characters removed, confusable look-alikes mapped to the Latin letter they
 * imitate. ASCII names are returned as they are.
 */
export function foldName(name: string): string {
  if (isAscii(name)) return name;
  return name.normalize("NFKD").replace(INVISIBLE, "").replace(CONFUSABLE, (c) => CONFUSABLES[c]!).normalize("NFKC");
}

/** Split a (folded) key into lower-case words: `DB_PASSWORD` → [db, password], `apiKeyId` → [api, key, id]. */
export function keyWords(key: string): string[] {
  return foldName(key)
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** Whether one word names a secret by itself (a secret word, or a word ending in a long one). */
export function isSecretWord(word: string): boolean {
  return SECRET_WORDS.has(word) || SECRET_SUFFIXES.some((suffix) => word.endsWith(suffix));
}

const ENV_STYLE = /^[A-Z0-9]+(?:_[A-Z0-9]+)+$/;

function nameVerdict(key: string): boolean {
  const words = keyWords(key);
  const last = words[words.length - 1];
  if (last === undefined) return false;
  if (words.length === 1 && WHOLE_NAME_SECRETS.has(last)) return true;
  const previous = words[words.length - 2];
  if (previous !== undefined && URL_WORDS.has(last) && DATASTORE_WORDS.has(previous)) return true;
  if (METADATA_WORDS.has(last)) return false;
  if (words.some((word, i) => isSecretWord(word) || (i > 0 && SECRET_PAIRS.has(`${words[i - 1]} ${word}`)))) return true;
  if (words.length > 1 && isSecretWord(words.join(""))) return true; // `pass_word`, `api_Key`
  return last === "key" && previous !== undefined && !NON_SECRET_KEY_QUALIFIERS.has(previous) && ENV_STYLE.test(foldName(key));
}

const keyVerdicts = new Map<string, boolean>();

/** Whether the value under `key` (or named `key`) is a secret (see the module comment for the rules). */
export function isSensitiveKey(key: string): boolean {
  const known = keyVerdicts.get(key);
  if (known !== undefined) return known;
  const verdict = key.length <= 256 && nameVerdict(key);
  if (keyVerdicts.size < 10_000) keyVerdicts.set(key, verdict);
  return verdict;
}

/** Below a secret key: whether `key` describes the secret (and so stays readable) rather than holds it. */
export function isDescriptiveKey(key: string): boolean {
  const last = keyWords(key).at(-1);
  return last !== undefined && (METADATA_WORDS.has(last) || CONNECTION_WORDS.has(last));
}

/** The role of a key in its object, by its folded words (`LABEL_NAMES`, `VALUE_NAMES`, …). */
export function keyRole(key: string, names: ReadonlySet<string>): boolean {
  if (key.length > 64) return false;
  return names.has(keyWords(key).join(" "));
}
