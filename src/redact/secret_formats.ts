/**
 * The free-text redactor's rules as data (redact_text.ts runs them): known secret formats that are
 * redacted wherever they appear, the query parameters of signed URLs, the command-line clients whose
 * flags carry a password, and the words that may follow a secret's name in prose without being the
 * secret (`password is too short`). Changing what is redacted in text means changing a list here.
 */
import { isSensitiveKey } from "./secret_keys.ts";

/** A secret format recognised anywhere in text, whatever surrounds it. */
export interface TokenFormat {
  /** What it is, for readers and tests. */
  readonly name: string;
  /** A regular expression source without anchors or flags; it must not backtrack catastrophically. */
  readonly pattern: string;
}

/** Known secret formats: provider tokens, JWTs, cloud keys, and the fake API's (sandbox's) own secrets. */
export const TOKEN_FORMATS: readonly TokenFormat[] = [
  { name: "RunOS personal access token", pattern: "runos_(?:pat|sk|key|tok)_[A-Za-z0-9_-]+" },
  { name: "GitHub token", pattern: "gh[pousr]_[A-Za-z0-9]{20,}" },
  { name: "GitHub fine-grained token", pattern: "github_pat_[A-Za-z0-9_]{20,}" },
  { name: "GitLab token", pattern: "glpat-[A-Za-z0-9_-]{20,}" },
  { name: "Stripe secret or restricted key", pattern: "[sr]k_(?:live|test)_[A-Za-z0-9_]{6,}" },
  { name: "Stripe webhook secret", pattern: "whsec_[A-Za-z0-9]{16,}" },
  { name: "Slack token", pattern: "xox[abposr]-[A-Za-z0-9-]{10,}" },
  { name: "JWT", pattern: "eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*" },
  { name: "AWS access key id", pattern: "(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}(?![A-Za-z0-9])" },
  { name: "Google API key", pattern: "AIza[A-Za-z0-9_-]{35}" },
  { name: "OpenAI or Anthropic key", pattern: "sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}" },
  { name: "npm token", pattern: "npm_[A-Za-z0-9]{36}" },
  { name: "HashiCorp Vault token", pattern: "hv[sbr]\\.[A-Za-z0-9_-]{24,}" },
  { name: "DigitalOcean token", pattern: "do[opr]_v1_[a-f0-9]{64}" },
  { name: "sandbox PostgreSQL or Valkey password", pattern: "(?:pg|vk)-pass-[A-Za-z0-9-]+" },
  { name: "sandbox MinIO key", pattern: "minio-[as]k-[A-Za-z0-9-]+" },
  { name: "sandbox app secret", pattern: "(?:jwt-key|sess)-[a-z0-9]+-[A-Za-z0-9]{4,}" },
];

/** Every known format, for `String.replace`. The left edge must not continue a word. */
export const KNOWN_TOKENS = new RegExp(`(?<![A-Za-z0-9_-])(?:${TOKEN_FORMATS.map((format) => format.pattern).join("|")})`, "g");
const WHOLE_TOKEN = new RegExp(`^(?:${TOKEN_FORMATS.map((format) => format.pattern).join("|")})$`);

/** The starts of the formats above, literally (matched case-insensitively), for the redactor's cheap pre-filter. */
export const TOKEN_HINTS = [
  "runos_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "sk_", "rk_", "whsec_", "xox", "eyJ",
  ...["AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "APKA", "AROA", "ASCA"], "AIza", "sk-",
  "npm_", "hvs.", "hvb.", "hvr.", "doo_v1_", "dop_v1_", "dor_v1_", "-pass-", "minio-", "jwt-key-", "sess-",
];

/**
 * Query parameters whose value is a credential in a (signed) URL: `?sig=…`, `&X-Amz-Signature=…`.
 * Matched case-insensitively, only right after `?`, `&` or `;`.
 */
export const SIGNED_QUERY_PARAMS = new Set([
  "sig", "signature", "x-amz-signature", "x-amz-credential", "x-amz-security-token", "x-goog-signature",
  "x-goog-credential", "token", "access_token", "refresh_token", "id_token", "key", "api_key", "apikey",
  "secret", "client_secret", "password", "pass", "auth", "jwt",
]);

/** A command-line client and the flags that carry its password. */
export interface ClientCommand {
  readonly names: readonly string[];
  /** Flags whose next argument is the secret (`redis-cli -a S`). */
  readonly flags?: readonly string[];
  /** Flags the secret may be glued to (`mysql -pS`). */
  readonly attached?: readonly string[];
  /** Flags whose argument is `user:password` (`curl -u bob:S`): the part after the first colon goes. */
  readonly userPassword?: readonly string[];
  /** Every argument after the command is secret (Redis's `AUTH [user] password`). */
  readonly allArguments?: boolean;
  /** The name must be written exactly so (`AUTH`, not `auth` in prose). */
  readonly caseSensitive?: boolean;
}

/** Clients whose command lines carry passwords in short flags (long `--password S` is a plain pair). */
export const CLIENT_COMMANDS: readonly ClientCommand[] = [
  { names: ["redis-cli", "valkey-cli", "keydb-cli"], flags: ["-a", "--pass", "--user-pass"] },
  { names: ["mysql", "mysqldump", "mysqladmin", "mysqlimport", "mariadb", "mariadb-dump"], flags: ["-p"], attached: ["-p"] },
  { names: ["mongosh", "mongo", "mongodump", "mongorestore", "mongoexport", "mongoimport"], flags: ["-p"] },
  { names: ["sshpass"], flags: ["-p"], attached: ["-p"] },
  { names: ["curl", "wget"], userPassword: ["-u", "--user", "-U", "--proxy-user"] },
  { names: ["AUTH"], allArguments: true, caseSensitive: true },
];

/** Words between a secret's name and its value in prose: `password is S`, `token was S`. */
export const CONNECTORS = new Set(["is", "was", "are", "were", "equals", "now", "set", "to", "be"]);

/**
 * Words that may follow a secret's name in prose without being its value (`password authentication
 * failed`, `token expired`, `secret of app`). Any other word after a secret's name, separated only by
 * spaces, is taken for the secret: an unknown word is over-redacted rather than a secret shown.
 */
export const PROSE_WORDS = new Set(
  (
    "a an the this that these those it its and or but nor if then else so because for of to from in into on onto at " +
    "by with without within via per as than over under about after before between against through during upon " +
    "is are was were be been being has have had do does did done not no never none any all each every some " +
    "must should shall will would can cannot could may might need needs needed require requires required " +
    "missing invalid incorrect wrong bad weak strong short long too very empty blank unknown unset null " +
    "expired expires expiring expire expiry expiration revoked revoke rotated rotate rotation rotating reset " +
    "resets changed change changes changing updated update updates updating created create creates creating " +
    "deleted delete deletes deleting removed remove added add set unset saved save stored store stores found " +
    "mismatch mismatched match matches matched verified verify verification validation valid failed fail fails " +
    "failure error errors accepted rejected denied refused granted allowed forbidden used uses using use " +
    "given provided supplied sent received returned generated issued belongs belonging came comes leaves " +
    "contains value values field fields length policy hash hashed salt strength format authentication auth " +
    "authorization login logins logged prompt reveal revealed hidden redacted masked here there now again once " +
    "only also still yet already first new old current previous next last own same other ok okay please file " +
    "files env variable variables manager flow page form input entry list lists listed rules rule requirements " +
    "complexity history lifetime ttl type types name names id ids count limit endpoint scope scopes permission " +
    "permissions access refresh bearer header headers cookie cookies is expected unexpected protected " +
    "encrypted decrypted plain plaintext kept keep shown show hide visible secret secrets token tokens password " +
    "passwords key keys credential credentials required optional length characters chars digits letters " +
    "symbols minimum maximum min max least most contain include includes including reused reuse same differs " +
    "check checks checked checking rejected accepted mode level settings setting option options field-level " +
    "one two three four five six seven eight nine ten more less enough handling handler handlers service " +
    "services user users account accounts app apps api database cluster clusters node nodes job jobs server " +
    "character digit digits letter uppercase lowercase upper lower case special number numbers symbol common " +
    "username email previous dictionary word words sequence repeated repeating similar contains correct " +
    "disabled enabled blocked supported unsupported available unavailable absent ready active inactive " +
    "pending locked unlocked defined undefined specified unspecified recognized unrecognized malformed " +
    "truncated corrupt corrupted readable writable allowed spaces whitespace begin end start remaining left " +
    "total"
  ).split(" "),
);

/**
 * Whether text reads as a plain sentence of at least three prose words (and numbers or comparison
 * signs): `must be at least 12 characters`. A validation message about a secret field stays when it
 * is, and goes whole when any other word is in it (`S is too weak`).
 */
export function isPlainProse(text: string): boolean {
  if (text.length > 512) return false;
  const words = text.split(/[\s,;.:!?()"'`]+/).filter((word) => word !== "");
  return words.length >= 3 && words.every((word) => PROSE_WORDS.has(word.toLowerCase()) || /^[\d≥≤<>=%+-]+$/.test(word));
}

/** Whether a name in argv form (`--password`, `-token`) names a secret. */
export function isSecretFlag(argument: string): boolean {
  return /^--?[A-Za-z][\w.-]*$/.test(argument) && isSensitiveKey(argument.replace(/^-+/, ""));
}

const tokenVerdicts = new Map<string, boolean>();

/**
 * Whether a string, used as an object key, is itself a secret: a known format, or a long random-looking
 * run (20+ characters of a token alphabet mixing upper case, lower case and at least two digits, whose
 * character classes change often, as random text does and identifiers do not). UUIDs and hex digests
 * are identifiers, not secrets, and pass.
 */
export function looksLikeSecretToken(text: string): boolean {
  if (text.length < 16 || text.length > 512) return false;
  const known = tokenVerdicts.get(text);
  if (known !== undefined) return known;
  const verdict = WHOLE_TOKEN.test(text) || looksRandom(text);
  if (tokenVerdicts.size < 10_000) tokenVerdicts.set(text, verdict);
  return verdict;
}

function looksRandom(text: string): boolean {
  if (text.length < 20 || !/^[A-Za-z0-9+/=_.~-]+$/.test(text)) return false;
  let upper = 0, lower = 0, digits = 0, switches = 0, previous = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const kind = c >= 65 && c <= 90 ? 0 : c >= 97 && c <= 122 ? 1 : c >= 48 && c <= 57 ? 2 : 3;
    if (kind === 0) upper++;
    else if (kind === 1) lower++;
    else if (kind === 2) digits++;
    if (previous !== -1 && kind !== previous) switches++;
    previous = kind;
  }
  return upper > 0 && lower > 0 && digits >= 2 && switches * 3 >= text.length;
}
