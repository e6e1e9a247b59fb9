/**
 * `runos completion bash|zsh|fish`: print a completion script for the shell, covering the compiled-in
 * commands, every verb of the catalog in use with its flags (and enum values), the tiers and the
 * clients of `mcp configure`.
 */
import type { Command as PlainCommand } from "commander";
import { Argument, type Command } from "@commander-js/extra-typings";
import { loadCatalog } from "../../catalog/load.ts";
import { UsageError } from "../../errors.ts";
import type { CliContext } from "../context.ts";
import { completeWith } from "../completion/hints.ts";
import { completionScript, type Shell, SHELLS } from "../completion/scripts.ts";
import { completionSpec } from "../completion/spec.ts";

/** Register `runos completion <shell>`. */
export function registerCompletionCommand(program: Command, context: CliContext): void {
  const shell = completeWith(new Argument("<shell>", `one of: ${SHELLS.join(", ")}`) as unknown as import("commander").Argument, SHELLS);
  program
    .command("completion")
    .description("print a shell completion script: bash, zsh or fish (e.g. `source <(runos completion bash)`)")
    .addArgument(shell as unknown as Argument<string>)
    .action(async (name: string) => {
      if (!(SHELLS as readonly string[]).includes(name)) {
        throw new UsageError(`no completion for "${name}"`, { hint: `choose one of: ${SHELLS.join(", ")}` });
      }
      const globals = context.globals();
      const { catalog } = await loadCatalog({ profile: globals.profile, sandbox: globals.sandbox });
      context.stdout(completionScript(name as Shell, completionSpec(program as unknown as PlainCommand), catalog.version).replace(/\n$/, ""));
    });
}
