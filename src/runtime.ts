/**
 * The one place that knows which runtime runs us: Deno, Bun from source, or a Bun-compiled binary.
 * Everything else uses `node:` built-ins and web standards, which all of them implement. Bun's JIT
 * is held back during a start-up here too (holdJitForStartUp).
 */
import { realpathSync } from "node:fs";
import { posix, win32 } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { RunosError } from "./errors.ts";

/** How this program is running. */
export type RuntimeKind = "deno" | "bun" | "bun-compiled" | "node";

declare const Deno: { execPath(): string; version: { deno: string }; stdin: { readable: unknown } } | undefined;
declare const Bun: {
  version: string;
  serve(options: unknown): { port: number; stop(force?: boolean): Promise<void> };
  stdin: { stream(): unknown };
  unsafe?: { setJITPolicy?(scale: number): void };
} | undefined;

/** Detect the runtime once. */
export function runtimeKind(): RuntimeKind {
  if (typeof Deno !== "undefined") return "deno";
  if (typeof Bun !== "undefined") {
    // A compiled executable runs its modules from Bun's embedded file system.
    return import.meta.url.includes("/$bunfs/") || import.meta.url.includes("/~BUN/") || import.meta.url.includes("%7EBUN") ? "bun-compiled" : "bun";
  }
  return "node";
}

/**
 * How long a runos process's start-up lasts, as far as the JIT is concerned (see
 * {@link holdJitForStartUp}): a server has answered `initialize` and `tools/list` well within it,
 * and it ends before the server's warm-up (100 ms after that answer) and its first calls, which run
 * with the usual JIT (a hold of 250 ms, over the first calls, left them slower for good).
 */
export const START_UP_MS = 100;

/** The factor JavaScriptCore's tier-up thresholds are raised by during a start-up. */
const START_UP_JIT_SCALE = 100;

/**
 * Hold JavaScriptCore's JIT back for {@link START_UP_MS}, on Bun (a no-op elsewhere): code that runs
 * once at a server's start (module bodies, the catalog's and the handshake's work) is interpreted
 * instead of compiled. Compiling it made a server no faster, and its first compilation brought the
 * compilers' code and data in: about 4 MiB of a server's peak before its first call. Then the usual
 * JIT comes back, whatever the process goes on doing; the timer keeps no process alive. Call it
 * first, before the modules of the start load; the function it returns gives the JIT back at once
 * (a command that is not a server: held, `--help` took 13% longer).
 */
export function holdJitForStartUp(): () => void {
  const unsafe = typeof Bun === "undefined" ? undefined : Bun.unsafe;
  if (unsafe?.setJITPolicy === undefined) return () => {};
  unsafe.setJITPolicy(START_UP_JIT_SCALE);
  const release = () => {
    clearTimeout(timer);
    unsafe.setJITPolicy!(1);
  };
  const timer = setTimeout(release, START_UP_MS);
  (timer as { unref?: () => void }).unref?.();
  return release;
}

/** Absolute path of this checkout's `mod.ts` (meaningless inside a compiled binary). */
export function entryModulePath(): string {
  return fileURLToPath(new URL("../mod.ts", import.meta.url));
}

/**
 * The command line that starts this very program again: what config writers put in clients' files.
 * Compiled binary: its path as the user invoked it ({@link invokedPath}). `deno run -A mod.ts`: the
 * deno executable plus `run -A /abs/mod.ts`. `bun mod.ts`: the bun executable plus `/abs/mod.ts`.
 */
export function selfCommand(): { command: string; args: string[] } {
  switch (runtimeKind()) {
    case "deno":
      return { command: Deno!.execPath(), args: ["run", "-A", entryModulePath()] };
    case "bun":
      return { command: process.execPath, args: [entryModulePath()] };
    case "bun-compiled":
      return { command: invokedPath({ argv0: process.argv0, execPath: process.execPath, path: process.env.PATH, cwd: process.cwd(), platform: process.platform }), args: [] };
    case "node":
      return { command: process.execPath, args: [entryModulePath()] };
  }
}

let denoFreshClient: unknown;

/**
 * Fetch options for a request that must not ride on an idle pooled connection. Bun and Deno silently
 * send an idempotent request a second time, about a millisecond later, when a reused keep-alive
 * connection turns out to have been reset: a retry outside the client's policy (api/retry.ts), which
 * promises no retry sooner than its base delay. Bun: `keepalive: false`; Deno: an HTTP client that
 * keeps no idle connection (one, made on first use). api/client.ts asks for this only for idempotent
 * requests after a pause, when a pooled connection is the kind a server has closed meanwhile.
 */
export function freshConnectionInit(): RequestInit {
  const kind = runtimeKind();
  if (kind === "bun" || kind === "bun-compiled") return { keepalive: false };
  if (kind === "deno") {
    const deno = (globalThis as unknown as { Deno: { createHttpClient?(options: { poolMaxIdlePerHost: number }): unknown } }).Deno;
    if (typeof deno.createHttpClient !== "function") return {};
    denoFreshClient ??= deno.createHttpClient({ poolMaxIdlePerHost: 0 });
    return { client: denoFreshClient } as RequestInit;
  }
  return {};
}

/** Why a request got no answer, in plain words, and whether it surely never reached the server. */
export interface FetchFailure {
  /** `connection refused`, `no such host`, `TLS: …`, or the runtime's own words without its advice. */
  readonly reason: string;
  /** The connection was never made (refused, no such host, a TLS failure): nothing was sent. */
  readonly neverSent: boolean;
}

/**
 * What a failed `fetch` means, from the error the runtime threw: Bun says `ECONNREFUSED: Unable to
 * connect. Is the computer able to access the url?` (with a `code`), Deno `fetch failed` with the OS
 * error in its `cause` (`tcp connect error: Connection refused (os error 111)`). The message a person
 * reads says what happened, not what the runtime asks them.
 */
export function fetchFailure(error: unknown): FetchFailure {
  const parts = [error, (error as { cause?: unknown } | null)?.cause].filter((part) => part !== undefined && part !== null);
  const codes = parts.map((part) => (part as { code?: unknown }).code).filter((code): code is string => typeof code === "string");
  const messages = parts.map((part) => (part instanceof Error ? part.message : String(part)));
  const all = [...codes, ...messages].join(" ");
  const plain = (reason: string, neverSent: boolean): FetchFailure => ({ reason, neverSent });
  if (/ECONNREFUSED|connection refused/i.test(all)) return plain("connection refused", true);
  if (/ENOTFOUND|EAI_AGAIN|EAI_NONAME|failed to lookup address|name or service not known|nodename nor servname|no address associated/i.test(all)) {
    return plain("no such host (the name does not resolve)", true);
  }
  if (/EHOSTUNREACH|no route to host/i.test(all)) return plain("no route to host", true);
  if (/ENETUNREACH|network is unreachable/i.test(all)) return plain("the network is unreachable", true);
  if (/ECONNRESET|connection reset/i.test(all)) return plain("the connection was reset", false);
  if (/ETIMEDOUT|timed out/i.test(all)) return plain("the connection timed out", false);
  // The most specific words: Deno's cause, else the message, without the runtime's prefixes and advice.
  const words = (messages.length > 1 && /^fetch failed$/i.test(messages[0]!) ? messages[1]! : messages[0] ?? "")
    .replace(/^fetch failed:\s*/i, "")
    .replace(/^error sending request for url \([^)]*\):\s*/i, "")
    .replace(/^client error \([^)]*\):\s*/i, "")
    .replace(/\s*Is the computer able to access the url\?/i, "")
    .trim();
  if (/certificate|CERT_|SSL|TLS|handshake/i.test(all)) return plain(`TLS: ${words}`, true);
  return plain(words === "" ? "no answer" : words, false);
}

/** What {@link invokedPath} looks at; files are checked through `isSameFile` (a seam for tests). */
export interface Invocation {
  /** The program name as typed: `runos`, `./bin/runos`, `/usr/local/bin/runos`. */
  readonly argv0: string | undefined;
  /** The executable's resolved path (symlinks followed: often a versioned path). */
  readonly execPath: string;
  /** `$PATH`. */
  readonly path: string | undefined;
  readonly cwd: string;
  readonly platform: string;
  /** Whether `candidate` exists and is the same file as `execPath` (default: compares real paths). */
  readonly isSameFile?: (candidate: string, execPath: string) => boolean;
}

/**
 * The path of this program as the user runs it, so a client's config keeps working across upgrades
 * that repoint a symlink: an absolute argv0 as it is; a relative one (`./runos`) made absolute
 * against the working directory (symlinks kept); a bare name (`runos`) found on PATH, the first
 * entry that is this very file. When none of that works, the resolved executable path.
 */
export function invokedPath(invocation: Invocation): string {
  const { argv0, execPath, platform } = invocation;
  const paths = platform === "win32" ? win32 : posix;
  const same = invocation.isSameFile ?? sameFile;
  if (argv0 === undefined || argv0 === "") return execPath;
  if (paths.isAbsolute(argv0)) return same(argv0, execPath) ? argv0 : execPath;
  if (argv0.includes("/") || (platform === "win32" && argv0.includes("\\"))) {
    const absolute = paths.resolve(invocation.cwd, argv0);
    return same(absolute, execPath) ? absolute : execPath;
  }
  const names = platform === "win32" && !/\.exe$/i.test(argv0) ? [argv0, `${argv0}.exe`] : [argv0];
  for (const dir of (invocation.path ?? "").split(platform === "win32" ? ";" : ":")) {
    if (dir === "" || !paths.isAbsolute(dir)) continue;
    for (const name of names) {
      const candidate = paths.join(dir, name);
      if (same(candidate, execPath)) return candidate;
    }
  }
  return execPath;
}

function sameFile(candidate: string, execPath: string): boolean {
  try {
    return realpathSync(candidate) === realpathSync(execPath);
  } catch {
    return false;
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
  /** Stop accepting connections and close the server, cutting the connections still open. */
  close(): Promise<void>;
  /**
   * Stop accepting connections and resolve once the responses in flight are complete (streamed
   * bodies included); the port is released at once.
   */
  drain(): Promise<void>;
}

/** Options of {@link serveHttp}. */
export interface ServeHttpOptions {
  readonly port: number;
  readonly hostname: string;
  /**
   * Seconds a connection may send and receive nothing before it is closed (Bun's default is 10,
   * which cuts a quiet SSE stream; at most 255). Deno has no such limit.
   */
  readonly idleTimeoutSeconds?: number;
}

/**
 * Serve `handler` over HTTP on `hostname:port` with the runtime's native server (Deno.serve or
 * Bun.serve; node:http elsewhere), so a fetch-style handler works everywhere. A request's `signal`
 * aborts when its client goes away (Deno: with deno.json's `no-legacy-abort`). A taken address is
 * refused with "port N is in use" on every runtime.
 */
export async function serveHttp(handler: (request: Request) => Promise<Response>, options: ServeHttpOptions): Promise<HttpServerHandle> {
  const kind = runtimeKind();
  try {
    if (kind === "deno") {
      const deno = (globalThis as unknown as { Deno: { serve(o: unknown, h: unknown): { addr: { port: number }; shutdown(): Promise<void> } } }).Deno;
      const server = deno.serve({ port: options.port, hostname: options.hostname, onListen: () => {} }, handler);
      let stopping: Promise<void> | undefined;
      return {
        port: server.addr.port,
        close: async () => {
          await (stopping ??= server.shutdown());
        },
        drain: async () => {
          await (stopping ??= server.shutdown());
        },
      };
    }
    if (kind === "bun" || kind === "bun-compiled") {
      const server = Bun!.serve({
        port: options.port,
        hostname: options.hostname,
        fetch: handler,
        ...(options.idleTimeoutSeconds === undefined ? {} : { idleTimeout: options.idleTimeoutSeconds }),
      });
      return {
        port: server.port,
        close: async () => {
          await server.stop(true);
        },
        drain: async () => {
          await server.stop(false);
        },
      };
    }
    return await serveWithNodeHttp(handler, options);
  } catch (error) {
    throw addressInUse(error, options) ?? error;
  }
}

/** The error for a taken address, when `error` says so (each runtime words it its own way). */
function addressInUse(error: unknown, options: { port: number; hostname: string }): RunosError | undefined {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (code !== "EADDRINUSE" && name !== "AddrInUse") return undefined;
  return new RunosError(`port ${options.port} is in use (on ${options.hostname})`, {
    hint: "another program, or another `runos mcp serve … --http`, listens there: stop it or choose another port",
    cause: error,
  });
}

async function serveWithNodeHttp(handler: (request: Request) => Promise<Response>, options: ServeHttpOptions): Promise<HttpServerHandle> {
  const http = await import("node:http");
  const { Readable } = await import("node:stream");
  const host = options.hostname.includes(":") ? `[${options.hostname}]` : options.hostname;
  const server = http.createServer(async (req, res) => {
    const aborted = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) aborted.abort();
    });
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(key, value);
      else if (Array.isArray(value)) for (const item of value) headers.append(key, item);
    }
    const request = new Request(`http://${req.headers.host ?? host}${req.url ?? "/"}`, {
      method: req.method,
      headers,
      signal: aborted.signal,
      ...(hasBody ? { body: Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>, duplex: "half" } : {}),
    } as RequestInit);
    let response: Response;
    try {
      response = await handler(request);
    } catch {
      response = new Response("internal error", { status: 500 });
    }
    res.writeHead(response.status, [...response.headers].flat());
    if (response.body === null) {
      res.end();
      return;
    }
    const reader = response.body.getReader();
    res.on("close", () => void reader.cancel().catch(() => {}));
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        res.write(value);
      }
    } catch {
      // the client went away, or the body failed: nothing more to send
    }
    res.end();
  });
  if (options.idleTimeoutSeconds !== undefined) server.keepAliveTimeout = options.idleTimeoutSeconds * 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const closed = new Promise<void>((resolve) => server.once("close", () => resolve()));
  return {
    port: typeof address === "object" && address !== null ? address.port : options.port,
    close: async () => {
      server.close();
      server.closeAllConnections();
      await closed;
    },
    drain: async () => {
      server.close();
      server.closeIdleConnections();
      await closed;
    },
  };
}
