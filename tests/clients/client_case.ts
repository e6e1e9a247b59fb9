/**
 * The contract of `make clients`: each real assistant, installed from npm at a pinned version into a
 * cache folder (never the project's dependencies), is configured by `runos mcp configure <id> --sandbox`
 * in a fresh project and home, then run in its non-interactive mode against a scripted stand-in for its
 * model API (`tests/clients/model/`). The runner (`scripts/clients.ts`) prepares the context; a case
 * drives its client and reports what it saw. The fake API's audit log is the oracle for what ran.
 */

/** The npm package that brings a client, pinned. */
export interface ClientPackage {
  /** npm package name, e.g. `opencode-ai`. */
  readonly name: string;
  /** Exact version. */
  readonly version: string;
  /** The executable it installs into `node_modules/.bin`. */
  readonly bin: string;
}

/** Everything a case gets from the runner. */
export interface CaseContext {
  /** Absolute path of the installed client's executable. */
  readonly clientBin: string;
  /** A fresh project directory, already configured by `runos mcp configure <id> --sandbox`. */
  readonly projectDir: string;
  /** A fresh home for the client (HOME, XDG_* and runos's own config dir live under it). */
  readonly home: string;
  /** The environment to start the client in: PATH, HOME, XDG_*, RUNOS_CONFIG_DIR, nothing of the real user. */
  readonly env: Readonly<Record<string, string>>;
  /** The argv prefix that runs runos (the compiled `dist/runos`), for extra configure or audit calls. */
  readonly runos: readonly string[];
  /** The fake API's audit log: every tool call the four sandbox servers answered, as JSON lines. */
  readonly auditPath: string;
  /** Write a line to the suite's log (stderr). */
  log(line: string): void;
}

/** One thing a case checked. */
export interface CaseCheck {
  /** What was checked, as a sentence: "a read tool runs unasked". */
  readonly name: string;
  readonly ok: boolean;
  /** What was seen. */
  readonly detail: string;
}

/** What a case found. */
export interface CaseReport {
  readonly checks: readonly CaseCheck[];
  /** Average bytes per runos tool as the client's model receives it (name + description + schema), per server. */
  readonly modelBytesPerTool?: Readonly<Record<string, number>>;
  /** Under the file runos writes and the client's defaults, what runs without asking (for the README). */
  readonly runsUnasked: string;
  /** How far the client could be driven, when not all the way (why). */
  readonly limits?: string;
}

/** A real assistant driven end to end. */
export interface ClientCase {
  /** `runos mcp configure <id>`. */
  readonly id: string;
  readonly displayName: string;
  readonly npm: ClientPackage;
  /** Drive the client; a failed expectation is a check with `ok: false`, not an exception. */
  run(context: CaseContext): Promise<CaseReport>;
}
