/**
 * The MCP result redactor: secrets out of every value a non-sensitive tier returns. The `read` and
 * `write` servers are both mutation-aware and secret-free (MISSION.md "Tiers"), so their results and
 * error messages pass through here on the way out (`mcp/result.ts`), and so do log lines (`log.ts`).
 * One mechanism in two parts: structural rules over values, and one free-text scanner (redact_text.ts,
 * its rules as data in secret_formats.ts) applied to EVERY string that leaves, keys included.
 *
 * Names (secret_keys.ts) are matched after folding (NFKC, confusable look-alikes, invisible and
 * format characters removed), so `pаssword` (Cyrillic а), fullwidth `ＰＡＳＳＷＯＲＤ` and `pass\u200bword`
 * are `password`. A name is a secret when:
 * - one of its words names one (`password`, `passwd`, `pwd`, `passphrase`, `passcode`, `secret`, `token`,
 *   `credential(s)`, `authorization`, `cookie`, `apiKey`/`api_key`, `accessKey`, `secretKey`, `privateKey`,
 *   `dsn`, plural forms too, and words ending in one of the longer ones: `PGPASSWORD`, `csrftoken`), in
 *   any case and spelling (camelCase, snake_case, kebab-case, `DB_PASSWORD`, `pass_word`);
 * - two of its words do (`api key`, `signing key`, `connection string`, …), or it ends `<datastore> url`
 *   (`DATABASE_URL`, `REDIS_URL`), or it is an environment variable `FOO_KEY` (not `PUBLIC_KEY`,
 *   `PRIMARY_KEY`, …), or it is exactly `key`, `auth`, `pass` or `pw`;
 * - and its LAST word is not metadata (`passwordUpdatedAt`, `tokenExpiresAt`, `secretName`, `apiKeyId`,
 *   `tokenType`, `credentialsCount`: not secrets, their values keep their type).
 *
 * Structure (`redactSensitive`), at any depth up to 64 levels (deeper: "[truncated: too deep]"):
 * - the value of a secret-named key, and everything below it, except what a key says is a description
 *   rather than the secret (metadata words, a connection's `user`/`host`/`port`/`database`, the label of
 *   an entry), so `secrets: [{name, value, updatedAt}]` still shows names and dates;
 * - in a name/value entry (`{name|key|id|field|param…: <label>, value|val|data|message|error…: …}`),
 *   the value when the label names a secret (`{name: "JWT_SIGNING_KEY", value: S}`,
 *   `{field: "password", message: "S is too weak"}`) or the entry says it is secret (`secret: true`,
 *   `sensitive: true`, `type: "secret"`); the label stays readable;
 * - in a table (`{columns: ["user", "password"], rows: [["bob", S]]}`), every row's cell under a
 *   secret-named column;
 * - in an array, the element after a flag naming a secret (`["--password", S]`), the flags a client
 *   takes its password in (`["redis-cli", "-a", S]`, `["mysql", "-pS"]`), and the second of a
 *   `[name, value]` pair whose name is a secret (`[["password", S]]`);
 * - a KEY that is itself a secret (a known token format, or a long random-looking string) becomes
 *   "[redacted]", and a key whose text holds one is redacted like any text; colliding keys are told
 *   apart in order: "[redacted]", "[redacted-2]", …;
 * - every other string, and every key, through the text scanner.
 *
 * Free text (`redactText`: error messages, hints, progress, log lines, and each string above):
 * - PEM private key blocks, whole; known secret formats anywhere (JWTs, AWS access key ids, GitHub,
 *   GitLab, Slack, Stripe, OpenAI, npm and Vault tokens, `runos_pat_…`, the sandbox's own secrets);
 * - URL credentials: `scheme://user:[redacted]@host` (up to the LAST `@` before whitespace, so a
 *   password holding `/`, `?`, `#` or `@` goes too), and `scheme://[redacted]@host` when the userinfo has
 *   no colon (a token as the user name; plain user names go too, by design); signed-URL query
 *   parameters (`?sig=`, `X-Amz-Signature=`, `X-Amz-Credential=`, `token=`, `key=`, …);
 * - `Bearer …`/`Basic …` credentials; `Authorization:` keeps its scheme, `Cookie:`/`Set-Cookie:` go to
 *   the end of the line;
 * - `key=value`, `key: value`, `key := value`, `"key": "value"`, `{\"key\":\"value\"}` (escaped JSON),
 *   `<key>value</key>` and `<input name="password" value="S">` pairs whose key is a secret by the SAME
 *   rule as above. A quoted value goes whole; an unquoted one up to whitespace, `&`, `;`, `,` or a quote;
 *   a `{…}`/`[…]` one is redacted as a secret-keyed JSON value (or whole, if not JSON);
 * - prose: a secret's name followed by spaces, parentheses or markup, optionally `is`/`was`/…, then a
 *   value (`password is S`, `(password S)`, `using token S`, `--password S`, `AUTH S`), unless that
 *   value is a word prose puts there (`password is too short`, `token expired`) or an environment
 *   variable's name (`secret STRIPE_KEY`): an unknown word is over-redacted, by design;
 * - command lines of clients taking a password in a short flag (`redis-cli -a S`, `mysql -pS`,
 *   `sshpass -p S`, `curl -u bob:S`, `AUTH user S`);
 * - JSON inside text gets the structural rules too (replaced by its compact redacted form when they
 *   hide more than the text rules did).
 *
 * Decisions that keep results usable (documented in the tests):
 * - Booleans and null are never replaced (`hasPassword: true`, `secret: true` say nothing secret), and
 *   numbers only under a secret name (a PIN), so a redacted result keeps its shape; a secret string or
 *   number becomes the string "[redacted]".
 * - Text scanning is linear: no pattern here can backtrack catastrophically, and every scan moves on.
 */
import {
  COLUMN_NAMES,
  isDescriptiveKey,
  isSensitiveKey,
  keyRole,
  LABEL_NAMES,
  MESSAGE_NAMES,
  REDACTED,
  ROW_NAMES,
  VALUE_NAMES,
} from "./secret_keys.ts";
import { argvSecrets } from "../policy/command_line.ts";
import { isPlainProse, looksLikeSecretToken } from "./secret_formats.ts";
import { type JsonRedactor, redactTextWith } from "./redact_text.ts";

export { isSensitiveKey, REDACTED };

/** How deep `redactSensitive` walks; anything deeper is replaced by {@link TOO_DEEP}. */
export const MAX_DEPTH = 64;
/** What replaces a value nested deeper than {@link MAX_DEPTH}. */
export const TOO_DEEP = "[truncated: too deep]";

const JSON_IN_TEXT: JsonRedactor = {
  secret: (value) => redactValue(value, "secret", []),
  plain: (value) => redactValue(value, "plain", []),
};

/**
 * Redact secrets inside free text: an error message, a log line, a connection string (rules in the
 * module comment). Pure and linear in the length of the text.
 */
export function redactText(text: string): string {
  return redactTextWith(text, JSON_IN_TEXT);
}

/**
 * A deep copy of `value` with every secret replaced by "[redacted]" (rules in the module comment).
 * Pure: the input is never modified. Cycles are cut (a repeated object becomes "[circular]"), and so is
 * nesting deeper than {@link MAX_DEPTH} levels, so no input can overflow the stack here or in the
 * `JSON.stringify` that follows.
 */
export function redactSensitive<T>(value: T): T {
  return redactValue(value, "plain", []) as T;
}

/**
 * How a value is treated: `plain` (only what its keys and text reveal is redacted), `secret` (below a
 * secret key: every string and number, except under descriptive keys), `label` (a descriptive key below
 * a secret key: its strings and numbers stay, its objects are still secret).
 */
type Mode = "plain" | "secret" | "label";

/** `ancestors`: the objects being copied, outermost first (their count is the depth; a repeat is a cycle). */
function redactValue(value: unknown, mode: Mode, ancestors: object[]): unknown {
  if (typeof value === "string") return mode === "secret" ? REDACTED : redactText(value);
  if (typeof value === "number" || typeof value === "bigint") return mode === "secret" ? REDACTED : value;
  if (value === null || typeof value !== "object") return value;
  const depth = ancestors.length;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  for (let i = 0; i < depth; i++) if (ancestors[i] === value) return "[circular]";
  ancestors.push(value);
  const copy = Array.isArray(value) ? redactArray(value, mode, ancestors) : redactRecord(value as Record<string, unknown>, mode, ancestors);
  ancestors.pop();
  return copy;
}

/** What a key is, computed once per distinct key. */
interface KeyInfo {
  readonly sensitive: boolean;
  readonly descriptive: boolean;
  readonly label: boolean;
  readonly value: boolean;
  readonly message: boolean;
  readonly columns: boolean;
  readonly rows: boolean;
  /** The key as it leaves; undefined when the key itself is a secret. */
  readonly out: string | undefined;
}

const keyInfos = new Map<string, KeyInfo>();

function keyInfo(key: string): KeyInfo {
  const known = keyInfos.get(key);
  if (known !== undefined) return known;
  const info: KeyInfo = {
    sensitive: isSensitiveKey(key),
    descriptive: isDescriptiveKey(key),
    label: keyRole(key, LABEL_NAMES),
    value: keyRole(key, VALUE_NAMES),
    message: keyRole(key, MESSAGE_NAMES),
    columns: keyRole(key, COLUMN_NAMES),
    rows: keyRole(key, ROW_NAMES),
    out: looksLikeSecretToken(key) ? undefined : redactText(key),
  };
  if (keyInfos.size < 10_000) keyInfos.set(key, info);
  return info;
}

/** Whether an entry says its value is secret, or names a secret in one of its label keys. */
function declaresSecret(record: Record<string, unknown>, keys: readonly string[], infos: readonly KeyInfo[]): boolean {
  if (
    record.secret === true || record.sensitive === true || record.isSecret === true ||
    record.type === "secret" || record.kind === "secret"
  ) return true;
  for (let i = 0; i < keys.length; i++) {
    const label = infos[i]!.label ? record[keys[i]!] : undefined;
    if (typeof label === "string" && isSensitiveKey(label)) return true;
  }
  return false;
}

/** The name of a table column given as a string or as `{name|column|field|key: …}`. */
function columnName(column: unknown): string | undefined {
  if (typeof column === "string") return column;
  if (typeof column !== "object" || column === null) return undefined;
  const record = column as Record<string, unknown>;
  const name = record.name ?? record.column ?? record.field ?? record.key;
  return typeof name === "string" ? name : undefined;
}

/** The positions of a table's columns whose names are secrets, if `record` is a table with any. */
function secretColumns(record: Record<string, unknown>, keys: readonly string[], infos: readonly KeyInfo[]): Set<number> | undefined {
  let secret: Set<number> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const columns = infos[i]!.columns ? record[keys[i]!] : undefined;
    if (!Array.isArray(columns)) continue;
    for (let index = 0; index < columns.length; index++) {
      const name = columnName(columns[index]);
      if (name !== undefined && isSensitiveKey(name)) (secret ??= new Set()).add(index);
    }
  }
  return secret;
}

function redactRecord(record: Record<string, unknown>, mode: Mode, ancestors: object[]): Record<string, unknown> {
  const keys = Object.keys(record);
  const infos: KeyInfo[] = new Array(keys.length);
  let hasValue = false;
  let hasMessage = false;
  let hasColumns = false;
  let renamed = false;
  for (let i = 0; i < keys.length; i++) {
    const info = keyInfo(keys[i]!);
    infos[i] = info;
    if (info.value) hasValue = true;
    if (info.message) hasMessage = true;
    if (info.columns) hasColumns = true;
    if (info.out !== keys[i]) renamed = true;
  }
  const inSecret = mode !== "plain";
  const secretEntry = (hasValue || hasMessage) && !inSecret && declaresSecret(record, keys, infos);
  const columns = hasColumns && !inSecret ? secretColumns(record, keys, infos) : undefined;
  const copy: Record<string, unknown> = {};
  let redactedKeys = 0;
  let originals: Set<string> | undefined; // names a redacted key must not take, built when one is needed
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const info = infos[i]!;
    const item = record[key];
    let itemMode: Mode;
    if (info.label && (hasValue || hasMessage)) itemMode = inSecret ? "label" : "plain";
    else if (info.sensitive) itemMode = "secret";
    else if (info.value && (inSecret || secretEntry)) itemMode = "secret";
    else if (info.message && secretEntry) itemMode = typeof item === "string" && isPlainProse(item) ? "plain" : "secret";
    else if (!inSecret) itemMode = "plain";
    else itemMode = info.descriptive ? "label" : "secret";
    const safe = columns !== undefined && info.rows && Array.isArray(item)
      ? redactRows(item, columns, ancestors)
      : redactValue(item, itemMode, ancestors);
    let out = info.out;
    if (renamed && (out === undefined || Object.hasOwn(copy, out))) {
      originals ??= new Set(keys.filter((other, j) => infos[j]!.out === other));
      do {
        redactedKeys++;
        out = redactedKeys === 1 ? REDACTED : `[redacted-${redactedKeys}]`;
      } while (Object.hasOwn(copy, out) || originals.has(out));
    }
    if (out === "__proto__") Object.defineProperty(copy, out, { value: safe, enumerable: true, writable: true, configurable: true });
    else copy[out!] = safe;
  }
  return copy;
}

/** A table's rows: each array row's cells under a secret column are secret. */
function redactRows(rows: readonly unknown[], columns: ReadonlySet<number>, ancestors: object[]): unknown[] {
  const copy: unknown[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (!Array.isArray(row)) {
      copy[r] = redactValue(row, "plain", ancestors);
      continue;
    }
    const cells: unknown[] = new Array(row.length);
    for (let c = 0; c < row.length; c++) cells[c] = redactValue(row[c], columns.has(c) ? "secret" : "plain", ancestors);
    copy[r] = cells;
  }
  return copy;
}

function redactArray(items: readonly unknown[], mode: Mode, ancestors: object[]): unknown[] {
  const copy: unknown[] = new Array(items.length);
  const first = items[0];
  const replaced = new Map<number, string>();
  const tainted = mode !== "secret" && typeof first === "string" ? argvSecrets(items, first, replaced) : undefined;
  for (let i = 0; i < items.length; i++) {
    const text = replaced.size > 0 ? replaced.get(i) : undefined;
    copy[i] = text !== undefined ? redactText(text) : redactValue(items[i], tainted?.has(i) ? "secret" : mode, ancestors);
  }
  return copy;
}
