/**
 * `runos mcp serve <tier> --http …` as a real child process, and the SDK's Streamable HTTP client
 * connected to it with a bearer token. The child prints its URL (and a generated token) on stderr,
 * which is how a test learns the port it picked.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { Client } from "@modelcontextprotocol/client";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { REPO_ROOT, runosCommand, type ServerRuntime } from "./mcp_client.ts";
import { Buffer } from "node:buffer";

/** A token long enough for `RUNOS_MCP_TOKEN`. */
export const TEST_TOKEN = "test-token-0123456789abcdef";

/** A running `runos mcp serve <tier> --http` child. */
export interface HttpChild {
  /** The `/mcp` URL it printed. */
  readonly url: string;
  /** The generated token it printed, when it generated one. */
  readonly printedToken?: string;
  /** The child's process id (the bench reads its CPU time). */
  readonly pid: number;
  stderr(): string;
  /** Send `signal` and wait for the exit code (SIGKILL after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  /** Resolves with the exit code once the child has exited by itself. */
  readonly exited: Promise<number | null>;
}

/** Spawn `runos mcp serve <tier> --http <listen> [extra…]` and wait until it prints its URL and token line. */
export async function startHttpChild(options: {
  readonly runtime: ServerRuntime;
  /** Another compiled runos to start in place of dist/runos (the bench's builds of other commits). */
  readonly binary?: string;
  readonly tier: string;
  readonly env: Record<string, string>;
  readonly listen?: string;
  readonly extraArgs?: readonly string[];
  readonly timeoutMs?: number;
}): Promise<HttpChild> {
  const serveArgs = ["mcp", "serve", options.tier, "--http", options.listen ?? "127.0.0.1:0", ...(options.extraArgs ?? [])];
  const { command, args } = options.binary === undefined ? runosCommand(options.runtime, serveArgs) : { command: options.binary, args: serveArgs };
  const child: ChildProcessWithoutNullStreams = spawn(command, args, { cwd: REPO_ROOT, env: options.env, stdio: ["pipe", "pipe", "pipe"] });
  let text = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL and token line on stderr within ${options.timeoutMs ?? 30_000} ms:\n${text}`)), options.timeoutMs ?? 30_000);
    child.stderr.on("data", (chunk: Uint8Array) => {
      text += new TextDecoder().decode(chunk);
      const match = / at (http:\/\/\S+\/mcp)\s*$/m.exec(text);
      // The token line follows the URL line, in the same write or the next: wait for it whole.
      if (match !== null && /clients must send [^\n]*\n/.test(text)) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing its URL:\n${text}`));
    });
  });
  const printedToken = /token \(shown once[^)]*\): (\S+)/.exec(text)?.[1];
  return {
    url,
    ...(printedToken === undefined ? {} : { printedToken }),
    pid: child.pid!,
    stderr: () => text,
    exited,
    stop: async (signal = "SIGTERM", timeoutMs = 20_000) => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** An SDK client connected to `url` over Streamable HTTP with `token` (2026-07-28 with `modern`). */
export async function connectHttpClient(url: string, token: string, options: { readonly modern?: boolean; readonly name?: string } = {}): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  const client = new Client(
    { name: options.name ?? "runos-http-test", version: "0.0.0" },
    { capabilities: {}, ...(options.modern === true ? { versionNegotiation: { mode: "auto" as const } } : {}) },
  );
  await client.connect(transport, { timeout: 30_000 });
  return client;
}

/** A raw POST of `body` to `url` with the headers a Streamable HTTP client sends. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** An `initialize` request body. */
export const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "0" } },
} as const;

/** What {@link rawRequest} got back. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * One HTTP request through node:http, which (unlike fetch) sends whatever Host header it is given:
 * how the DNS-rebinding checks are exercised.
 */
export async function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array } = {}): Promise<RawAnswer> {
  const http = await import("node:http");
  const target = new URL(url);
  return await new Promise<RawAnswer>((resolve, reject) => {
    const request = http.request({
      host: target.hostname.replace(/^\[|\]$/g, ""),
      port: Number(target.port),
      path: `${target.pathname}${target.search}`,
      method: options.method ?? "GET",
      headers: options.headers ?? {},
    }, (response) => {
      const chunks: Uint8Array[] = [];
      response.on("data", (chunk: Uint8Array) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: new TextDecoder().decode(Buffer.concat(chunks)) }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(options.body);
  });
}
