/**
 * The command line as read before commander parses it: the global options' declarations, and
 * {@link peekCommandLine}, which main.ts uses to pick the catalog and the error format and mod.ts
 * uses to recognise `runos mcp serve <tier>` without building commander's tree. It never loads
 * commander, so the MCP servers' start-up path does not pay for it.
 */
import process from "node:process";
import { LOG_LEVELS } from "../log.ts";
import { OUTPUT_FORMATS } from "./render.ts";

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
    description: "output format: table, wide, json, yaml or tsv (default: table on a terminal, tsv when piped)",
    choices: OUTPUT_FORMATS,
  },
  { long: "--no-color", description: "disable colour (also NO_COLOR)" },
  { long: "--sandbox", description: "run against the embedded fake RunOS API (no account needed)" },
  { long: "--log-level", value: "level", description: "log level on stderr", choices: LOG_LEVELS, default: "warn" },
];

/** The root's version flag; it counts only before any command word (`runos --version`). */
export const VERSION_FLAGS = ["-V", "--version"] as const;

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

