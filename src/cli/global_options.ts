/**
 * The options every command accepts, declared once on the root program and read back as a typed
 * GlobalOptions. Environment variables fill what flags leave out.
 */
import process from "node:process";
import { Option } from "@commander-js/extra-typings";
import type { Command } from "@commander-js/extra-typings";
import { UsageError } from "../errors.ts";
import { PROFILE_NAME_PATTERN } from "../auth/config.ts";
import { type GlobalOptions, LOG_LEVELS, type LogLevel } from "./context.ts";

/** Declare the global options on the root program. */
export function addGlobalOptions<C extends Command>(program: C) {
  return program
    .option("--profile <name>", "use a named profile (default: the current one; env RUNOS_PROFILE)")
    .option("--api-url <url>", "RunOS API URL (env RUNOS_API_URL)")
    .option("--json", "print machine-readable JSON")
    .option("--no-color", "disable colour (also NO_COLOR)")
    .option("--sandbox", "run against the embedded fake RunOS API (no account needed)")
    .addOption(new Option("--log-level <level>", "log level on stderr").choices(LOG_LEVELS).default("warn" as LogLevel));
}

/** Read the parsed global options, applying environment fallbacks. */
export function readGlobalOptions(program: Command, env: Record<string, string | undefined> = process.env): GlobalOptions {
  const raw = program.opts() as {
    profile?: string;
    apiUrl?: string;
    json?: boolean;
    color?: boolean;
    sandbox?: boolean;
    logLevel?: LogLevel;
  };
  const profile = raw.profile ?? (env.RUNOS_PROFILE || undefined);
  if (profile !== undefined && !PROFILE_NAME_PATTERN.test(profile)) {
    throw new UsageError(`invalid profile name "${profile}"`, { hint: "use letters, digits, '-', '_' or '.' (at most 64)" });
  }
  return {
    profile,
    apiUrl: raw.apiUrl,
    json: raw.json === true,
    color: raw.color !== false && env.NO_COLOR === undefined && process.stdout.isTTY === true,
    sandbox: raw.sandbox === true,
    logLevel: raw.logLevel ?? "warn",
  };
}
