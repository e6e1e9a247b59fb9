/**
 * `runos mcp serve <tier>` without commander: mod.ts asks {@link serveCommandLine} first, and a
 * plain serve command line (the three words and global options only, every value well-formed) starts
 * the server directly, so an MCP client's first answers pay neither for commander's command tree nor
 * for the other commands' modules. Anything else, and any serve command line this reading is not sure
 * of, goes through main(), which parses it and reports its errors exactly as before.
 */
import { join } from "node:path";
import process from "node:process";
import { isatty } from "node:tty";
import { PROFILE_NAME_PATTERN } from "../auth/config.ts";
import { LOG_LEVELS, type LogLevel } from "../log.ts";
import { TIERS, type Tier } from "../policy/tier.ts";
import type { ToolsMode } from "../mcp/tools/registry.ts";

/** The values `mcp serve --tools` accepts (commands/mcp.ts declares the same choices). */
const SERVE_TOOLS_MODES: readonly ToolsMode[] = ["all", "discover", "auto"];
import { GLOBAL_OPTIONS, peekCommandLine, profileOf, VERSION_FLAGS } from "./command_line.ts";

/** What a plain `runos mcp serve <tier>` command line asks for. */
export interface ServeCommandLine {
  readonly tier: Tier;
  readonly profile?: string;
  readonly apiUrl?: string;
  readonly sandbox: boolean;
  readonly logLevel: LogLevel;
  /** `--tools <mode>` (commander's default: auto). */
  readonly toolsMode: ToolsMode;
  /** `--all-tools`. */
  readonly allTools: boolean;
}

/**
 * The serve command's own options this reading takes (after the word `serve`, as commander reads
 * them), and `argv` without them; undefined when one is malformed or not one of these.
 */
function serveOptionsOf(argv: readonly string[]): { rest: string[]; toolsMode: ToolsMode; allTools: boolean } | undefined {
  const serveAt = argv.findIndex((arg, i) => arg === "serve" && argv[i - 1] === "mcp");
  const rest: string[] = [];
  let toolsMode: ToolsMode = "auto";
  let allTools = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") return undefined;
    if (serveAt < 0 || i < serveAt) {
      rest.push(arg);
      continue;
    }
    if (arg === "--all-tools") {
      allTools = true;
      continue;
    }
    if (arg === "--tools" || arg.startsWith("--tools=")) {
      const value = arg === "--tools" ? argv[++i] : arg.slice("--tools=".length);
      const mode = SERVE_TOOLS_MODES.find((candidate) => candidate === value);
      if (mode === undefined) return undefined;
      toolsMode = mode;
      continue;
    }
    rest.push(arg);
  }
  return { rest, toolsMode, allTools };
}

/**
 * The serve command `argv` (without the program name) holds, when commander would read it the same
 * way and accept it; undefined for any other command line, for help and version flags, for an
 * option commander would refuse or a value it might read otherwise, and for a tier or profile name
 * main() would refuse with its usual message.
 */
export function serveCommandLine(given: readonly string[], env: Record<string, string | undefined> = process.env): ServeCommandLine | undefined {
  const serveOptions = serveOptionsOf(given);
  if (serveOptions === undefined) return undefined;
  const argv = serveOptions.rest;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("-")) continue;
    const equals = arg.indexOf("=");
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    const spec = GLOBAL_OPTIONS.find((candidate) => candidate.long === flag);
    // `--`, `-h`, `--help`, `-V`, `--version` and options of no command: main() decides.
    if (spec === undefined || (VERSION_FLAGS as readonly string[]).includes(flag)) return undefined;
    if (spec.value === undefined) {
      if (equals > 0) return undefined;
      continue;
    }
    const value = equals > 0 ? arg.slice(equals + 1) : argv[++i];
    if (value === undefined || value === "" || value.startsWith("-")) return undefined;
  }
  const peeked = peekCommandLine(argv);
  const [group, command, tierName, ...rest] = peeked.words;
  if (group !== "mcp" || command !== "serve" || tierName === undefined || rest.length > 0) return undefined;
  const tier = TIERS.find((candidate) => candidate === tierName.replace(/_/g, "-"));
  if (tier === undefined) return undefined;
  const logLevel = peeked.logLevel ?? "warn";
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) return undefined;
  const profile = profileOf(peeked, env);
  if (profile !== undefined && !PROFILE_NAME_PATTERN.test(profile)) return undefined;
  return {
    tier,
    ...(profile === undefined ? {} : { profile }),
    ...(peeked.apiUrl === undefined ? {} : { apiUrl: peeked.apiUrl }),
    sandbox: peeked.sandbox,
    logLevel: logLevel as LogLevel,
    toolsMode: serveOptions.toolsMode,
    allTools: serveOptions.allTools,
  };
}

/**
 * Serve the tier `argv` names and return the exit code, or undefined when `argv` is not a plain serve
 * command line (see {@link serveCommandLine}); a failure is reported as main() reports it.
 */
export async function fastServe(argv: readonly string[]): Promise<number | undefined> {
  const line = serveCommandLine(argv);
  if (line === undefined) return undefined;
  // Started by hand on a terminal: main() says on stderr what a stdio server is and how to try it.
  if (isatty(0)) return undefined;
  // The four --sandbox servers of one user share one sandbox, as main()'s serve command arranges.
  if (line.sandbox) {
    const [{ shareSandbox }, { stateDir }] = await Promise.all([import("../auth/shared_sandbox.ts"), import("../auth/config.ts")]);
    shareSandbox(join(stateDir(process.env), "sandbox"));
  }
  const { serve } = await import("../mcp/stdio/serve.ts");
  try {
    await serve(line.tier, {
      profile: line.profile,
      apiUrl: line.apiUrl,
      sandbox: line.sandbox,
      logLevel: line.logLevel,
      toolsMode: line.toolsMode,
      allTools: line.allTools,
    });
    return 0;
  } catch (error) {
    // The reporting (and commander with it) loads only when serving failed.
    const { report } = await import("./main.ts");
    const io = { stdout: (text: string) => void process.stdout.write(text), stderr: (text: string) => void process.stderr.write(text) };
    return report(error, io, false, line.logLevel === "debug");
  }
}
