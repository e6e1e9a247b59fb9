/**
 * DNS-rebinding protection and CORS for the HTTP tier server, decided before anything else runs.
 * `Host` must name the server as bound (`127.0.0.1:8080`), a localhost form with the same port
 * when it listens on loopback or every interface, or a host given with `--allow-host`. `Origin`, when
 * present (browsers send it), must be the server's own origin or one given with `--allow-origin`;
 * an allowed origin gets the CORS headers a browser client needs.
 */
import { isLoopbackHost, isWildcardHost, type ListenAddress, urlHost } from "./address.ts";
import { sameDelivery } from "./response.ts";

/** What the guard accepts. */
export interface GuardOptions {
  readonly address: ListenAddress;
  /** The port actually bound (the address may say 0). */
  readonly port: number;
  /** `--allow-host` values: `name` (any port) or `name:port`. */
  readonly allowHosts?: readonly string[];
  /** `--allow-origin` values, e.g. `http://localhost:6274`. */
  readonly allowOrigins?: readonly string[];
}

/** The guard's verdict on one request. */
export type GuardVerdict =
  | { readonly ok: true; /** The request's Origin when it carries an allowed one (CORS applies). */ readonly corsOrigin?: string }
  | { readonly ok: false; readonly status: 400 | 403; readonly message: string };

/** A request guard built once per server. */
export interface RequestGuard {
  check(headers: Headers): GuardVerdict;
}

/** Build the guard for a server listening at `options.address` on `options.port`. */
export function requestGuard(options: GuardOptions): RequestGuard {
  const exact = new Set<string>();
  const anyPort = new Set<string>();
  const { hostname } = options.address;
  if (!isWildcardHost(hostname)) exact.add(`${urlHost(hostname)}:${options.port}`);
  if (isLoopbackHost(hostname) || isWildcardHost(hostname)) {
    for (const local of ["localhost", "127.0.0.1", "[::1]"]) exact.add(`${local}:${options.port}`);
  }
  for (const entry of options.allowHosts ?? []) {
    const value = entry.trim().toLowerCase();
    if (value === "") continue;
    (/:\d+$/.test(value) ? exact : anyPort).add(value);
  }
  const origins = new Set((options.allowOrigins ?? []).map((origin) => originOf(origin) ?? origin.trim()));

  const hostAllowed = (host: string): boolean => exact.has(host) || anyPort.has(host.replace(/:\d+$/, ""));

  return {
    check(headers) {
      const host = headers.get("host")?.trim().toLowerCase() ?? "";
      if (host === "") return { ok: false, status: 400, message: "Bad Request: missing Host header" };
      if (!hostAllowed(host)) {
        return {
          ok: false,
          status: 403,
          message: `Forbidden: Host ${JSON.stringify(host)} is not this server (DNS rebinding protection); ` +
            "serve behind that name with --allow-host",
        };
      }
      const origin = headers.get("origin");
      if (origin === null) return { ok: true };
      const normalized = originOf(origin);
      const sameOrigin = normalized !== undefined && new URL(normalized).host === new URL(`http://${host}`).host;
      if (normalized !== undefined && (sameOrigin || origins.has(normalized))) return { ok: true, corsOrigin: normalized };
      return {
        ok: false,
        status: 403,
        message: `Forbidden: Origin ${JSON.stringify(origin)} is not allowed (DNS rebinding protection); allow it with --allow-origin`,
      };
    },
  };
}

/** `scheme://host[:port]` of an http(s) origin, or undefined for anything else (`null` included). */
function originOf(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Request headers a browser client may send (CORS preflight). */
const ALLOWED_HEADERS = "Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Mcp-Method, Mcp-Name, Last-Event-ID";
/** Response headers a browser client may read. */
const EXPOSED_HEADERS = "Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate";

/** `response` with the CORS headers for `origin` added. */
export function withCors(response: Response, origin: string | undefined): Response {
  if (origin === undefined) return response;
  const headers = new Headers(response.headers);
  headers.set("Access-Control-Allow-Origin", origin);
  headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
  headers.append("Vary", "Origin");
  return sameDelivery(response, new Response(response.body, { status: response.status, statusText: response.statusText, headers }));
}

/** The answer to a CORS preflight (`OPTIONS`) from an allowed origin. */
export function preflightResponse(origin: string | undefined): Response {
  const headers = new Headers({ "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS", "Access-Control-Allow-Headers": ALLOWED_HEADERS, "Access-Control-Max-Age": "600" });
  return withCors(new Response(null, { status: 204, headers }), origin);
}
