/**
 * Start runos as a real child process (`deno run -A mod.ts`, `bun mod.ts`, or the compiled binary) and
 * drive it as an MCP client would, over stdio with the SDK's Client. The child's stderr is captured
 * separately (never mixed into stdout, which must stay JSON-RPC).
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { Buffer } from "node:buffer";

/** How the runos program is started. */
export type ServerRuntime = "deno" | "bun" | "binary";

/** Absolute path of the repository root (the directory holding mod.ts). */
export const REPO_ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** Path of the compiled binary `make build` leaves for this platform. */
export const BINARY_PATH: string = fileURLToPath(new URL(`../../dist/runos${process.platform === "win32" ? ".exe" : ""}`, import.meta.url));

/** Whether a compiled binary exists (binary runs are skipped otherwise). */
export function hasBinary(): boolean {
  return existsSync(BINARY_PATH);
}

/** The executable and leading arguments that run runos on `runtime`; append the CLI arguments. */
export function runosCommand(runtime: ServerRuntime, args: readonly string[]): { command: string; args: string[] } {
  const bin = (name: string) => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));
  switch (runtime) {
    case "deno":
      return { command: bin("deno"), args: ["run", "-A", "mod.ts", ...args] };
    case "bun":
      return { command: bin("bun"), args: ["mod.ts", ...args] };
    case "binary":
      return { command: BINARY_PATH, args: [...args] };
  }
}

/** What the child's environment is built from: only these variables reach it (plus PATH). */
export interface RunosEnvOptions {
  /** Temp dir used as RUNOS_CONFIG_DIR and HOME, so the user's own config is never read. */
  readonly configDir: string;
  readonly apiUrl?: string;
  readonly apiKey?: string;
  readonly accountId?: string;
  readonly clusterId?: string;
}

/**
 * The environment of a runos child: config dir and HOME in a temp dir, the API settings given, PATH,
 * and the Deno cache of the parent (a fresh HOME would otherwise make every Deno start cold).
 */
export function runosEnv(options: RunosEnvOptions): Record<string, string> {
  const env: Record<string, string> = {
    RUNOS_CONFIG_DIR: options.configDir,
    HOME: options.configDir,
    PATH: process.env.PATH ?? "",
    DENO_DIR: process.env.DENO_DIR ?? `${homedir()}/${process.platform === "darwin" ? "Library/Caches" : ".cache"}/deno`,
    DENO_NO_UPDATE_CHECK: "1",
    NO_COLOR: "1",
  };
  if (options.apiUrl !== undefined) env.RUNOS_API_URL = options.apiUrl;
  if (options.apiKey !== undefined) env.RUNOS_API_KEY = options.apiKey;
  if (options.accountId !== undefined) env.RUNOS_ACCOUNT_ID = options.accountId;
  if (options.clusterId !== undefined) env.RUNOS_CLUSTER_ID = options.clusterId;
  return env;
}

/** Options of {@link startServer}. */
export interface StartServerOptions {
  readonly runtime: ServerRuntime;
  /** The tier argument of `runos mcp serve <tier>`. */
  readonly tier: string;
  /** The child's complete environment (see {@link runosEnv}). */
  readonly env: Record<string, string>;
  /** Milliseconds to wait for each request (initialize included); default 30 s. */
  readonly timeoutMs?: number;
  /** Arguments after `mcp serve <tier>`, e.g. `["--sandbox"]`. */
  readonly extraArgs?: readonly string[];
}

/** A running tier server with a connected MCP client. */
export interface RunningServer {
  readonly client: Client;
  /** Everything the child wrote to stderr so far. */
  stderr(): string;
  /** Disconnect and stop the child; safe to call twice. */
  close(): Promise<void>;
}

/** Spawn `runos mcp serve <tier>` on `runtime` and connect an MCP client to it over stdio. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { command, args } = runosCommand(options.runtime, ["mcp", "serve", options.tier, ...(options.extraArgs ?? [])]);
  const transport = new StdioClientTransport({ command, args, env: options.env, cwd: REPO_ROOT, stderr: "pipe" });
  const chunks: string[] = [];
  transport.stderr?.on("data", (chunk: Uint8Array | string) => {
    chunks.push(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk));
  });
  const client = new Client({ name: "runos-e2e", version: "0.0.0" }, { capabilities: {} });
  const timeout = options.timeoutMs ?? 30_000;
  try {
    await client.connect(transport, { timeout });
  } catch (error) {
    await client.close().catch(() => {});
    throw new Error(`runos mcp serve ${options.tier} (${options.runtime}) did not start: ${String(error)}\nstderr:\n${chunks.join("")}`);
  }
  let closed = false;
  return {
    client,
    stderr: () => chunks.join(""),
    close: async () => {
      if (closed) return;
      closed = true;
      // The SDK waits 2 s for an exit after closing stdin; a server that lingers gets SIGTERM sooner
      // (whether servers exit on their own is stdio_hygiene_test's business).
      const pid = transport.pid;
      const nudge = setTimeout(() => {
        if (pid !== null) {
          try {
            process.kill(pid, "SIGTERM");
          } catch {
            // already gone
          }
        }
      }, 500);
      try {
        await client.close();
      } finally {
        clearTimeout(nudge);
      }
    },
  };
}

/** The text of a tool result: its text content blocks joined by newlines. */
export function resultText(result: CallToolResult): string {
  return result.content.map((block) => (block.type === "text" ? block.text : JSON.stringify(block))).join("\n");
}

/** API text as a tool answers it: `<untrusted-data-…>` text `</untrusted-data-…>` and a note (src/mcp/call/result.ts). */
const FENCED = /^<(untrusted-data-[0-9a-f-]{36})>\n([\s\S]*)\n<\/\1>\nThe block above is data from the RunOS API[^\n]*$/;

/** The text inside a result's untrusted-data fence, or the text itself when it is not fenced. */
export function unfenced(text: string): string {
  return FENCED.exec(text)?.[2] ?? text;
}

/**
 * The value a tool answered: its `structuredContent` without the untrusted-data note, else its text
 * (taken out of the fence) parsed as JSON, else the text.
 */
export function resultValue(result: CallToolResult): unknown {
  if (result.structuredContent !== undefined) {
    const { _note: _ignored, ...value } = result.structuredContent as Record<string, unknown>;
    return value;
  }
  const text = unfenced(resultText(result));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Every byte the client received for a result (content, structured content, flags), as one string. */
export function resultBytes(result: CallToolResult): string {
  return JSON.stringify(result);
}

/** Output of a runos process run to completion. */
export interface ProcessOutput {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run runos with `args` to completion (stdin closed after `input`), collecting stdout and stderr
 * apart. Kills the child after `timeoutMs` (default 30 s).
 */
export function runRunos(runtime: ServerRuntime, args: readonly string[], env: Record<string, string>, options: { input?: string; timeoutMs?: number } = {}): Promise<ProcessOutput> {
  const { command, args: argv } = runosCommand(runtime, args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: REPO_ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Uint8Array[] = [];
    const err: Uint8Array[] = [];
    child.stdout.on("data", (chunk: Uint8Array) => out.push(chunk));
    child.stderr.on("data", (chunk: Uint8Array) => err.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const decode = (parts: Uint8Array[]) => new TextDecoder().decode(Buffer.concat(parts));
      resolve({ code, stdout: decode(out), stderr: decode(err) });
    });
    child.stdin.end(options.input ?? "");
  });
}


/** One JSON-RPC message as read from stdout. */
export type JsonRpcLine = { jsonrpc: string; id?: unknown; method?: string; result?: unknown; error?: { code: number; message: string } };

/**
 * runos started with raw stdio (no SDK): send lines, wait for responses by id, keep every stdout line
 * so tests can check that nothing but JSON-RPC was written.
 */
export class RawStdioServer {
  readonly lines: string[] = [];
  readonly stderrChunks: string[] = [];
  readonly exited: Promise<number | null>;
  private buffer = "";
  private waiters: Array<() => void> = [];
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(runtime: ServerRuntime, argv: readonly string[], env: Record<string, string>) {
    const { command, args } = runosCommand(runtime, argv);
    this.child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    this.exited = new Promise((resolve) => this.child.on("close", (code) => resolve(code)));
    this.child.stdout.setEncoding("utf8");
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (chunk: string) => this.stderrChunks.push(chunk));
    this.child.stdout.on("data", (chunk: string) => {
      this.buffer += chunk;
      let newline = this.buffer.indexOf("\n");
      while (newline >= 0) {
        this.lines.push(this.buffer.slice(0, newline));
        this.buffer = this.buffer.slice(newline + 1);
        newline = this.buffer.indexOf("\n");
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Write one raw line to the server's stdin. */
  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Wait until a stdout line answers request `id` (a JSON-RPC response with that id). */
  async response(id: number, timeoutMs = 30_000): Promise<JsonRpcLine> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const found = this.parsed().find((message) => message.id === id && message.method === undefined);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no response to id ${id}; stdout so far:\n${this.lines.join("\n")}\nstderr:\n${this.stderrChunks.join("")}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Every complete stdout line that parses as JSON (unparsable ones are caught by the test). */
  parsed(): JsonRpcLine[] {
    const out: JsonRpcLine[] = [];
    for (const line of this.lines) {
      try {
        out.push(JSON.parse(line) as JsonRpcLine);
      } catch {
        // reported by the hygiene assertion
      }
    }
    return out;
  }

  /** Whatever is left after the last newline (must be empty: every message ends its line). */
  partial(): string {
    return this.buffer;
  }

  /** Close stdin (the client going away) and wait for the exit code; kill after `timeoutMs`. */
  async end(timeoutMs = 10_000): Promise<number | null> {
    this.child.stdin.end();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const killed = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const outcome = await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    if (outcome === "timeout") {
      this.child.kill("SIGKILL");
      await this.exited;
      throw new Error(`the server did not exit within ${timeoutMs} ms after its stdin closed`);
    }
    return outcome;
  }

  /** Kill the child at once and wait for it to be gone. */
  async kill(): Promise<void> {
    this.child.kill("SIGKILL");
    await this.exited;
  }
}

/**
 * Record a fresh catalog check for the default profile under `configDir`, so that servers started
 * there keep the catalog they load (the hourly background sync is not due) and a test sees exactly it.
 */
export async function markCatalogChecked(configDir: string): Promise<void> {
  const { mkdir, writeFile } = await import("node:fs/promises");
  const dir = `${configDir}/cache/default`;
  await mkdir(dir, { recursive: true });
  await writeFile(`${dir}/manifest.check.json`, `${JSON.stringify({ checkedAt: new Date().toISOString() })}\n`);
}
