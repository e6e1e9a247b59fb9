/**
 * Build the `runos` command tree, run it, and turn what happened into an exit code: 0 success,
 * 1 failure, 2 usage error. Operator-facing error text is produced here alone.
 */
import { join } from "node:path";
import process from "node:process";
import { Command, CommanderError } from "@commander-js/extra-typings";
import type { OutputConfiguration, Command as PlainCommand } from "commander";
import { RunosError } from "../errors.ts";
import { VERSION_LINE } from "../version.ts";
import { fileSystemError } from "../atomic_write.ts";
import type { CliContext } from "./context.ts";
import { ExitWithCode } from "./exit_code.ts";
import { unknownCommandError } from "./suggest.ts";
import { addExamples } from "./examples.ts";
import { COMPLETE_COMMAND } from "./completion/hints.ts";
import { PLAIN, type Style, styleFor } from "./style.ts";
import { addGlobalOptions, peekCommandLine, type PeekedCommandLine, readGlobalOptions, VERSION_FLAGS } from "./global_options.ts";
import { registerLoginCommands } from "./commands/login.ts";
import { registerProfileCommands } from "./commands/profiles.ts";
import { registerConfigCommands } from "./commands/config.ts";
import { registerManifestCommands } from "./commands/manifest.ts";
import { registerMcpCommands } from "./commands/mcp.ts";
import { registerConfigureCommand } from "./commands/configure.ts";
import { registerSandboxCommand } from "./commands/sandbox.ts";
import { registerDoctorCommand } from "./commands/doctor.ts";
import { registerCompletionCommand } from "./commands/completion.ts";
import { registerFollowCommand } from "./commands/follow.ts";
import { registerAuditCommand } from "./commands/audit.ts";
import { registerVersionCommand } from "./commands/version.ts";
import { registerVerbs } from "./verbs.ts";
import { stateDir } from "../auth/config.ts";
import { cliLingerMs, shareSandbox } from "../auth/shared_sandbox.ts";

/** Commands compiled in; anything else on the command line is a catalog verb. */
const STATIC_COMMANDS = new Set(["login", "logout", "whoami", "profiles", "config", "manifest", "mcp", "follow", "sandbox", "audit", "doctor", "completion", "version", "help"]);

/** The help heading of the catalog's command groups, apart from the compiled-in commands. */
const CATALOG_GROUP_HEADING = "RunOS resources (from the command catalog):";

/** Streams the CLI writes to; replaceable in tests. */
export interface MainIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: MainIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/**
 * main() as the runos process runs it (mod.ts): a `--sandbox` command joins the sandbox this user's
 * processes share, with a lease that keeps it for the next command (see src/auth/shared_sandbox.ts).
 * Tests calling main() in-process keep an in-process sandbox each.
 */
export async function runProcess(argv: string[]): Promise<number> {
  // A completion's --sandbox is among the words typed, after its `--`.
  const completing = argv[0] === COMPLETE_COMMAND && (await import("./completion/dynamic.ts")).parseCompletionQuery(argv)?.sandbox === true;
  if (peekCommandLine(argv).sandbox || completing) shareSandbox(join(stateDir(process.env), "sandbox"), { lingerMs: cliLingerMs(process.env) });
  return await main(argv);
}

/** Run the CLI with `argv` (without the program name) and return the exit code. */
export async function main(argv: string[], io: MainIo = processIo): Promise<number> {
  // The completion scripts' hidden question, answered before any command tree is built (its module,
  // with zod, loaded only then).
  if (argv[0] === COMPLETE_COMMAND) {
    const { completionCandidates, parseCompletionQuery } = await import("./completion/dynamic.ts");
    for (const candidate of await completionCandidates(parseCompletionQuery(argv)!)) io.stdout(`${candidate}\n`);
    return 0;
  }
  const withNewline = (text: string) => (text.endsWith("\n") ? text : `${text}\n`);
  const peeked = peekCommandLine(argv);
  // `mcp serve` owns stdout for JSON-RPC: even with --json, its errors go to stderr.
  const serving = peeked.words[0] === "mcp" && peeked.words[1] === "serve";
  const json = peeked.json && !serving;
  // Under --json, commander's own complaints (unknown option, missing argument) become the JSON
  // envelope report() prints, instead of text on stderr.
  const commanderOutput = {
    writeOut: (text: string) => io.stdout(text),
    writeErr: (text: string) => (json ? undefined : io.stderr(text)),
    // Help wraps at the terminal's width, and at 80 columns anywhere else (pipes, tests).
    getOutHelpWidth: () => (io === processIo && process.stdout.isTTY === true ? process.stdout.columns ?? 80 : 80),
    getErrHelpWidth: () => (io === processIo && process.stderr.isTTY === true ? process.stderr.columns ?? 80 : 80),
  };
  const program = addGlobalOptions(new Command("runos"))
    .description("RunOS from the shell, and MCP servers that let AI assistants operate it safely.")
    .showSuggestionAfterError(true)
    .showHelpAfterError("(run with --help for usage)")
    .configureHelp({ showGlobalOptions: true })
    .configureOutput(commanderOutput)
    .exitOverride();
  // The root's --version only before any command word: after one, `--version 7.2` is a catalog
  // field's (`services valkey add --version 7.2`), which commander would otherwise swallow.
  if (peeked.words.length === 0) program.version(VERSION_LINE, VERSION_FLAGS.join(", "), "print the version, commit and build date");

  const context: CliContext = {
    // Only the real stdout can be a terminal: output captured by a caller (tests) is a pipe.
    globals: () => readGlobalOptions(program, process.env, io === processIo && process.stdout.isTTY === true),
    stdout: (text) => io.stdout(withNewline(text)),
    stderr: (text) => io.stderr(withNewline(text)),
    ...(io === processIo ? terminalOf(io) : {}),
  };

  registerLoginCommands(program, context);
  registerProfileCommands(program, context);
  registerConfigCommands(program, context);
  registerManifestCommands(program, context);
  const mcp = registerMcpCommands(program, context);
  registerConfigureCommand(mcp, context);
  registerFollowCommand(program, context);
  registerSandboxCommand(program, context);
  registerAuditCommand(program, context);
  registerDoctorCommand(program, context);
  registerCompletionCommand(program, context);
  registerVersionCommand(program, context);
  if (needsVerbs(peeked)) await registerVerbs(program, context, peeked);
  groupCatalogCommands(program as unknown as PlainCommand);
  addExamples(program as unknown as PlainCommand);
  applyExitOverride(program as unknown as PlainCommand, commanderOutput);

  try {
    // `runos help a b` is `runos a b --help`, however deep (commander's own help command takes one word).
    if (peeked.words[0] === "help") return printHelpOf(program as unknown as PlainCommand, peeked.words.slice(1));
    // Bare `runos` (global options at most) is a request for help, as with gh and kubectl: stdout, exit 0.
    if (peeked.words.length === 0 && !peeked.help && !peeked.version && (program as unknown as PlainCommand).parseOptions(argv).unknown.length === 0) {
      return printHelpOf(program as unknown as PlainCommand, []);
    }
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    const color = io === processIo && process.stderr.isTTY === true && !peeked.noColor && (process.env.NO_COLOR ?? "") === "";
    return report(error, io, json, peeked.logLevel === "debug", styleFor(color));
  }
}

/** Which of the process's streams are terminals, and the raw stderr writer a live progress line needs. */
function terminalOf(io: MainIo): Pick<CliContext, "tty" | "stderrRaw"> {
  const tty = { stdin: process.stdin.isTTY === true, stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true };
  return { tty, ...(tty.stderr ? { stderrRaw: (text: string) => io.stderr(text) } : {}) };
}

/** The first word of the command line that names a command: options and their values skipped. */
export function commandWord(argv: readonly string[]): string | undefined {
  return peekCommandLine(argv).words[0];
}

/** Whether the command line may name a catalog verb (or asks for the full help), so the catalog is loaded. */
function needsVerbs(peeked: PeekedCommandLine): boolean {
  const first = peeked.words[0];
  // No command word: the root help, which lists the catalog's groups (unless it is --version).
  if (first === undefined) return !peeked.version;
  if (first === "help") return peeked.words[1] === undefined || !STATIC_COMMANDS.has(peeked.words[1]);
  // The completion scripts cover every catalog verb.
  if (first === "completion") return true;
  return !STATIC_COMMANDS.has(first);
}

/** Put the catalog's groups under their own heading in the root help, after the compiled-in commands. */
function groupCatalogCommands(program: PlainCommand): void {
  for (const command of program.commands) {
    if (!STATIC_COMMANDS.has(command.name())) command.helpGroup(CATALOG_GROUP_HEADING);
  }
}

/** Print the help of the command at `path` (the root's when empty) on stdout; an unknown word is a usage error. */
function printHelpOf(program: PlainCommand, path: readonly string[]): number {
  let command = program;
  for (const [index, word] of path.entries()) {
    const next = command.commands.find((sub) => sub.name() === word || sub.aliases().includes(word));
    if (next === undefined) throw unknownCommandError(word, command, path.slice(0, index));
    command = next;
  }
  command.outputHelp();
  return 0;
}

/**
 * Every subcommand throws instead of exiting and writes through our streams. A group run without a
 * subcommand prints its help as an error (commander's "commander.help"), which report() maps to 2.
 */
function applyExitOverride(command: PlainCommand, output: OutputConfiguration): void {
  for (const sub of command.commands) {
    sub.exitOverride();
    sub.configureOutput(output);
    sub.showSuggestionAfterError(true);
    applyExitOverride(sub, output);
  }
}

/** Print an error for people (or as JSON with --json) and return its exit code (fast_serve.ts uses it too). */
export function report(thrown: unknown, io: MainIo, json: boolean, debug: boolean, style: Style = PLAIN): number {
  // A file-system failure that no module wrapped still gets its file named and a next step.
  const path = (thrown as { path?: unknown } | null)?.path;
  const error = typeof path === "string" && !(thrown instanceof RunosError) ? fileSystemError(path, "use", thrown) : thrown;
  if (error instanceof ExitWithCode) return error.code;
  if (error instanceof CommanderError) {
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return 0;
    if (error.code === "commander.help") return error.exitCode === 0 ? 0 : 2;
    // Without --json, commander already printed its message (unknown command, missing argument, …).
    if (json) {
      const message = error.message.replace(/^error: /, "");
      io.stdout(`${JSON.stringify({ error: message, hint: "run with --help for usage", type: "UsageError" }, null, 2)}\n`);
    }
    return 2;
  }
  if (error instanceof RunosError) {
    if (json) {
      io.stdout(`${JSON.stringify({ error: error.message, hint: error.hint, type: error.kind, ...(error.details ?? {}) }, null, 2)}\n`);
    } else {
      io.stderr(`${style.red("error:")} ${error.message}\n${error.hint ? `${style.dim("hint:")} ${error.hint}\n` : ""}`);
    }
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`internal error: ${message}\nhint: this is a bug in runos; run again with --log-level debug and report it\n`);
  if (error instanceof Error && error.stack && debug) io.stderr(`${error.stack}\n`);
  return 1;
}
