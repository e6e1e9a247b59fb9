/**
 * The options every command accepts, declared once in {@link GLOBAL_OPTIONS}. The same list builds
 * commander's options, lets main.ts peek at the command line before parsing (to pick the catalog and
 * the error format), and names the flags a catalog field may not take. Environment variables fill
 * what flags leave out, here and nowhere else.
 */
import process from "node:process";
import { Option } from "@commander-js/extra-typings";
import type { Command } from "@commander-js/extra-typings";
import type { Command as PlainCommand } from "commander";
import { UsageError } from "../errors.ts";
import { PROFILE_NAME_PATTERN } from "../auth/config.ts";
import { LOG_LEVELS, type LogLevel } from "../log.ts";
import type { GlobalOptions } from "./context.ts";
import { OUTPUT_FORMATS, type OutputFormat } from "./render.ts";

/** One global option: its long flag, the placeholder of its value (if it takes one), and its help. */
export interface GlobalOptionSpec {
  readonly long: string;
  /** A one-letter spelling, e.g. `-o`. */
  readonly short?: string;
  readonly value?: string;
  readonly description: string;
  readonly choices?: readonly string[];
  readonly default?: string;
}

/** Every global option, in help order. */
export const GLOBAL_OPTIONS: readonly GlobalOptionSpec[] = [
  { long: "--profile", value: "name", description: "use a named profile (default: the current one; env RUNOS_PROFILE)" },
  { long: "--api-url", value: "url", description: "RunOS API URL (env RUNOS_API_URL)" },
  { long: "--json", description: "print machine-readable JSON (same as -o json)" },
  {
    long: "--output",
    short: "-o",
    value: "format",
    description: "output format: table, json, yaml or tsv (default: table on a terminal, tsv when piped)",
    choices: OUTPUT_FORMATS,
  },
  { long: "--no-color", description: "disable colour (also NO_COLOR)" },
  { long: "--sandbox", description: "run against the embedded fake RunOS API (no account needed)" },
  { long: "--log-level", value: "level", description: "log level on stderr", choices: LOG_LEVELS, default: "warn" },
];

/** The root's version flag; it counts only before any command word (`runos --version`). */
export const VERSION_FLAGS = ["-V", "--version"] as const;

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

/** What the command line says before commander parses it. */
export interface PeekedCommandLine {
  /** Words that are not options nor values of global options, in order (`["mcp", "serve", "read"]`). */
  readonly words: readonly string[];
  /** `--profile` when given. */
  readonly profile?: string;
  /** `--api-url` when given. */
  readonly apiUrl?: string;
  /** `--json`, or `-o json`. */
  readonly json: boolean;
  /** `-o`/`--output` when given. */
  readonly output?: string;
  readonly sandbox: boolean;
  readonly logLevel?: string;
  /** `-V`/`--version` before any command word. */
  readonly version: boolean;
  /** `--no-color` was given. */
  readonly noColor: boolean;
  readonly help: boolean;
}

/** Read the global options off `argv` with the same declarations commander gets (up to a `--`). */
export function peekCommandLine(argv: readonly string[]): PeekedCommandLine {
  const words: string[] = [];
  const values = new Map<string, string>();
  const switches = new Set<string>();
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") break;
    if (!arg.startsWith("-")) {
      words.push(arg);
      continue;
    }
    const equals = arg.indexOf("=");
    const short = !arg.startsWith("--") && arg.length > 2 ? GLOBAL_OPTIONS.find((candidate) => candidate.short === arg.slice(0, 2) && candidate.value !== undefined) : undefined;
    if (short !== undefined) {
      values.set(short.long, arg.slice(2).replace(/^=/, ""));
      continue;
    }
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    const spec = GLOBAL_OPTIONS.find((candidate) => candidate.long === flag || candidate.short === flag);
    if (spec?.value !== undefined) {
      const value = equals > 0 ? arg.slice(equals + 1) : argv[++i];
      if (value !== undefined) values.set(spec.long, value);
    } else if (spec !== undefined || flag === "--help" || flag === "-h") {
      switches.add(flag === "-h" ? "--help" : flag);
    } else if ((VERSION_FLAGS as readonly string[]).includes(flag) && words.length === 0) {
      version = true;
    }
  }
  return {
    words,
    ...(values.has("--profile") ? { profile: values.get("--profile")! } : {}),
    ...(values.has("--log-level") ? { logLevel: values.get("--log-level")! } : {}),
    ...(values.has("--api-url") ? { apiUrl: values.get("--api-url")! } : {}),
    ...(values.has("--output") ? { output: values.get("--output")! } : {}),
    json: switches.has("--json") || values.get("--output") === "json",
    sandbox: switches.has("--sandbox"),
    version,
    noColor: switches.has("--no-color"),
    help: switches.has("--help"),
  };
}

/** The profile a command line asks for: `--profile`, else RUNOS_PROFILE. */
export function profileOf(peeked: Pick<PeekedCommandLine, "profile">, env: Record<string, string | undefined> = process.env): string | undefined {
  return peeked.profile ?? (env.RUNOS_PROFILE || undefined);
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
