/**
 * Pure: an HTTP status, headers and body text → the parsed value, or the typed error RunOS meant.
 * RunOS errors are `{"error", "statusCode", …}`, sometimes sent with HTTP 200; 401 may carry `reason`,
 * 409 `dependents[]`, 422 `fields[]`, 429 a `Retry-After` header.
 */
import { z } from "zod";
import {
  ApiError,
  AuthError,
  ConflictError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type RunosError,
  ValidationError,
} from "../errors.ts";
import { LOGIN_HINT } from "./login_hint.ts";

/** What the transport received. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

const EnvelopeSchema = z.looseObject({
  error: z.string(),
  statusCode: z.number().int().optional(),
  reason: z.string().optional(),
  code: z.string().optional(),
  dependents: z.array(z.looseObject({
    type: z.string().optional(),
    id: z.string().optional(),
    name: z.string().optional(),
    alias: z.string().optional(),
  })).optional(),
  fields: z.array(z.looseObject({ name: z.string(), message: z.string() })).optional(),
  retryAfter: z.number().optional(),
});
type Envelope = z.infer<typeof EnvelopeSchema>;

export { LOGIN_HINT };

/**
 * Interpret a response: the JSON value of a success (null for an empty body or 304), else throw the
 * typed error. `where` (e.g. `GET /acme/clusters`) goes into messages; it must not contain secrets.
 */
export function interpretResponse(raw: RawResponse, where: string): unknown {
  if (raw.status === 304) return null;
  const value = parseBody(raw, where);
  if (raw.status >= 200 && raw.status < 300) {
    const envelope = EnvelopeSchema.safeParse(value);
    if (envelope.success && envelope.data.statusCode !== undefined && envelope.data.statusCode >= 400) {
      throw errorFor(envelope.data.statusCode, envelope.data, raw.headers, where);
    }
    return value;
  }
  const envelope = EnvelopeSchema.safeParse(value);
  const body: Envelope = envelope.success ? envelope.data : { error: fallbackMessage(raw.status, value) };
  throw errorFor(raw.status, body, raw.headers, where);
}

function parseBody(raw: RawResponse, where: string): unknown {
  if (raw.text.trim() === "") return null;
  try {
    return JSON.parse(raw.text);
  } catch {
    if (raw.status >= 200 && raw.status < 300) {
      throw new ApiError(`the RunOS API sent a body that is not JSON (${where}, HTTP ${raw.status})`, {
        status: raw.status,
        hint: "check RUNOS_API_URL points at the RunOS API",
      });
    }
    return raw.text.slice(0, 200);
  }
}

function fallbackMessage(status: number, value: unknown): string {
  const text = typeof value === "string" && value.trim() !== "" ? `: ${value.trim()}` : "";
  return `HTTP ${status}${text}`;
}

/** Seconds from a Retry-After header (delta seconds or an HTTP date), if usable. */
export function parseRetryAfter(header: string | null, nowMs: number = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** Build the typed error for a status and its envelope. */
export function errorFor(status: number, envelope: Envelope, headers: Headers, where: string): RunosError {
  const { error, statusCode: _statusCode, ...extra } = envelope;
  const details: Record<string, unknown> = { status, ...extra };
  switch (status) {
    case 401: {
      const reason = envelope.reason === undefined ? "" : ` (the token was ${envelope.reason})`;
      return new AuthError(`not authenticated: run \`runos login\`${reason}; the API said: ${error}`, { hint: LOGIN_HINT, details });
    }
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
      const fields = (envelope.fields ?? []).filter((f) => !error.includes(f.message));
      const suffix = fields.length > 0 ? `: ${fields.map((f) => `${f.name}: ${f.message}`).join("; ")}` : "";
      // PostgreSQL's "read-only transaction" (SQLSTATE 25006): the statement writes, arguments are fine.
      const hint = envelope.code === "25006" || /read-only transaction/i.test(error)
        ? "this statement changes data: it needs read-write mode (`--read-write --yes` in the CLI; on the `runos-write` server, `readWrite: true` with `confirm: true`)"
        : "fix the listed arguments and retry";
      return new ValidationError(`invalid input: ${error}${suffix}`, { hint, details });
    }
    case 429: {
      const retryAfterSeconds = parseRetryAfter(headers.get("retry-after")) ?? envelope.retryAfter;
      const wait = retryAfterSeconds === undefined ? "" : ` (retry after ${retryAfterSeconds} s)`;
      return new RateLimitError(`rate limited by the RunOS API${wait}: ${error}`, {
        hint: "wait and retry",
        retryAfterSeconds,
        details,
      });
    }
    default:
      return new ApiError(`the RunOS API failed (HTTP ${status}, ${where}): ${error}`, {
        status,
        hint: status >= 500 ? "retry in a moment; the API may be briefly unavailable" : undefined,
        details,
      });
  }
}
