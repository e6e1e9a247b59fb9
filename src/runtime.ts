/**
 * The one place that knows which runtime runs us: Deno, Bun from source, or a Bun-compiled binary.
 * Everything else uses `node:` built-ins and web standards, which all of them implement.
 */
import process from "node:process";
import { fileURLToPath } from "node:url";

/** How this program is running. */
export type RuntimeKind = "deno" | "bun" | "bun-compiled" | "node";

declare const Deno: { execPath(): string; version: { deno: string }; stdin: { readable: unknown } } | undefined;
declare const Bun: { version: string; serve(options: unknown): { port: number; stop(force?: boolean): unknown }; stdin: { stream(): unknown } } | undefined;

/** Detect the runtime once. */
export function runtimeKind(): RuntimeKind {
  if (typeof Deno !== "undefined") return "deno";
  if (typeof Bun !== "undefined") {
    // A compiled executable runs its modules from Bun's embedded file system.
    return import.meta.url.includes("/$bunfs/") || import.meta.url.includes("/~BUN/") || import.meta.url.includes("%7EBUN") ? "bun-compiled" : "bun";
  }
  return "node";
}

/** Absolute path of this checkout's `mod.ts` (meaningless inside a compiled binary). */
export function entryModulePath(): string {
  return fileURLToPath(new URL("../mod.ts", import.meta.url));
}

/**
 * The command line that starts this very program again: what config writers put in clients' files.
 * Compiled binary: its own path. `deno run -A mod.ts`: the deno executable plus `run -A /abs/mod.ts`.
 * `bun mod.ts`: the bun executable plus `/abs/mod.ts`.
 */
export function selfCommand(): { command: string; args: string[] } {
  switch (runtimeKind()) {
    case "deno":
      return { command: Deno!.execPath(), args: ["run", "-A", entryModulePath()] };
    case "bun":
      return { command: process.execPath, args: [entryModulePath()] };
    case "bun-compiled":
      return { command: process.execPath, args: [] };
    case "node":
      return { command: process.execPath, args: [entryModulePath()] };
  }
}

/**
 * Standard input as it arrives, in chunks of bytes, read through the runtime's own stream: Bun's and
 * Deno's Node-style `process.stdin` take milliseconds to create (about 10 ms in a compiled Bun
 * binary), which an MCP server's first answer would wait for.
 */
export function stdinBytes(): AsyncIterable<Uint8Array> {
  switch (runtimeKind()) {
    case "deno":
      return Deno!.stdin.readable as AsyncIterable<Uint8Array>;
    case "bun":
    case "bun-compiled":
      return Bun!.stdin.stream() as AsyncIterable<Uint8Array>;
    case "node":
      return process.stdin;
  }
}

/** Whether standard input is an interactive terminal (prompts are allowed). */
export function stdinIsTTY(): boolean {
  return process.stdin.isTTY === true;
}


/** A running HTTP server started by {@link serveHttp}. */
export interface HttpServerHandle {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** Stop accepting connections and close the server. */
  close(): Promise<void>;
}

/**
 * Serve `handler` over HTTP on `hostname:port` with the runtime's native server (Deno.serve or
 * Bun.serve; node:http elsewhere), so a fetch-style handler works everywhere.
 */
export async function serveHttp(
  handler: (request: Request) => Promise<Response>,
  options: { port: number; hostname: string },
): Promise<HttpServerHandle> {
  const kind = runtimeKind();
  if (kind === "deno") {
    const deno = (globalThis as unknown as { Deno: { serve(o: unknown, h: unknown): { addr: { port: number }; shutdown(): Promise<void>; finished: Promise<void> } } }).Deno;
    const server = deno.serve({ port: options.port, hostname: options.hostname, onListen: () => {} }, handler);
    return { port: server.addr.port, close: async () => { await server.shutdown(); } };
  }
  if (kind === "bun" || kind === "bun-compiled") {
    const server = Bun!.serve({ port: options.port, hostname: options.hostname, fetch: handler });
    return { port: server.port, close: async () => { await server.stop(true); } };
  }
  return await serveWithNodeHttp(handler, options);
}

async function serveWithNodeHttp(
  handler: (request: Request) => Promise<Response>,
  options: { port: number; hostname: string },
): Promise<HttpServerHandle> {
  const http = await import("node:http");
  const server = http.createServer(async (req, res) => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of req) chunks.push(chunk as Uint8Array);
    const body = chunks.length > 0 && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(key, value);
    const response = await handler(new Request(`http://${options.hostname}${req.url ?? "/"}`, { method: req.method, headers, body }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.hostname, resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address !== null ? address.port : options.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
