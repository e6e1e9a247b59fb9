/**
 * Pure: an HTTP status, headers and body text → the parsed value, or the typed error RunOS meant.
 * RunOS errors are `{"error", "statusCode", …}`, sometimes sent with HTTP 200; 401 may carry `reason`,
 * 409 `dependents[]`, 422 `fields[]`, 429 a `Retry-After` header.
 */
import {
  ApiError,
  ConflictError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type RunosError,
  ValidationError,
} from "../errors.ts";
import { isSensitiveKey } from "../redact/secret_keys.ts";
import { LOGIN_HINT, tokenRefused } from "./login_hint.ts";
import { type ClientOrigin, notTheApiHint } from "./origin.ts";

/** A PostgreSQL error code (SQLSTATE): five digits or capitals, e.g. `42601` for a syntax error. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/** What the transport received. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** A field error: `{name, message}`, or `{field, message}` as some APIs spell it (then `name` is the `field`). */
export interface FieldError {
  readonly name: string;
  readonly field?: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

/** An API error body. */
export interface Envelope {
  readonly error: string;
  readonly statusCode?: number;
  readonly reason?: string;
  readonly code?: string;
  readonly dependents?: ReadonlyArray<{ readonly type?: string; readonly id?: string; readonly name?: string; readonly alias?: string; readonly [key: string]: unknown }>;
  readonly fields?: readonly FieldError[];
  readonly retryAfter?: number;
  readonly [key: string]: unknown;
}

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Every key of `value` named in `keys` holds a string or nothing. */
function optionalStrings(value: Json, keys: readonly string[]): boolean {
  return keys.every((key) => value[key] === undefined || typeof value[key] === "string");
}

/** `statusCode` as a number, read as `Number()` reads it (`"404"` is 404, `null` is 0); not a safe integer: none. */
function statusCodeOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  let coerced: number;
  try {
    coerced = Number(value);
  } catch {
    return undefined; // a value Number() cannot read (a symbol, an object whose valueOf throws)
  }
  return Number.isSafeInteger(coerced) ? coerced : undefined;
}

/**
 * The error envelope `value` is, or undefined when it is none (no string `error`). Only `error` is
 * required; a malformed optional part is dropped rather than making the whole body "not an error"
 * (which, with HTTP 200, would pass an error off as data). Every other key is kept. Written out rather
 * than as a schema so that reading an answer loads no schema library: a call's path stays light
 * (tests/api/response_envelope_test.ts holds it to the schema it replaces).
 */
export function readEnvelope(value: unknown): Envelope | undefined {
  if (!isPlainObject(value) || typeof value.error !== "string") return undefined;
  const { dependents, fields, retryAfter } = value;
  const validDependents = Array.isArray(dependents) && dependents.every((entry) => isPlainObject(entry) && optionalStrings(entry, ["type", "id", "name", "alias"]));
  const validFields = Array.isArray(fields) && fields.every((entry) => isPlainObject(entry) && typeof entry.message === "string" && optionalStrings(entry, ["name", "field"]));
  const read: Record<keyof Envelope & string, () => unknown> = {
    error: () => value.error,
    statusCode: () => statusCodeOf(value.statusCode),
    reason: () => (typeof value.reason === "string" ? value.reason : undefined),
    code: () => (typeof value.code === "string" ? value.code : undefined),
    dependents: () => (validDependents ? (dependents as Json[]).map((entry) => ({ ...entry })) : undefined),
    fields: () => (validFields ? (fields as Json[]).map((entry) => ({ ...entry, name: entry.name ?? entry.field ?? "" })) : undefined),
    retryAfter: () => (typeof retryAfter === "number" && Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined),
  };
  // A key the body has stays (undefined when malformed); a key it lacks stays out.
  const envelope: Json = { ...value };
  for (const [key, of] of Object.entries(read)) if (key in value) envelope[key] = of();
  return envelope as Envelope;
}

export { LOGIN_HINT };

/**
 * Interpret a response: the JSON value of a success (null for an empty body or 304), else throw the
 * typed error. `where` (e.g. `GET /acme/clusters`) goes into messages; it must not contain secrets.
 */
export function interpretResponse(raw: RawResponse, where: string, nowMs: number = Date.now(), origin: ClientOrigin = {}): unknown {
  if (raw.status === 304) return null;
  const value = parseBody(raw, where, origin);
  if (raw.status >= 200 && raw.status < 300) {
    const envelope = readEnvelope(value);
    if (envelope?.statusCode !== undefined && envelope.statusCode >= 400) throw errorFor(envelope.statusCode, envelope, raw.headers, where, nowMs, origin);
    return value;
  }
  const body: Envelope = readEnvelope(value) ?? { error: fallbackMessage(raw.status, value) };
  throw errorFor(raw.status, body, raw.headers, where, nowMs, origin);
}

/** Deepest nesting accepted in an API answer; past it the answer is refused, not walked. */
export const MAX_RESPONSE_DEPTH = 64;

/** How deep `text`'s JSON nests, read off its brackets (strings skipped) without building anything. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x7d || char === 0x5d) depth--;
  }
  return deepest;
}

function parseBody(raw: RawResponse, where: string, origin: ClientOrigin): unknown {
  if (raw.text.trim() === "") return null;
  const depth = jsonDepth(raw.text);
  if (depth > MAX_RESPONSE_DEPTH) {
    throw new ApiError(`the RunOS API sent an answer nested ${depth} levels deep (${where}, HTTP ${raw.status}); runos reads at most ${MAX_RESPONSE_DEPTH}`, {
      status: raw.status,
      hint: notTheApiHint(origin.url),
    });
  }
  try {
    return JSON.parse(raw.text);
  } catch {
    if (raw.status >= 200 && raw.status < 300) {
      throw new ApiError(`the RunOS API sent a body that is not JSON (${where}, HTTP ${raw.status})`, {
        status: raw.status,
        hint: notTheApiHint(origin.url),
      });
    }
    return errorBodyText(raw.text);
  }
}

/** How much of a non-JSON error body goes into a message. */
const ERROR_BODY_CHARS = 200;

/**
 * A non-JSON error body (plain text, an HTML error page) as a short message: markup and entities
 * turned into text, whitespace folded, cut at a word boundary so no word (a URL, a `key=value`, a
 * token) is cut in half where the redactor could no longer recognise it.
 */
export function errorBodyText(body: string): string {
  let text = cutAtWord(body, 8192);
  if (/<[A-Za-z!/][^<>]*>/.test(text)) {
    text = text
      .replace(/<(script|style)\b[^<>]*>[^<]*(?:<(?!\/\1)[^<]*)*<\/\1\s*>/gi, " ")
      .replace(/<[^<>]*>/g, " ")
      .replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (entity, name: string) => decodeEntity(name) ?? entity);
  }
  return cutAtWord(text.replace(/\s+/g, " ").trim(), ERROR_BODY_CHARS);
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", equals: "=", colon: ":" };

function decodeEntity(name: string): string | undefined {
  if (name[0] !== "#") return NAMED_ENTITIES[name.toLowerCase()];
  const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

/** `text` up to `max` characters, cut after its last whole word; a first word longer than that is left out. */
function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const space = text.slice(0, max + 1).search(/\s\S*$/);
  return space > 0 ? `${text.slice(0, space)} …` : `(${text.length} characters without a space)`;
}

function fallbackMessage(status: number, value: unknown): string {
  const text = typeof value === "string" && value.trim() !== "" ? `: ${value.trim()}` : "";
  return `HTTP ${status}${text}`;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
/** The three HTTP-date forms (RFC 9110 §5.6.7): IMF-fixdate, obsolete RFC 850 and asctime. */
const IMF_FIXDATE = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC_850 = /^[A-Za-z]{6,9}, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME = /^[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/** An HTTP-date as milliseconds since the epoch, or undefined when it is not one. */
function parseHttpDate(text: string): number | undefined {
  let parts: [day: string, month: string, year: string, hour: string, minute: string, second: string] | undefined;
  let match = IMF_FIXDATE.exec(text);
  if (match !== null) parts = [match[1]!, match[2]!, match[3]!, match[4]!, match[5]!, match[6]!];
  else if ((match = RFC_850.exec(text)) !== null) {
    const year = Number(match[3]);
    parts = [match[1]!, match[2]!, String(year < 70 ? 2000 + year : 1900 + year), match[4]!, match[5]!, match[6]!];
  } else if ((match = ASCTIME.exec(text)) !== null) parts = [match[2]!.trim(), match[1]!, match[6]!, match[3]!, match[4]!, match[5]!];
  if (parts === undefined) return undefined;
  const month = MONTHS.indexOf(parts[1].toLowerCase());
  const [day, year, hour, minute, second] = [parts[0], parts[2], parts[3], parts[4], parts[5]].map(Number) as [number, number, number, number, number];
  if (month < 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  return Date.UTC(year, month, day, hour, minute, second);
}

/**
 * Seconds from a Retry-After header: delta-seconds (digits only) or an HTTP-date, relative to
 * `nowMs`. Anything else (`-5`, `1.5`, `soon`, a date in another format) is not usable: undefined,
 * so the caller falls back to its own backoff.
 */
export function parseRetryAfter(header: string | null, nowMs: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d{1,9}$/.test(value)) return Number(value);
  const date = parseHttpDate(value);
  return date === undefined ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/**
 * Build the typed error for a status and its envelope; `nowMs` reads an HTTP-date Retry-After, and
 * `origin` says whose token a 401 refused.
 */
export function errorFor(status: number, envelope: Envelope, headers: Headers, where: string, nowMs: number = Date.now(), origin: ClientOrigin = {}): RunosError {
  const { error, statusCode: _statusCode, ...extra } = envelope;
  const details: Record<string, unknown> = { status, ...extra };
  switch (status) {
    case 401:
      return tokenRefused(error, envelope.reason, details, origin.token);
    case 403:
      return new PermissionDeniedError(`permission denied by the RunOS API: ${error}`, {
        hint: "check that your token's account has access to this resource",
        details,
      });
    case 404:
      return new NotFoundError(`not found: ${error}`, { hint: "check the id (list the resources to see what exists)", details });
    case 409: {
      const dependents = envelope.dependents ?? [];
      const list = dependents.map((d) => [d.type, d.id, d.name === undefined ? undefined : `(${d.name})`].filter(Boolean).join(" "));
      // Many APIs already name the dependents in the message; add them only when it does not.
      const named = dependents.every((d) => error.includes(d.name ?? d.id ?? "\u0000"));
      const suffix = list.length > 0 && !named ? `; still used by: ${list.join(", ")}` : "";
      return new ConflictError(`conflict: ${error}${suffix}`, {
        hint: list.length > 0 ? "remove or reconfigure the dependents first, then retry" : "check the resource's current state and retry",
        details,
      });
    }
    case 400:
    case 422: {
      // A secret field's message may echo the secret ("S is too weak"): it is quoted, so the redactor
      // takes it whole as that field's value (and keeps it when it is plain prose).
      const shown = (f: { name: string; message: string }) => (isSensitiveKey(f.name) ? JSON.stringify(f.message) : f.message);
      let message = error;
      for (const f of envelope.fields ?? []) if (isSensitiveKey(f.name) && f.message !== "") message = message.split(f.message).join(shown(f));
      const fields = (envelope.fields ?? []).filter((f) => !error.includes(f.message));
      const suffix = fields.length > 0 ? `: ${fields.map((f) => `${f.name}: ${shown(f)}`).join("; ")}` : "";
      // PostgreSQL's "read-only transaction" (SQLSTATE 25006): the statement writes, arguments are fine.
      // Any other SQLSTATE is the SQL's own error; without a field list nothing is "listed".
      const hint = envelope.code === "25006" || /read-only transaction/i.test(error)
        ? "this statement changes data: it needs read-write mode (`--read-write --yes` in the CLI; on the `runos-write` server, `readWrite: true`, confirmed with the token its preview answers)"
        : (envelope.fields ?? []).length > 0
        ? "fix the listed arguments and retry"
        : envelope.code !== undefined && SQLSTATE.test(envelope.code)
        ? "the database refused the SQL: correct the statement and retry"
        : "correct what the message names and retry";
      return new ValidationError(`invalid input: ${message}${suffix}`, { hint, details });
    }
    case 429: {
      const retryAfterSeconds = parseRetryAfter(headers.get("retry-after"), nowMs) ?? envelope.retryAfter;
      const wait = retryAfterSeconds === undefined ? "" : ` (retry after ${retryAfterSeconds} s)`;
      return new RateLimitError(`rate limited by the RunOS API${wait}: ${error}`, {
        hint: "wait and retry",
        retryAfterSeconds,
        details,
      });
    }
    default: {
      // 503 may say when to come back, as 429 does (RFC 9110 §10.2.3).
      const retryAfterSeconds = status === 503 ? parseRetryAfter(headers.get("retry-after"), nowMs) : undefined;
      return new ApiError(`the RunOS API failed (HTTP ${status}, ${where}): ${error}`, {
        status,
        hint: status >= 500 ? "retry in a moment; the API may be briefly unavailable" : undefined,
        details: retryAfterSeconds === undefined ? details : { ...details, retryAfterSeconds },
      });
    }
  }
}
