/**
 * `runos version`: what `runos --version` prints, as gh, kubectl and flyctl users type it; `--json`
 * gives the release, commit and build date as fields.
 */
import type { Command } from "@commander-js/extra-typings";
import { BUILD_COMMIT, BUILD_DATE, VERSION, VERSION_LINE } from "../../version.ts";
import type { CliContext } from "../context.ts";

/** Register `runos version` on the root program. */
export function registerVersionCommand(program: Command, context: CliContext): void {
  program
    .command("version")
    .description("print the version, commit and build date (same as --version)")
    .action(() => {
      if (context.globals().json) {
        context.stdout(JSON.stringify({ version: VERSION, commit: BUILD_COMMIT ?? null, buildDate: BUILD_DATE ?? null }, null, 2));
      } else {
        context.stdout(VERSION_LINE);
      }
    });
}
