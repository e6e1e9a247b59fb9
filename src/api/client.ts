/**
 * The ApiClient seam between the faces (CLI verbs, MCP tools) and the RunOS HTTP API, and its fetch
 * implementation: Bearer auth, user agent, timeout, retries for idempotent requests, typed errors.
 * The token never appears in an error message.
 */
import type { HttpMethod, Operation } from "../catalog/operation.ts";
import { ApiError, RunosError } from "../errors.ts";
import { fetchFailure, freshConnectionInit, runtimeKind } from "../runtime.ts";
import type { Logger } from "../log.ts";
import { VERSION } from "../version.ts";
import { notAuthenticated } from "./login_hint.ts";
import { type ClientOrigin, unreachableHint } from "./origin.ts";
import { interpretResponse } from "./response.ts";
import { type Sleep, withRetries } from "./retry.ts";

export type { HttpMethod };

/** One request, path already substituted and escaped. */
export interface ApiRequest {
  readonly method: HttpMethod;
  /** E.g. `/acme/i4y/services/valkey`; appended to the base URL. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  /** JSON body (POST/PUT/PATCH). */
  readonly body?: unknown;
  /** Deadline for one attempt; default 30 s. */
  readonly timeoutMs?: number;
  /** Safe to send twice (GET always is); only idempotent requests are retried. */
  readonly idempotent?: boolean;
  /** Extra request headers (e.g. If-None-Match); Authorization cannot be overridden. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The catalog operation this request calls (buildRequest sets it), for the read tiers' write guard. */
  readonly operation?: Operation;
}

/** A response with its status and headers, for callers that need ETags or 304s. */
export interface ApiExchange {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body (null for an empty body or a 304). */
  readonly value: unknown;
  /** The body exactly as received (the manifest cache stores it byte for byte). */
  readonly text: string;
}

/** The seam every caller talks to; tests and the sandbox swap what is behind it. */
export interface ApiClient {
  /** Send a request; resolves to the parsed JSON of a success, rejects with a typed RunosError. */
  send(request: ApiRequest): Promise<unknown>;
  /** Like send, but also returns status, headers and raw text. Optional for stub clients. */
  exchange?(request: ApiRequest): Promise<ApiExchange>;
}

/** Options of {@link createApiClient}. */
export interface ApiClientOptions {
  /** E.g. `https://api.runos.com`. */
  readonly baseUrl: string;
  /** The personal access token; without one every request fails with AuthError. */
  readonly token?: string;
  readonly userAgent?: string;
  readonly fetch?: typeof fetch;
  /** Extra attempts for idempotent requests (default 2). */
  readonly retries?: number;
  /** The most waited across all retries of one request (default 10 s; api/retry.ts). */
  readonly maxTotalWaitMs?: number;
  readonly sleep?: Sleep;
  /** The clock, in epoch milliseconds, for HTTP-date Retry-After headers; injectable for tests. */
  readonly now?: () => number;
  /** Source of backoff jitter in [0, 1); injectable for tests. */
  readonly random?: () => number;
  /** Default per-attempt timeout (default 30 s). */
  readonly timeoutMs?: number;
  /** Debug log of each request and its status (stderr; redacted by the logger). */
  readonly log?: Logger;
  /**
   * Where the base URL and the token came from, so an error names what to fix: the flag or the
   * variable actually used, RUNOS_API_KEY or the stored login.
   */
  readonly origin?: ClientOrigin;
}

/**
 * How long after an answer a pooled connection is still trusted for an idempotent request. Past it, a
 * server may have closed the connection, and the runtime would silently resend on the reset (see
 * runtime.ts `freshConnectionInit`), so such a request opens a connection of its own. Bursts (job
 * polls, a model's quick calls) still reuse connections; a lone read after a pause pays one handshake.
 */
export const WARM_CONNECTION_MS = 2_000;

/** Default per-request deadline. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Largest response body accepted (the manifest is the biggest). */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** The user agent: `runos/<version> (<runtime>)`. */
export function defaultUserAgent(): string {
  return `runos/${VERSION} (${runtimeKind()})`;
}

export { notAuthenticated };

/** Create the fetch-backed ApiClient. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const userAgent = options.userAgent ?? defaultUserAgent();
  const token = options.token?.trim();
  const origin = options.origin ?? {};

  let lastAnswerAt: number | undefined;
  const once = async (request: ApiRequest): Promise<ApiExchange> => {
    if (token === undefined || token === "") throw notAuthenticated();
    const idempotent = request.method === "GET" || request.idempotent === true;
    const fresh = idempotent && (lastAnswerAt === undefined || Date.now() - lastAnswerAt > WARM_CONNECTION_MS);
    const where = `${request.method} ${request.path}`;
    const url = buildUrl(baseUrl, request);
    const headers: Record<string, string> = { ...request.headers, "Accept": "application/json", "User-Agent": userAgent };
    const hasBody = request.body !== undefined;
    if (hasBody) headers["Content-Type"] = "application/json";
    headers["Authorization"] = `Bearer ${token}`;
    const timeoutMs = request.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const response = await doFetch(url, {
        method: request.method,
        headers,
        body: hasBody ? JSON.stringify(request.body) : undefined,
        signal: controller.signal,
        ...(fresh ? freshConnectionInit() : {}),
      });
      const text = await response.text();
      lastAnswerAt = Date.now();
      options.log?.debug(`${where} → HTTP ${response.status}`);
      if (text.length > MAX_RESPONSE_BYTES) {
        throw new ApiError(`the RunOS API sent more than 10 MiB (${where})`, { status: response.status });
      }
      const value = interpretResponse({ status: response.status, headers: response.headers, text }, where, (options.now ?? Date.now)(), origin);
      return { status: response.status, headers: response.headers, value, text };
    } catch (error) {
      options.log?.debug(`${where} failed: ${scrubText(error instanceof Error ? error.message : String(error), token)}`);
      if (error instanceof RunosError) throw scrub(error, token);
      // A write that got no answer may still have happened: never advise sending it again blind.
      const writes = !(request.method === "GET" || request.idempotent === true);
      const checkFirst = "it may have been applied: check with the matching list or show command (or `runos jobs list`) before trying again";
      if (timedOut) {
        throw new ApiError(`the RunOS API did not answer within ${Math.round(timeoutMs / 1000)} s (${where})${writes ? "; the change may have happened" : ""}`, {
          hint: writes ? checkFirst : `retry; ${unreachableHint(origin.url)}`,
          details: { timedOut: true },
        });
      }
      const { reason, neverSent } = fetchFailure(error);
      throw new ApiError(`could not reach the RunOS API at ${baseUrl} (${where}): ${scrubText(reason, token)}`, {
        hint: writes && !neverSent ? checkFirst : unreachableHint(origin.url),
      });
    } finally {
      clearTimeout(timer);
    }
  };

  const exchange = (request: ApiRequest): Promise<ApiExchange> =>
    withRetries(request.method === "GET" || request.idempotent === true, () => once(request), {
      retries: options.retries,
      sleep: options.sleep,
      random: options.random,
      maxTotalWaitMs: options.maxTotalWaitMs,
    });

  return {
    exchange,
    send: async (request) => (await exchange(request)).value,
  };
}

/** Base URL + path + query string. */
export function buildUrl(baseUrl: string, request: Pick<ApiRequest, "path" | "query">): string {
  const query = new URLSearchParams(Object.entries(request.query ?? {})).toString();
  return `${baseUrl}${request.path}${query === "" ? "" : `?${query}`}`;
}

function scrubText(text: string, token: string): string {
  return token.length >= 4 ? text.split(token).join("[redacted]") : text;
}

/** How deep `scrub` looks into an error's details; deeper parts are dropped (an API's details are shallow). */
const MAX_DETAILS_DEPTH = 64;

/** `value` with the token replaced in every string and key, walked at most MAX_DETAILS_DEPTH deep. */
function scrubValue(value: unknown, token: string, depth: number): unknown {
  if (typeof value === "string") return scrubText(value, token);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DETAILS_DEPTH) return "[truncated: too deep]";
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, token, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const safe = scrubValue(item, token, depth + 1);
    const name = scrubText(key, token);
    if (name === "__proto__") Object.defineProperty(copy, name, { value: safe, enumerable: true, writable: true, configurable: true });
    else copy[name] = safe;
  }
  return copy;
}

/** Remove the token from an error's message and details (an API could echo it back). */
function scrub(error: RunosError, token: string): RunosError {
  if (token.length < 4) return error;
  if (error.message.includes(token)) error.message = scrubText(error.message, token);
  if (error.details !== undefined) {
    Object.defineProperty(error, "details", { value: scrubValue(error.details, token, 0), enumerable: true, configurable: true });
  }
  return error;
}
