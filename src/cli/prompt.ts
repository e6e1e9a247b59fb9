/**
 * Questions asked of a person at a terminal: a hidden secret, a `[y/N]`, a typed "yes". Prompts go to
 * stderr, so stdout stays clean for `--json` output. Callers check `stdinIsTTY()` first and fall back
 * to flags (`--yes`, `--with-token`) when there is no terminal.
 */
import process from "node:process";
import { createInterface } from "node:readline";
import { ConfirmationRequiredError, InterruptedError } from "../errors.ts";

/** What Ctrl-C at a prompt means: nothing was done (exit code 130). */
function cancelled(): InterruptedError {
  return new InterruptedError("cancelled at the prompt: nothing was changed");
}

/** Ask a question and return the line typed (without its newline); Ctrl-C rejects with InterruptedError. */
export async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY === true });
  // Only our own listeners come off: readline's own "close" handling restores the terminal (without
  // it, the keypress handler stays on stdin and echoes what is typed next, a token included).
  let onClose: (() => void) | undefined;
  let onInterrupt: (() => void) | undefined;
  try {
    return await new Promise<string>((resolve, reject) => {
      onClose = () => reject(new ConfirmationRequiredError("no answer: standard input closed"));
      onInterrupt = () => {
        process.stderr.write("\n");
        reject(cancelled());
      };
      rl.once("close", onClose);
      rl.once("SIGINT", onInterrupt);
      rl.question(question, (answer) => resolve(answer));
    });
  } finally {
    if (onClose !== undefined) rl.off("close", onClose);
    if (onInterrupt !== undefined) rl.off("SIGINT", onInterrupt);
    rl.close();
  }
}

/** Ask for a secret without echoing it; Ctrl-C rejects with InterruptedError. */
export async function askSecret(question: string): Promise<string> {
  const stdin = process.stdin;
  const wasRaw = stdin.isRaw === true;
  // Echo goes off before the question shows, so nothing typed (or pasted) right away is echoed.
  if (stdin.isTTY) stdin.setRawMode(true);
  process.stderr.write(question);
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = "";
      const onData = (chunk: Buffer | string) => {
        for (const char of chunk.toString("utf8")) {
          if (char === "\r" || char === "\n") {
            stdin.off("data", onData);
            process.stderr.write("\n");
            resolve(value);
            return;
          }
          if (char === "\u0003") {
            stdin.off("data", onData);
            process.stderr.write("\n");
            reject(cancelled());
            return;
          }
          if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
          else value += char;
        }
      };
      stdin.on("data", onData);
    });
  } finally {
    if (stdin.isTTY) stdin.setRawMode(wasRaw);
    stdin.pause();
  }
}

/** `[y/N]`: true only for y or yes. */
export async function confirm(question: string): Promise<boolean> {
  const answer = (await ask(`${question} [y/N] `)).trim().toLowerCase();
  return answer === "y" || answer === "yes";
}

/** Require the word "yes" typed in full, for actions with wide consequences. */
export async function confirmTypedYes(question: string): Promise<boolean> {
  const answer = (await ask(`${question}\nType "yes" to continue: `)).trim().toLowerCase();
  return answer === "yes";
}
