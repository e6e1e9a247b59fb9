/**
 * The contract every client config writer fulfils: given the runos server entries and where things
 * live, it plans file edits as pure text → text functions. Reading, diffing, confirming and atomic
 * writing happen once, in `apply.ts` and `run.ts`, never in a writer.
 */
import type { ToolsMode } from "../mcp/tools/registry.ts";
import type { Operation } from "../catalog/operation.ts";
import type { Tier } from "../policy/tier.ts";
import type { ServerEntry } from "./servers.ts";

/** Where a client's files go: the project directory or the user's home. */
export type Scope = "project" | "user";

/** The environment a writer may consult, injected so tests never touch the real home. */
export interface ConfigureEnv {
  /** The user's home directory. */
  readonly home: string;
  /** `process.platform` of the machine whose clients are configured. */
  readonly platform: string;
  /** `%APPDATA%` on Windows. */
  readonly appData?: string;
  /** `$CODEX_HOME` (defaults to `~/.codex`). */
  readonly codexHome?: string;
  /** `$XDG_CONFIG_HOME` (defaults to `~/.config`). */
  readonly xdgConfigHome?: string;
  /** `$COPILOT_HOME` (defaults to `~/.copilot`). */
  readonly copilotHome?: string;
}

/** Everything a writer needs to plan its files. */
export interface ConfigureInput {
  /** The servers to write (or remove), one per selected tier, in tier order. */
  readonly servers: readonly ServerEntry[];
  /** The selected tiers. */
  readonly tiers: readonly Tier[];
  /** The catalog's operations, for allowlists and tool counts. */
  readonly operations: readonly Operation[];
  /** How the servers list their tools (`--tools`), for allowlists and tool counts. */
  readonly tools?: ToolsMode;
  readonly scope: Scope;
  /** Absolute project root. */
  readonly projectDir: string;
  readonly env: ConfigureEnv;
  /** Take runos's entries out instead of adding them. */
  readonly remove: boolean;
  /** Codex only: also mark the project trusted in the user's global config. */
  readonly trust: boolean;
  /**
   * What the files a writer {@link ClientWriter.reads} (and its planned files) held before the run,
   * by absolute path (undefined: absent). Filled in by run.ts before `notes` is asked.
   */
  readonly existing?: ReadonlyMap<string, string | undefined>;
}

/** What `PlannedFile.update` returns to have the file deleted: it holds nothing but what runos put there. */
export const DELETE_FILE: unique symbol = Symbol("delete the file");

/** The file holds only runos's entries (after a removal): delete it rather than leave an empty shell. */
export type DeleteFile = typeof DELETE_FILE;

/**
 * One file a writer wants changed. `update` receives the current text (undefined when the file does
 * not exist) and returns the new text; returning the input unchanged means "up to date", and
 * returning undefined for a missing file means "leave it absent". It throws ConfigFileError when the
 * current text cannot be parsed, so the file is left untouched.
 */
export interface PlannedFile {
  /** Absolute path. */
  readonly path: string;
  update(current: string | undefined): string | undefined | DeleteFile;
}

/** A client's limit on the tools it uses, and how to read which runos servers a file configures. */
export interface ToolCap {
  /** Most tools the client uses across all its servers. */
  readonly limit: number;
  /** Names of the MCP servers configured in one of the client's files (its text, as it will be written). */
  serversIn(text: string): string[];
}

/** A client runos can configure. */
export interface ClientWriter {
  /** Command-line name, e.g. `claude-desktop`. */
  readonly id: string;
  /** Human name, e.g. "Claude Desktop". */
  readonly displayName: string;
  /** The scopes the client has; the first is the default. */
  readonly scopes: readonly Scope[];
  /** The files to edit. */
  plan(input: ConfigureInput): PlannedFile[];
  /** Lines to tell the user after planning (approval steps, caveats). */
  notes(input: ConfigureInput): string[];
  /** Files the notes depend on besides the planned ones (read before `notes`, see ConfigureInput.existing). */
  reads?(input: ConfigureInput): string[];
  /** The client's tool limit, when it has one (Windsurf: 100). */
  readonly toolCap?: ToolCap;
  /** Set for a client whose file holds stdio servers only: why `--url` cannot be written, and what to do instead. */
  readonly stdioOnly?: { readonly reason: string; readonly hint: string };
  /** Its user-scope files still depend on the project directory (Copilot saves approvals per project), so `--dir` is used there too. */
  readonly userScopeUsesDir?: boolean;
  /** A warning the user must accept with a typed `yes` (or `--yes`) before anything is written. */
  confirmation?(input: ConfigureInput): string | undefined;
}
