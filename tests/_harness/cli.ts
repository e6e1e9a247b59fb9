/**
 * In-process command tests: a CliContext and a commander root that capture what a command prints,
 * and make every registered command throw instead of exiting the test process.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { after, before } from "node:test";
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

/** The variables that point runos at an account, a profile or a config directory. */
const RUNOS_VARIABLES = ["RUNOS_CONFIG_DIR", "RUNOS_API_KEY", "RUNOS_ACCOUNT_ID", "RUNOS_CLUSTER_ID", "RUNOS_PROFILE", "RUNOS_API_URL"];

/**
 * For the tests of the calling `describe`: none of the user's RunOS variables (nor `extra`), and a
 * fresh, empty config directory in RUNOS_CONFIG_DIR; the environment is restored and the directory
 * removed after.
 */
export function isolateRunosEnv(prefix: string, extra: readonly string[] = []): void {
  const saved = new Map<string, string | undefined>();
  let dir = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    for (const name of [...RUNOS_VARIABLES, ...extra]) {
      saved.set(name, process.env[name]);
      delete process.env[name];
    }
    process.env.RUNOS_CONFIG_DIR = dir;
  });
  after(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });
}
