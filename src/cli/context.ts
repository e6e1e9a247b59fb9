/**
 * What every CLI command module receives: the parsed global options and the two output streams.
 * Commands print through these (never console.log) so tests can capture output and so that nothing
 * reaches stdout while an MCP server owns it.
 */
import type { Command } from "@commander-js/extra-typings";
import type { LogLevel } from "../log.ts";
import type { OutputFormat } from "./render.ts";

/** Options every command accepts. */
export interface GlobalOptions {
  /** Named profile (`--profile`, `RUNOS_PROFILE`); undefined means the current one. */
  readonly profile?: string;
  /** API URL override (`--api-url`, `RUNOS_API_URL`). */
  readonly apiUrl?: string;
  /** Machine-readable output (`--json`, `-o json`). */
  readonly json: boolean;
  /** How results are printed (`-o`); unset means `json` when `json` is set, else `table`. */
  readonly output?: OutputFormat;
  /** Colour allowed (`--no-color`, `NO_COLOR`, not a TTY turn it off). */
  readonly color: boolean;
  /** Run against the embedded fake RunOS API instead of the real one. */
  readonly sandbox: boolean;
  /** Stderr log level (`--log-level`). */
  readonly logLevel: LogLevel;
}

/** Handed to each `register…Commands` function. */
export interface CliContext {
  /** The global options, read after commander parsed them. */
  globals(): GlobalOptions;
  /** Write to standard output (a final newline is added when missing). */
  stdout(text: string): void;
  /** Write to standard error (a final newline is added when missing). */
  stderr(text: string): void;
  /** Which streams are terminals (unset: neither, as in tests). */
  readonly tty?: { readonly stdin: boolean; readonly stdout: boolean; readonly stderr: boolean };
  /** Write to standard error as is, no newline added (a live progress line); set only when stderr is a terminal. */
  stderrRaw?(text: string): void;
}

/** The commander type command modules register on. */
export type Program = Command;
