/**
 * One `runos mcp configure <client>` run, free of process globals: plan the client's files, then
 * print them (`--print`), show a diff (`--dry-run`), or, after the client's confirmation if it has
 * one, write them. Reports "Wrote <path>" or "Up to date: <path>" per file, then the client's notes.
 */
import { ConfirmationRequiredError, UsageError } from "../../errors.ts";
import type { Operation } from "../../catalog/operation.ts";
import type { Tier } from "../../policy/tier.ts";
import { computeChanges, type FileChange, writeChanges } from "./apply.ts";
import { type SelfCommand, serverEntries } from "./servers.ts";
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
  const input: ConfigureInput = {
    servers: serverEntries(request.self, request.tiers),
    tiers: request.tiers,
    operations: request.operations,
    scope,
    projectDir: request.projectDir,
    env: request.env,
    remove: request.remove,
    trust: request.trust,
  };
  const changes = await computeChanges(client.plan(input));
  const notes = client.notes(input);

  if (request.mode === "print") {
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
    for (const change of changes) {
      if (change.changed) io.stdout(unifiedDiff(change.path, change.before, change.after!).replace(/\n$/, ""));
      else io.stdout(`Up to date: ${change.path}`);
    }
    io.stdout("Dry run: nothing was written.");
    for (const note of notes) io.stdout(note);
    return changes;
  }

  if (warning !== undefined) await confirm(client, warning, changes, request.yes, io);
  await writeChanges(changes);
  for (const change of changes) {
    if (change.changed) io.stdout(`Wrote ${change.path}`);
    else if (change.after !== undefined || change.before !== undefined) io.stdout(`Up to date: ${change.path}`);
    else io.stdout(`Nothing to remove: ${change.path} does not exist`);
  }
  for (const note of notes) io.stdout(note);
  return changes;
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
