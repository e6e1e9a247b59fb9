/**
 * `runos mcp configure …` as the command line runs it, in-process: the command registered on a bare
 * program with a fixed home, platform, self command and test catalog, its output captured.
 */
import { join } from "node:path";
import { Command } from "@commander-js/extra-typings";
import type { Env } from "../../../src/auth/config.ts";
import { type ConfigureDeps, registerConfigureCommand } from "../../../src/cli/commands/configure.ts";
import type { CliContext } from "../../../src/cli/context.ts";
import { GOLDEN_SELF, testOperations } from "./golden_tree.ts";

/** How a run is set up besides its arguments. */
export interface ConfigureCliOptions {
  /** Replaces any default seam (signedIn, probeUrl, …). */
  readonly deps?: ConfigureDeps;
  /** The process environment; HOME is `<root>/home` unless given. */
  readonly env?: Env;
  /** `--json` among the global options. */
  readonly json?: boolean;
  /** `--sandbox` among the global options. */
  readonly sandbox?: boolean;
}

/** Run `runos mcp configure <argv…>` with `root` as the working directory; `result` settles when it ends. */
export function runConfigureCli(root: string, argv: readonly string[], options: ConfigureCliOptions = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const context: CliContext = {
    globals: () => ({ json: options.json === true, color: false, sandbox: options.sandbox === true, logLevel: "warn" }),
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
  };
  const program = new Command("runos").exitOverride();
  const mcp = program.command("mcp").exitOverride();
  registerConfigureCommand(mcp, context, {
    env: { HOME: join(root, "home"), ...options.env },
    platform: "linux",
    cwd: root,
    self: GOLDEN_SELF,
    canPrompt: false,
    loadOperations: () => Promise.resolve(testOperations()),
    ...options.deps,
  });
  return { result: program.parseAsync(["mcp", "configure", ...argv], { from: "user" }), out, err };
}
