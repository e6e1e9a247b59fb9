/**
 * The bench's client: one MCP server as a child process, spoken to in raw JSON-RPC over its stdio
 * (no SDK on our side, so the client costs the same for every contender). Answers are matched by id
 * and measured in bytes as they arrived; the child's peak resident memory is read from
 * /proc/<pid>/status (VmHWM) on Linux.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Buffer } from "node:buffer";

/** How to start a contender. */
export interface ChildCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** The child's whole environment. */
  readonly env: Record<string, string>;
  readonly cwd?: string;
}

/** A JSON-RPC answer and the size of the line it came on. */
export interface Answer {
  readonly message: { id?: unknown; result?: unknown; error?: { code: number; message: string } };
  /** Bytes of the answer's line, without its newline. */
  readonly bytes: number;
}

const NEWLINE = 0x0a;

/** A running contender. */
export class JsonRpcChild {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, { resolve(answer: Answer): void; reject(error: Error): void }>();
  private readonly stderr: string[] = [];
  private buffered: Uint8Array[] = [];
  private nextId = 1;
  private exitCode: number | null | undefined;
  private readonly exited: Promise<void>;

  constructor(command: ChildCommand) {
    this.child = spawn(command.command, [...command.args], { env: command.env, cwd: command.cwd, stdio: ["pipe", "pipe", "pipe"] });
    this.exited = new Promise((resolve) => {
      this.child.on("close", (code) => {
        this.exitCode = code;
        const error = new Error(`the server exited (code ${code}) before answering; stderr:\n${this.stderrText().slice(-2000)}`);
        for (const waiter of this.pending.values()) waiter.reject(error);
        this.pending.clear();
        resolve();
      });
    });
    this.child.on("error", (error) => {
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    });
    this.child.stdin.on("error", () => {}); // a server that died early: reported through its exit
    this.child.stderr.on("data", (chunk: Uint8Array) => this.stderr.push(new TextDecoder().decode(chunk)));
    this.child.stdout.on("data", (chunk: Uint8Array) => this.receive(chunk));
  }

  /** The child's process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Everything the child wrote to stderr so far. */
  stderrText(): string {
    return this.stderr.join("");
  }

  /** Send a request and resolve with its answer; rejects after `timeoutMs` or when the child exits. */
  request(method: string, params?: unknown, timeoutMs = 30_000): Promise<Answer> {
    const id = this.nextId++;
    const answer = new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to ${method} within ${timeoutMs} ms; stderr:\n${this.stderrText().slice(-2000)}`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
    });
    this.write({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });
    return answer;
  }

  /** Send a notification. */
  notify(method: string, params?: unknown): void {
    this.write({ jsonrpc: "2.0", method, ...(params === undefined ? {} : { params }) });
  }

  /** Peak resident set size so far in KiB (VmHWM), or undefined where /proc is not available. */
  peakRssKiB(): number | undefined {
    if (this.pid === undefined) return undefined;
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
      const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
      return match === null ? undefined : Number(match[1]);
    } catch {
      return undefined;
    }
  }

  /** Close stdin (the client leaving) and wait for the exit; SIGKILL after `graceMs`. Resolves whether it left by itself. */
  async close(graceMs = 3_000): Promise<boolean> {
    if (this.exitCode !== undefined) return true;
    this.child.stdin.end();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    const left = await Promise.race([this.exited.then(() => true as const), late]);
    clearTimeout(timer);
    if (!left) {
      this.child.kill("SIGKILL");
      await this.exited;
    }
    return left;
  }

  private write(message: unknown): void {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  private receive(chunk: Uint8Array): void {
    let start = 0;
    for (let index = chunk.indexOf(NEWLINE); index >= 0; index = chunk.indexOf(NEWLINE, start)) {
      this.buffered.push(chunk.subarray(start, index));
      this.line(Buffer.concat(this.buffered));
      this.buffered = [];
      start = index + 1;
    }
    if (start < chunk.length) this.buffered.push(chunk.slice(start));
  }

  private line(bytes: Uint8Array): void {
    let message: Answer["message"] & { method?: unknown };
    try {
      message = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      return; // not JSON-RPC; the hygiene tests are where that is judged
    }
    if (typeof message.id !== "number" || message.method !== undefined) return; // a notification or a server request
    const waiter = this.pending.get(message.id);
    if (waiter === undefined) return;
    this.pending.delete(message.id);
    waiter.resolve({ message, bytes: bytes.length });
  }
}
