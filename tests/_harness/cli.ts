/**
 * In-process command tests: a CliContext and a commander root that capture what a command prints,
 * and make every registered command throw instead of exiting the test process.
 */
import { Command } from "@commander-js/extra-typings";
import type { Command as PlainCommand } from "commander";
import type { CliContext, GlobalOptions } from "../../src/cli/context.ts";

/** What {@link captureCli} returns. */
export interface CapturedCli {
  readonly context: CliContext;
  readonly program: Command;
  /** Each stdout write, in order. */
  readonly out: string[];
  /** Each stderr write, in order. */
  readonly err: string[];
  /** Parse `argv` after making every registered command throw instead of exiting. */
  run(argv: string[]): Promise<void>;
}

/** A context with these global options (defaults: no JSON, no colour, no sandbox, level warn). */
export function captureCli(globals: Partial<GlobalOptions> = {}): CapturedCli {
  const out: string[] = [];
  const err: string[] = [];
  const context: CliContext = {
    globals: () => ({ json: false, color: false, sandbox: false, logLevel: "warn", ...globals }),
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
  };
  const program = new Command("runos").exitOverride().configureOutput({ writeOut: (text) => out.push(text), writeErr: (text) => err.push(text) });
  return {
    context,
    program,
    out,
    err,
    run: async (argv) => {
      throwInsteadOfExit(program as unknown as PlainCommand);
      await program.parseAsync(argv, { from: "user" });
    },
  };
}

function throwInsteadOfExit(command: PlainCommand): void {
  for (const sub of command.commands) {
    sub.exitOverride();
    throwInsteadOfExit(sub);
  }
}
