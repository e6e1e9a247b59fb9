/**
 * The options every command accepts, declared once in {@link GLOBAL_OPTIONS} (command_line.ts, with
 * the peek main.ts takes before parsing). The same list builds commander's options here and names the
 * flags a catalog field may not take. Environment variables fill what flags leave out, here and
 * nowhere else.
 */
import process from "node:process";
import { Option } from "@commander-js/extra-typings";
import type { Command } from "@commander-js/extra-typings";
import type { Command as PlainCommand } from "commander";
import { UsageError } from "../errors.ts";
import { PROFILE_NAME_PATTERN } from "../auth/config.ts";
import type { LogLevel } from "../log.ts";
import { GLOBAL_OPTIONS, profileOf } from "./command_line.ts";
import type { GlobalOptions } from "./context.ts";
import { OUTPUT_FORMATS, type OutputFormat } from "./render.ts";

export { GLOBAL_OPTIONS, type GlobalOptionSpec, peekCommandLine, type PeekedCommandLine, profileOf, VERSION_FLAGS } from "./command_line.ts";

/**
 * Flags a catalog field cannot take on a verb, because a global option or a flag every verb may get
 * already answers to them: commander would give the value to that option and the field would be
 * silently lost. (`--version` is not among them: see {@link VERSION_FLAGS}.)
 */
export const RESERVED_VERB_FLAGS: ReadonlySet<string> = new Set([
  ...GLOBAL_OPTIONS.flatMap((spec) => (spec.long.startsWith("--no-") ? [spec.long, `--${spec.long.slice(5)}`] : [spec.long])),
  "--help",
  "--yes",
  "--follow",
  "--cid",
]);

/** Declare the global options on the root program. */
export function addGlobalOptions<C extends Command>(program: C): C {
  const plain = program as unknown as PlainCommand;
  for (const spec of GLOBAL_OPTIONS) {
    const flags = spec.short === undefined ? spec.long : `${spec.short}, ${spec.long}`;
    const option = new Option(spec.value === undefined ? flags : `${flags} <${spec.value}>`, spec.description);
    if (spec.choices !== undefined) option.choices(spec.choices);
    if (spec.default !== undefined) option.default(spec.default);
    plain.addOption(option as unknown as Parameters<PlainCommand["addOption"]>[0]);
  }
  return program;
}

/**
 * Read the parsed global options, applying environment fallbacks. `stdoutIsTTY` decides the default
 * format (a table on a terminal, TSV when piped) and whether colour is allowed.
 */
export function readGlobalOptions(program: Command, env: Record<string, string | undefined> = process.env, stdoutIsTTY: boolean = process.stdout.isTTY === true): GlobalOptions {
  const raw = program.opts() as {
    profile?: string;
    apiUrl?: string;
    json?: boolean;
    output?: OutputFormat;
    color?: boolean;
    sandbox?: boolean;
    logLevel?: LogLevel;
  };
  const profile = profileOf(raw, env);
  if (profile !== undefined && !PROFILE_NAME_PATTERN.test(profile)) {
    throw new UsageError(`invalid profile name "${profile}"`, { hint: "use letters, digits, '-', '_' or '.' (at most 64)" });
  }
  if (raw.json === true && raw.output !== undefined && raw.output !== "json") {
    throw new UsageError(`--json and -o ${raw.output} ask for two formats`, { hint: "use one of them" });
  }
  const output: OutputFormat = raw.json === true ? "json" : raw.output ?? (stdoutIsTTY ? "table" : "tsv");
  return {
    profile,
    apiUrl: raw.apiUrl,
    json: output === "json",
    output,
    color: raw.color !== false && (env.NO_COLOR === undefined || env.NO_COLOR === "") && stdoutIsTTY,
    sandbox: raw.sandbox === true,
    logLevel: raw.logLevel ?? "warn",
  };
}
