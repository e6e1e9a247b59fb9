/**
 * Start one configured MCP server exactly as its client would (command, arguments, env, working
 * directory) and speak just enough MCP to it: `initialize`, `notifications/initialized`,
 * `tools/list`. Bounded by a short timeout; the child is always stopped afterwards. No SDK: a few
 * newline-delimited JSON-RPC lines are all a health check needs.
 */
import { spawn } from "node:child_process";
import process from "node:process";

/** What a probe found. */
export type ProbeResult =
  | { readonly ok: true; readonly serverName?: string; readonly serverVersion?: string; readonly tools: number; readonly ms: number }
  | { readonly ok: false; readonly problem: string; readonly stderr: string };

/** How to start the server. */
export interface ProbeTarget {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd: string;
}

/** Probe `target`, giving up after `timeoutMs`. */
export function probeServer(target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let stderr = "";
    let buffered = "";
    let settled = false;
    let serverName: string | undefined;
    let serverVersion: string | undefined;
    const child = spawn(target.command, [...target.args], {
      cwd: target.cwd,
      env: { ...process.env, ...target.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdin.end();
      // A server exits when stdin closes; one that does not is stopped.
      setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), 500).unref?.();
      child.kill("SIGTERM");
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, problem: `no answer within ${Math.round(timeoutMs / 1000)} s`, stderr }), timeoutMs);
    const send = (message: unknown) => {
      try {
        child.stdin.write(`${JSON.stringify(message)}\n`);
      } catch {
        // the exit handler reports it
      }
    };
    child.on("error", (error) => finish({ ok: false, problem: `cannot start it: ${error.message}`, stderr }));
    child.on("exit", (code, signal) => finish({ ok: false, problem: `it exited (${signal ?? `code ${code}`}) before answering`, stderr }));
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString("utf8");
    });
    child.stdin.on("error", () => {});
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line === "") continue;
        let message: { id?: unknown; result?: Record<string, unknown>; error?: { message?: string } };
        try {
          message = JSON.parse(line);
        } catch {
          finish({ ok: false, problem: `it wrote something that is not JSON-RPC on stdout: ${line.slice(0, 80)}`, stderr });
          return;
        }
        if (message.error !== undefined) {
          finish({ ok: false, problem: `it answered with an error: ${message.error.message ?? "unknown"}`, stderr });
          return;
        }
        if (message.id === 1) {
          const info = message.result?.serverInfo as { name?: unknown; version?: unknown } | undefined;
          serverName = typeof info?.name === "string" ? info.name : undefined;
          serverVersion = typeof info?.version === "string" ? info.version : undefined;
          send({ jsonrpc: "2.0", method: "notifications/initialized" });
          send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
        } else if (message.id === 2) {
          const tools = Array.isArray(message.result?.tools) ? message.result.tools.length : 0;
          finish({
            ok: true,
            ...(serverName === undefined ? {} : { serverName }),
            ...(serverVersion === undefined ? {} : { serverVersion }),
            tools,
            ms: Math.round(performance.now() - started),
          });
        }
      }
    });
    send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "runos-doctor", version: "1" } },
    });
  });
}
