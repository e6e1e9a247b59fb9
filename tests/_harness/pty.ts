/**
 * Run a command on a pseudo-terminal, as a person at a terminal would, with util-linux's `script`
 * (`script -qec <command> /dev/null`): the command's stdin, stdout and stderr are the terminal, what
 * we write to script's stdin is typed into it (so "\x03" is Ctrl-C, delivered as SIGINT by the
 * terminal), and script exits with the command's exit code. Steps wait for text to appear before
 * typing, so tests do not depend on timing.
 */
import { spawn, spawnSync } from "node:child_process";

/** Whether `script` from util-linux is here (tests are skipped otherwise). */
export function hasScript(): boolean {
  const result = spawnSync("script", ["-qec", "true", "/dev/null"], { stdio: "ignore" });
  return result.status === 0;
}

/** One step: wait until the output matches `waitFor`, then type `type`. */
export interface PtyStep {
  readonly waitFor: RegExp;
  readonly type: string;
}

/** What the terminal showed and how the command ended. */
export interface PtyResult {
  readonly code: number | null;
  /** Everything written to the terminal (stdout and stderr together), `\r\n` as the terminal shows it. */
  readonly output: string;
}

/** Quote one word for `sh -c`. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Run `commandLine` (a shell command) on a pseudo-terminal, typing `steps` as their text appears. */
export function runInPty(commandLine: string, env: Record<string, string>, steps: readonly PtyStep[] = [], timeoutMs = 30_000): Promise<PtyResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", commandLine, "/dev/null"], { env: { TERM: "xterm", ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    let next = 0;
    const advance = () => {
      while (next < steps.length && steps[next]!.waitFor.test(output)) {
        child.stdin.write(steps[next]!.type);
        next++;
      }
    };
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      advance();
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stdin.on("error", () => {});
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Text without ANSI escapes and carriage returns, to match against. */
export function plainText(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");
}
