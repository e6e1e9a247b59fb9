/**
 * One run of a real client as a child process: in the configured project, in its own process group,
 * bounded by a timeout. When the client exits (or times out) the whole group is killed, so the MCP
 * servers it started and anything else it left behind end with it and the suite never hangs on them.
 */
import { spawn } from "node:child_process";
import process from "node:process";
import type { CaseContext } from "./client_case.ts";

/** How long output that a leftover child holds open is waited for once the client itself has exited. */
const DRAIN_MS = 2_000;

/** What to run: the arguments, the whole environment, the bound. */
export interface ClientRunOptions {
  /** Arguments after the client's executable. */
  readonly args: readonly string[];
  /** The whole environment of the run: `context.env` plus the client's own variables (stand-in URL, key, switches). */
  readonly env: Readonly<Record<string, string>>;
  /** How long the run may take before its process group is killed. */
  readonly timeoutMs: number;
  /** Text written to the client's standard input, which is then closed; without it stdin is not open. */
  readonly input?: string;
}

/** How one run ended, with everything it printed. */
export interface ClientRun {
  readonly stdout: string;
  readonly stderr: string;
  /** For a check's detail: `exit 0`, `signal SIGTERM`, `timed out after 45 s` or `could not start: …`. */
  readonly exit: string;
  /** Whether the timeout ended it. */
  readonly timedOut: boolean;
}

/**
 * Run `context.clientBin` once in `context.projectDir` and resolve when it has ended and its process
 * group is killed. A case calls it once per fresh client run, with the stand-in already listening,
 * and reads the model's requests from the stand-in and what ran from the audit log afterwards.
 */
export function runClient(context: Pick<CaseContext, "clientBin" | "projectDir">, options: ClientRunOptions): Promise<ClientRun> {
  return new Promise((resolve) => {
    const child = spawn(context.clientBin, [...options.args], {
      cwd: context.projectDir,
      env: { ...options.env },
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let settled = false;
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.stdin?.on("error", () => {}); // a client that exits without reading its input
    if (options.input !== undefined) child.stdin?.end(options.input);
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // The group is gone already.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    let drain: ReturnType<typeof setTimeout> | undefined;
    const finish = (exit: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drain);
      killGroup();
      resolve({ stdout, stderr, timedOut, exit: timedOut ? `timed out after ${options.timeoutMs / 1000} s` : exit });
    };
    const ended = (code: number | null, signal: NodeJS.Signals | null) => (code === null ? `signal ${signal}` : `exit ${code}`);
    child.on("error", (error) => finish(`could not start: ${error.message}`));
    // The client is gone: end what it left (its MCP servers), then let its output drain.
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      killGroup();
      drain = setTimeout(() => finish(ended(code, signal)), DRAIN_MS);
    });
    child.on("close", (code, signal) => finish(ended(code, signal)));
  });
}
