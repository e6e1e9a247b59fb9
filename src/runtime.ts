/**
 * The one place that knows which runtime runs us: Deno, Bun from source, or a Bun-compiled binary.
 * Everything else uses `node:` built-ins and web standards, which all of them implement.
 */
import { realpathSync } from "node:fs";
import { posix, win32 } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** How this program is running. */
export type RuntimeKind = "deno" | "bun" | "bun-compiled" | "node";

declare const Deno: { execPath(): string; version: { deno: string } } | undefined;
declare const Bun: { version: string; serve(options: unknown): { port: number; stop(force?: boolean): unknown } } | undefined;

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
