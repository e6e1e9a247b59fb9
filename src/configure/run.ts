/**
 * One `runos mcp configure <client>` run, free of process globals: plan the client's files, then
 * print them (`--print`), show a diff (`--dry-run`), or, after the client's confirmation if it has
 * one, write them. Reports "Wrote <path>" (with `--remove`, "Removed runos's entries from <path>" or
 * "Removed <path>") or "Up to date: <path>" per file, then the client's notes;
 * with `json`, one JSON object instead ({client, scope, files: [{path, status}], notes}).
 *
 * `--tiers` configures (or, with `--remove`, takes out) exactly the servers of those tiers; runos's
 * other servers already in the files are left as they were, and a note says so.
 */
import { ConfirmationRequiredError, UsageError } from "../errors.ts";
import type { ToolsMode } from "../mcp/tools/registry.ts";
import type { Operation } from "../catalog/operation.ts";
import { readTextIfExists } from "../atomic_write.ts";
import { SERVER_NAMES, type Tier, TIERS } from "../policy/tier.ts";
import { computeChanges, type FileChange, writeChanges } from "./apply.ts";
import { replacementNotes, shellWord } from "./change_notes.ts";
import { type HttpServerEntry, listNames, type SelfCommand, serverEntries, urlServerEntries } from "./servers.ts";
import { capNote, checkToolCap } from "./tool_cap.ts";
import { unifiedDiff } from "./unified_diff.ts";
import type { ClientWriter, ConfigureEnv, ConfigureInput, Scope } from "./writer.ts";

/** What to do: print the new files, show a diff, or write. */
export type ConfigureMode = "write" | "dry-run" | "print";

/** Everything one run needs, already parsed from the command line. */
export interface ConfigureRequest {
  readonly client: ClientWriter;
  readonly self: SelfCommand;
  readonly tiers: readonly Tier[];
  readonly operations: readonly Operation[];
  /** Undefined: the client's default scope. */
  readonly scope?: Scope;
  /** Absolute project root. */
  readonly projectDir: string;
  readonly env: ConfigureEnv;
  readonly remove: boolean;
  readonly trust: boolean;
  /** Accept the client's warning without asking. */
  readonly yes: boolean;
  readonly mode: ConfigureMode;
  /** Print one JSON object on stdout instead of text (`--json`). */
  readonly json?: boolean;
  /** `--dir` was given on the command line (it means nothing for a user-scope file). */
  readonly dirGiven?: boolean;
  /** Write past the client's tool cap (`--force`). */
  readonly force?: boolean;
  /** The servers run against the sandbox: `--sandbox` is written into their arguments. */
  readonly sandbox?: boolean;
  /** `--tools <mode>` written into the servers' arguments (auto: nothing written). */
  readonly tools?: ToolsMode;
  /** Whether runos has credentials; false warns that every tool will answer "not authenticated". */
  readonly signedIn?: boolean;
  /** How the command was chosen, for the note naming it ("as you ran it", "from --command"). */
  readonly commandOrigin?: string;
  /**
   * Servers already running as `runos mcp serve <tier> --http`, by tier (`--url`): written as the
   * client's URL entries instead of commands. Their tiers are the ones configured.
   */
  readonly urls?: Readonly<Partial<Record<Tier, string>>>;
  /** The variable holding the URL servers' token (`--token-env`, default RUNOS_MCP_TOKEN). */
  readonly tokenEnv?: string;
}

/** One file's outcome in `--json` output. */
export type FileStatus = "written" | "up-to-date" | "would-write" | "removed";

/** The `--json` output of a run. */
export interface ConfigureReport {
  readonly client: string;
  readonly scope: Scope;
  readonly files: { path: string; status: FileStatus; content?: string }[];
  readonly notes: string[];
}

/** Where a run talks to the person. */
export interface ConfigureIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether a typed answer can be asked for (stdin is a terminal). */
  readonly canPrompt: boolean;
  /** Ask for a typed "yes"; true only when it was typed. */
  confirmTypedYes(question: string): Promise<boolean>;
}

/** Run the request; returns the file changes (written unless mode says otherwise). */
export async function runConfigure(request: ConfigureRequest, io: ConfigureIo): Promise<FileChange[]> {
  const { client } = request;
  const scope = request.scope ?? client.scopes[0]!;
  if (!client.scopes.includes(scope)) {
    throw new UsageError(`${client.displayName} has no ${scope} scope`, {
      hint: `run \`runos mcp configure ${client.id}\` with --scope ${client.scopes.join(" or ")}`,
    });
  }
  if (request.trust && client.id !== "codex") throw new UsageError("--trust applies to codex only", { hint: "drop --trust" });
  if (request.urls !== undefined) refuseUrlsFor(client);
  const servers = request.urls === undefined
    ? serverEntries(request.self, request.tiers, { sandbox: request.sandbox === true, ...(request.tools === undefined ? {} : { tools: request.tools }) })
    : urlServerEntries(request.urls, request.tokenEnv);
  const planning: ConfigureInput = {
    servers,
    tiers: request.tiers,
    operations: request.operations,
    ...(request.tools === undefined ? {} : { tools: request.tools }),
    scope,
    projectDir: request.projectDir,
    env: request.env,
    remove: request.remove,
    trust: request.trust,
  };
  const changes = await computeChanges(client.plan(planning));
  const input: ConfigureInput = { ...planning, existing: await existingTexts(client, planning, changes) };
  const cap = request.remove ? undefined : checkToolCap(client, { ...request, remote: servers.some((server) => server.transport === "http") }, changes);
  if (cap !== undefined && cap.over && request.mode === "write" && request.force !== true) {
    throw new UsageError(`${cap.message}; nothing was written`, { hint: `ways to fit:${cap.remedies.map((remedy) => `\n  - ${remedy}`).join("")}` });
  }
  const notes = [
    ...(request.remove ? [] : commandNotes(request, input)),
    ...replacementNotes(changes, input.servers),
    ...runNotes(request, input),
    ...(cap === undefined ? [] : [capNote(cap, request.force === true)]),
    ...client.notes(input),
  ];
  if (request.signedIn === false && !request.remove && request.sandbox !== true) {
    io.stderr(
      "warning: runos is not signed in: the servers will start, but every tool will answer \"not authenticated\" until you run `runos login` " +
        `(or try them on the fake API: \`runos mcp configure ${client.id} --sandbox\`)`,
    );
  }
  const report = (status: (change: FileChange) => FileStatus, content = false) => {
    const result: ConfigureReport = {
      client: client.id,
      scope,
      files: changes.map((change) => ({
        path: change.path,
        status: status(change),
        ...(content && change.after !== undefined ? { content: change.after } : {}),
      })),
      notes,
    };
    io.stdout(JSON.stringify(result));
  };
  const pending = (change: FileChange): FileStatus => (change.changed ? "would-write" : "up-to-date");

  if (request.mode === "print") {
    if (request.json === true) {
      report(pending, true);
      return changes;
    }
    const shown = changes.filter((change) => change.after !== undefined);
    for (const change of shown) {
      if (shown.length > 1) io.stdout(`==> ${change.path} <==`);
      io.stdout(change.after!.replace(/\n$/, ""));
    }
    for (const note of notes) io.stderr(note);
    return changes;
  }

  const warning = changes.some((change) => change.changed) ? client.confirmation?.(input) : undefined;
  if (request.mode === "dry-run") {
    if (warning !== undefined) io.stderr(warning);
    if (request.json === true) {
      report(pending);
      return changes;
    }
    for (const change of changes) {
      if (change.changed) io.stdout(unifiedDiff(change.path, change.before, change.after!).replace(/\n$/, ""));
      else io.stdout(`Up to date: ${change.path}`);
    }
    io.stdout("Dry run: nothing was written.");
    for (const note of notes) io.stdout(note);
    return changes;
  }

  if (warning !== undefined) await confirm(client, warning, changes, request.yes, io);
  // A removal leaves no `.bak` behind, nor a directory it emptied (never the project root or the home).
  await writeChanges(changes, {}, { keepBackups: !request.remove, keepDirs: [request.projectDir, request.env.home] });
  if (request.json === true) {
    report((change) => (change.changed ? (request.remove ? "removed" : "written") : "up-to-date"));
    return changes;
  }
  for (const change of changes) {
    if (change.deleted === true) io.stdout(`Removed ${change.path} (nothing but runos's entries was in it)`);
    else if (change.changed) io.stdout(request.remove ? `Removed runos's entries from ${change.path} (the rest of it kept)` : `Wrote ${change.path}`);
    else if (change.after !== undefined || change.before !== undefined) io.stdout(`Up to date: ${change.path}`);
    // A file a writer updates only when it exists (Cline's VS Code extension creates its own) stays absent.
    else io.stdout(request.remove ? `Nothing to remove: ${change.path} does not exist` : `Skipped ${change.path}: it does not exist`);
  }
  for (const note of notes) io.stdout(note);
  return changes;
}

/** Refuse `--url` for a client whose file holds stdio servers only (Claude Desktop), saying what to do instead. */
export function refuseUrlsFor(client: ClientWriter): void {
  if (client.stdioOnly === undefined) return;
  throw new UsageError(`${client.displayName} cannot be configured with --url: ${client.stdioOnly.reason}`, { hint: client.stdioOnly.hint });
}

/** The text each planned file and each file the writer reads held before the run. */
async function existingTexts(client: ClientWriter, input: ConfigureInput, changes: readonly FileChange[]): Promise<Map<string, string | undefined>> {
  const texts = new Map<string, string | undefined>(changes.map((change) => [change.path, change.before]));
  for (const path of client.reads?.(input) ?? []) {
    if (!texts.has(path)) texts.set(path, await readTextIfExists(path).catch(() => undefined));
  }
  return texts;
}

/** Which command the servers run, and how to choose another. */
function commandNotes(request: ConfigureRequest, input: ConfigureInput): string[] {
  const tools = request.tools === undefined || request.tools === "auto" ? "" : ` --tools ${request.tools}`;
  const remote = input.servers.filter((server): server is HttpServerEntry => server.transport === "http");
  if (remote.length > 0) {
    return [
      `The client connects to ${remote.map((server) => `${server.name} at ${server.url}`).join(", ")}; ` +
        `keep \`runos mcp serve <tier> --http …${tools}\` running there (allowlists and tool counts assume it lists tools ${tools === "" ? "as it does by default" : `with${tools}`}).`,
    ];
  }
  if (input.servers.length === 0) return [];
  const prefix = [request.self.command, ...request.self.args].map(shellWord).join(" ");
  const sandbox = request.sandbox === true ? " --sandbox" : "";
  const origin = request.commandOrigin === undefined ? "" : ` (${request.commandOrigin})`;
  return [`The servers run \`${prefix} mcp serve <tier>${tools}${sandbox}\`${origin}; choose another program with --command <path>.`];
}

/** Notes about the request itself: a `--dir` that is not used, and what `--tiers` left alone. */
function runNotes(request: ConfigureRequest, input: ConfigureInput): string[] {
  const notes: string[] = [];
  if (request.dirGiven === true && input.scope === "user" && request.client.userScopeUsesDir !== true) {
    const why = request.client.scopes.includes("project")
      ? `with --scope user ${request.client.displayName} is configured in your home`
      : `${request.client.displayName} has only a user-wide config, in your home`;
    notes.push(`--dir was ignored: ${why}.`);
  }
  const others = TIERS.filter((tier) => !request.tiers.includes(tier));
  if (others.length > 0 && input.servers.length > 0) {
    const names = input.servers.map((server) => server.name);
    notes.push(
      `Only ${listNames(names)} ${names.length === 1 ? "is" : "are"} ${request.remove ? "taken out" : "configured"}; ` +
        `left as they were: ${others.map((tier) => SERVER_NAMES[tier]).join(", ")}; ` +
        `use --remove --tiers ${others.join(",")} to take them out.`,
    );
  }
  return notes;
}

async function confirm(client: ClientWriter, warning: string, changes: readonly FileChange[], yes: boolean, io: ConfigureIo): Promise<void> {
  io.stderr(warning);
  if (yes) return;
  const files = changes.filter((change) => change.changed).map((change) => `  ${change.path}`).join("\n");
  if (!io.canPrompt) {
    throw new ConfirmationRequiredError(`refusing to configure ${client.displayName} without confirmation (standard input is not a terminal); nothing was written`, {
      hint: `read the warning above, then run \`runos mcp configure ${client.id} --yes\``,
    });
  }
  const accepted = await io.confirmTypedYes(`This will change:\n${files}`);
  if (!accepted) {
    throw new ConfirmationRequiredError("aborted: nothing was written", { hint: `run \`runos mcp configure ${client.id}\` again and type yes, or pass --yes` });
  }
}

