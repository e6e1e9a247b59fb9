/**
 * Ask a runos HTTP server who it is, for `configure --url` and `doctor`: with a token that may be
 * sent, `initialize` at the URL itself; without one, its RFC 9728 metadata. The token never crosses
 * a network in clear text, and redirects are reported, never followed.
 */
import process from "node:process";
import { tierOfServer } from "../policy/tier.ts";
import { isLoopbackHost } from "../mcp/http/address.ts";

/** What the server at a URL said about itself. */
export interface UrlFacts {
  /** It answered over HTTP at all. */
  readonly reached: boolean;
  /** The runos server name it gives (`runos`, `runos-write`, …); undefined: not a runos server, or not said. */
  readonly serverName?: string;
  /** Whether it accepted the token (undefined: no token tried, or not reached). */
  readonly tokenAccepted?: boolean;
  /** Why it could not be reached or read, in words. */
  readonly problem?: string;
}

/** The environment, for the proxy variables the runtime's fetch honours. */
export type ProbeEnv = Readonly<Record<string, string | undefined>>;

/** How to probe; each has a default. */
export interface ProbeOptions {
  readonly fetcher?: typeof fetch;
  readonly timeoutMs?: number;
  readonly env?: ProbeEnv;
}

const RESOURCE_NAME = /^RunOS MCP server (\S+)$/;

/** A URL as it may be shown: a `user:password@` in it (in any form a URL parser accepts) becomes `…@`. */
export function shownUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:[/\\]*)[^/\\?#@]*@/i, "$1…@").replace(/\/\/[^/\\\s?#@]*@/g, "//…@");
}

/**
 * Whether a token sent to `url` would cross a network in clear text: plain http to another machine,
 * or plain http through a proxy (Deno's fetch sends even loopback requests through `HTTP_PROXY`
 * unless `NO_PROXY` names the host).
 */
export function sendsTokenInClear(url: string, env: ProbeEnv = process.env): boolean {
  const parsed = new URL(url);
  if (parsed.protocol !== "http:") return false;
  const host = parsed.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (!isLoopbackHost(host)) return true;
  const proxy = ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"].some((name) => (env[name] ?? "") !== "");
  if (!proxy) return false;
  // NO_PROXY entries: hosts, `.suffix`es or `*`; a port, and IPv6 brackets, are not part of the name.
  const bypass = (env.NO_PROXY ?? env.no_proxy ?? "").split(",").map((entry) => {
    const name = entry.trim().toLowerCase();
    return /^\[([^\]]+)\](?::\d+)?$/.exec(name)?.[1] ?? (/^[^:]+:\d+$/.test(name) ? name.replace(/:\d+$/, "") : name);
  });
  return !bypass.some((entry) => entry === "*" || entry === host || (entry !== "" && host.endsWith(entry.startsWith(".") ? entry : `.${entry}`)));
}

/** The `initialize` a probe sends: enough for a server to say who it is. */
const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "runos-configure", version: "0" } },
};

/**
 * Ask the server at `url` who it is. With a token that may be sent (see {@link sendsTokenInClear}),
 * `initialize` at the URL itself answers for certain: its `serverInfo` names the server, and a 401
 * says the token is not its token. Otherwise the RFC 9728 metadata names it: at the URL's own path
 * (`/.well-known/oauth-protected-resource/<path>`), or at the bare well-known path only when that
 * path is `/mcp`, since behind a proxy another server may answer the root.
 */
export async function probeServerUrl(url: string, token: string | undefined, options: ProbeOptions = {}): Promise<UrlFacts> {
  const fetcher = options.fetcher ?? fetch;
  const timeoutMs = options.timeoutMs ?? 3_000;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { reached: false, problem: `${shownUrl(url)} is not a URL` };
  }
  const ask = (where: string, init: RequestInit = {}) => fetcher(where, { ...init, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
  /** What a status other than the one hoped for says, `at` the path asked. */
  const answered = (response: Response, at: string): string => {
    if (response.status >= 300 && response.status < 400) return `it redirects to ${shownUrl(response.headers.get("location") ?? "another URL")}: use that URL`;
    if (response.status === 403) return `it refused the Host ${target.host} (403): start it with --allow-host ${target.host}`;
    return `it answered ${response.status} at ${at}`;
  };
  let tokenAccepted: boolean | undefined;
  let problem: string | undefined;
  try {
    if (token !== undefined && !sendsTokenInClear(url, options.env)) {
      const response = await ask(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", Authorization: `Bearer ${token}` },
        body: JSON.stringify(INITIALIZE),
      });
      if (response.status === 401) {
        tokenAccepted = false;
        await response.body?.cancel();
      } else if (response.ok) {
        const name = await serverNameIn(response);
        if (name !== undefined) return { reached: true, serverName: name, tokenAccepted: true };
        problem = "its answer to initialize names no runos server";
      } else {
        await response.body?.cancel();
        problem = response.status === 404 ? `it answered 404 at ${target.pathname}: check the URL (runos serves MCP at /mcp)` : answered(response, target.pathname);
      }
    }
    const paths = [`/.well-known/oauth-protected-resource${target.pathname}`, ...(target.pathname === "/mcp" ? ["/.well-known/oauth-protected-resource"] : [])];
    for (const path of paths) {
      const response = await ask(`${target.origin}${path}`, { headers: { Accept: "application/json" } });
      if (response.status === 404) {
        await response.body?.cancel();
        continue;
      }
      const body = response.ok ? await response.json().catch(() => undefined) as { resource_name?: unknown } | undefined : undefined;
      if (!response.ok) await response.body?.cancel();
      const name = typeof body?.resource_name === "string" ? RESOURCE_NAME.exec(body.resource_name)?.[1] : undefined;
      if (name !== undefined && tierOfServer(name) !== undefined) {
        return { reached: true, serverName: name, ...(tokenAccepted === undefined ? {} : { tokenAccepted }), ...(problem === undefined ? {} : { problem }) };
      }
      problem ??= response.ok ? "its metadata names no runos server" : answered(response, path);
      break;
    }
    problem ??= `no RunOS metadata at ${target.origin}${paths[0]}${tokenAccepted === false ? ", and it refused the token (401)" : ""}`;
    return { reached: true, problem, ...(tokenAccepted === undefined ? {} : { tokenAccepted }) };
  } catch (error) {
    return { reached: false, problem: describeFetchError(error, timeoutMs) };
  }
}

/**
 * The runos server name in an answer to `initialize`: a JSON body, or the first SSE event that holds
 * the result (read as it arrives, so a stream left open is not waited out).
 */
async function serverNameIn(response: Response): Promise<string | undefined> {
  const nameIn = (body: string): string | undefined => {
    try {
      const name = (JSON.parse(body) as { result?: { serverInfo?: { name?: unknown } } }).result?.serverInfo?.name;
      return typeof name === "string" && tierOfServer(name) !== undefined ? name : undefined;
    } catch {
      return undefined;
    }
  };
  if (!(response.headers.get("content-type") ?? "").includes("text/event-stream")) return nameIn(await response.text().catch(() => ""));
  const reader = response.body?.getReader();
  if (reader === undefined) return undefined;
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (value !== undefined) buffered += decoder.decode(value, { stream: true });
      // An event ends at a blank line; its data is its `data:` lines joined by newlines.
      const events = buffered.replace(/\r\n/g, "\n").split("\n\n");
      buffered = done ? "" : events.pop()!;
      for (const event of events) {
        const data = event.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5).replace(/^ /, "")).join("\n");
        const name = data === "" ? undefined : nameIn(data);
        if (name !== undefined) return name;
      }
      if (done) return undefined;
    }
  } catch {
    return undefined;
  } finally {
    await reader.cancel().catch(() => {});
  }
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: string } | undefined)?.name;
  if (name === "TimeoutError" || name === "AbortError") return `no answer within ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const text = [cause?.code, cause?.message, error instanceof Error ? error.message : String(error)].filter((part) => part !== undefined).join(" ");
  if (/ECONNREFUSED|connection refused/i.test(text)) return "connection refused: nothing listens there";
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo|failed to lookup|dns error|name resolution/i.test(text)) return "the host name does not resolve";
  if (/certificate|TLS|SSL/i.test(text)) return "the TLS handshake failed (check the certificate)";
  return shownUrl(cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)));
}
