/**
 * The CLI face of the catalog: one subcommand per Operation, built from the catalog at start-up.
 * `services/valkey/{id}/show` becomes `runos services valkey show <id>`; fields become kebab-case
 * flags; destructive calls need `--yes` (or a `[y/N]` answer on a terminal); job-starting calls can
 * `--follow`. The CLI runs with the user's own credentials, so no tier applies here.
 */
import type { Argument, Command as PlainCommand, Option } from "commander";
import type { Command } from "@commander-js/extra-typings";
import { placeholders, flagName } from "../catalog/naming.ts";
import type { Operation, Parameter } from "../catalog/operation.ts";
import { type LoadedCatalog, loadCatalog } from "../catalog/load.ts";
import { openSession, openSessionFor, requireSignedIn } from "../auth/session.ts";
import { syncCatalogIfDue } from "../catalog/sync.ts";
import type { CatalogUpdate } from "../catalog/fetch.ts";
import { stateDir } from "../auth/config.ts";
import { createLogger } from "../log.ts";
import { buildRequest } from "../api/request.ts";
import { CLI_ALLOWED, CLUSTER_ARGUMENT, operationPolicy, planCall } from "../policy/call_plan.ts";
import { ConfirmationRequiredError } from "../errors.ts";
import { findJobShow, jobIdOf } from "../api/jobs.ts";
import { followJobForCli } from "./commands/follow.ts";
import { followCommand, type JobPlace } from "./interrupt.ts";
import { stdinIsTTY } from "../runtime.ts";
import { confirm } from "./prompt.ts";
import { isSecretField, oneTimeSecretsNote, processVerbIo, readSecretsFromStdin, type VerbIo } from "./secret_input.ts";
import type { CliContext, GlobalOptions } from "./context.ts";
import { type PeekedCommandLine, profileOf, RESERVED_VERB_FLAGS } from "./global_options.ts";
import { type OutputFormat, renderResult, warningsOf } from "./render.ts";
import { styleFor } from "./style.ts";
import { completeFrom, completeWith } from "./completion/hints.ts";
import { listerFor } from "./completion/sources.ts";
import { clusterLabel, findClustersList, onCluster } from "../cluster_names.ts";
import { cliError, cliWords, fieldRules, type InputLabel, verbOf } from "./wording.ts";

/** Add one subcommand per catalog operation to `program`. */
export async function registerVerbs(program: Command, context: CliContext, peeked: PeekedCommandLine): Promise<void> {
  const loaded = await loadCatalog({ profile: profileOf(peeked), sandbox: peeked.sandbox });
  for (const warning of loaded.warnings) context.stderr(`warning: ${warning}`);
  const synced = peeked.sandbox ? undefined : await syncForVerbs(peeked, loaded.catalog.version);
  if (synced !== undefined) await auditSync(loaded, synced);
  addVerbs(program, context, synced?.operations ?? loaded.operations);
}

/**
 * Write what the check's new catalog changed in each server's tools to the audit log, as a server's
 * own check does: no server may be running to reload it, and `runos doctor` shows the last change.
 */
async function auditSync(before: LoadedCatalog, after: CatalogUpdate): Promise<void> {
  const [{ catalogToolsChanges }, { auditLogAt, auditPath }] = await Promise.all([import("../mcp/host/tools_change.ts"), import("../mcp/call/audit.ts")]);
  const log = auditLogAt(auditPath(stateDir()));
  for (const change of catalogToolsChanges({ version: before.catalog.version, operations: before.operations }, after, "sync", new Date())) await log.record(change);
}

/** The hourly catalog check, as the MCP servers run it; any failure leaves the loaded catalog in use. */
async function syncForVerbs(peeked: PeekedCommandLine, currentVersion: string): Promise<CatalogUpdate | undefined> {
  let session;
  try {
    const logger = createLogger({ level: peeked.logLevel === "debug" ? "debug" : "warn" });
    session = await openSession({ profile: profileOf(peeked), ...(peeked.apiUrl === undefined ? {} : { apiUrl: peeked.apiUrl }), log: logger });
    return await syncCatalogIfDue(session, { currentVersion, logger });
  } catch {
    return undefined; // the verb itself reports what is wrong with the session
  } finally {
    await session?.close().catch(() => {});
  }
}

/** The catalog commands a verb leans on besides its own: job polling and the cluster list (for names). */
interface VerbSupport {
  readonly operations: readonly Operation[];
  readonly jobShow?: Operation;
  readonly clustersList?: Operation;
}

/** Add a subcommand for each operation; a name a compiled-in command already holds is skipped. */
export function addVerbs(program: Command, context: CliContext, operations: readonly Operation[]): void {
  const root = program as unknown as PlainCommand;
  const jobShow = findJobShow(operations);
  const clustersList = findClustersList(operations);
  const support: VerbSupport = { operations, ...(jobShow === undefined ? {} : { jobShow }), ...(clustersList === undefined ? {} : { clustersList }) };
  for (const operation of operations) {
    const parent = groupFor(root, operation.verbPath.slice(0, -1));
    if (parent === undefined) continue;
    const leafName = operation.verbPath[operation.verbPath.length - 1]!;
    if (parent.commands.some((command) => command.name() === leafName)) continue;
    defineVerb(parent.command(leafName), operation, context, support);
  }
}

/**
 * The CLI flag of a catalog field or flag: its kebab-case name, or `set-<name>` when a global option
 * or a verb's own flag already answers to that name (a field `profile` is `--set-profile`), so no
 * field is silently swallowed by another option.
 */
export function cliFlagName(fieldName: string): string {
  const flag = flagName(fieldName);
  return RESERVED_VERB_FLAGS.has(`--${flag}`) ? `set-${flag}` : flag;
}

/** Find or create the group commands along `path`; undefined when a compiled-in leaf holds the name. */
function groupFor(root: PlainCommand, path: readonly string[]): PlainCommand | undefined {
  let current = root;
  for (const name of path) {
    let next = current.commands.find((command) => command.name() === name);
    if (next === undefined) {
      next = current.command(name).description(`Manage ${name}`);
    } else if (next.commands.length === 0) {
      return undefined;
    }
    current = next;
  }
  return current;
}

/**
 * The positional arguments of an operation: its `{placeholders}`, in path order, then the fields the
 * catalog marks `positional`.
 */
export function positionalNames(operation: Operation): string[] {
  const names = placeholders(operation.command);
  for (const param of operation.params) if (param.positional && !names.includes(param.name)) names.push(param.name);
  return names;
}

/** How the CLI spells an input of `operation` in messages: `<id>`, `--cid`, `--max-memory-mb`. */
export function inputLabel(operation: Operation): InputLabel {
  const positional = positionalNames(operation);
  return (name) => (positional.includes(name) ? `<${name}>` : name === CLUSTER_ARGUMENT ? "--cid" : `--${cliFlagName(name)}`);
}

function defineVerb(command: PlainCommand, operation: Operation, context: CliContext, support: VerbSupport): void {
  const positional = positionalNames(operation);
  const label = inputLabel(operation);
  const words = (text: string) => cliWords(text, operation, label, support.operations);
  command.description(words(operation.description || operation.command));
  for (const name of positional) {
    // A cluster id can come from RUNOS_CLUSTER_ID or the profile, so `clusters show` may omit it.
    const optional = name === CLUSTER_ARGUMENT || operation.params.find((param) => param.name === name)?.required === false;
    const text = name === CLUSTER_ARGUMENT
      ? "cluster id or name (default: RUNOS_CLUSTER_ID or the profile's default cluster)"
      : words(describe(operation, name));
    command.argument(optional ? `[${name}]` : `<${name}>`, text);
    completeFromLister(command.registeredArguments.at(-1), listerFor(operation, name, support.operations));
  }
  for (const param of operation.params) {
    if (positional.includes(param.name)) continue;
    addParamOption(command, operation, param, words);
  }
  if (operation.scope === "cluster" && !positional.includes("cid")) {
    command.option("--cid <cid>", "cluster id or name (default: RUNOS_CLUSTER_ID or the profile's default cluster)");
    completeFromLister(command.options.at(-1), support.clustersList);
  }
  for (const flag of operation.flags) {
    // A field of the same name wins, as in the tool's input schema.
    if (operation.params.some((param) => param.name === flag.name)) continue;
    command.option(`--${cliFlagName(flag.name)}`, words(flag.description ?? flag.name));
  }
  if (operationPolicy(operation, CLI_ALLOWED).confirm !== "never") command.option("-y, --yes", "do not ask for confirmation (required when not on a terminal)");
  if (operation.returnsJob) command.option("--follow", "wait for the background job to finish, showing progress");
  command.addHelpText("after", `\nAPI: ${operation.method} ${operation.endpoint}`);

  command.action(async (...actionArgs: unknown[]) => {
    const values = actionArgs.slice(0, positional.length) as (string | undefined)[];
    const options = (actionArgs[positional.length] ?? {}) as Record<string, unknown>;
    try {
      await runVerb(operation, positional, values, options, context, support);
    } catch (error) {
      throw cliError(error, operation, label, support.operations);
    }
  });
}

/** Let the shell complete `target` from what `lister` lists (ids and names), when there is one. */
function completeFromLister(target: Option | Argument | undefined, lister: Operation | undefined): void {
  if (target !== undefined && lister !== undefined) completeFrom(target, lister.verbPath);
}

/** A positional argument's help: the catalog's words, else where its value comes from. */
function describe(operation: Operation, name: string): string {
  const given = operation.params.find((param) => param.name === name)?.description;
  if (given) return given;
  const group = operation.verbPath.slice(0, -1).join(" ");
  return name === "id" && group !== "" ? `its id, as \`runos ${group} list\` shows it` : `the ${name}`;
}

function addParamOption(command: PlainCommand, operation: Operation, param: Parameter, words: (text: string) => string): void {
  const flag = `--${cliFlagName(param.name)}`;
  const secret = isSecretField(operation, param) ? "(- reads it from standard input, kept out of shell history)" : "";
  // The schema's limits in words (enum, bounds, pattern, default), so a value is right the first time.
  const text = [words(param.description), secret, fieldRules(param)].filter(Boolean).join(" ");
  if (param.type === "boolean") {
    command.option(flag, text);
    command.option(`--no-${cliFlagName(param.name)}`, `set ${flag} to false`);
  } else if (param.type === "array") {
    command.option(`${flag} <value>`, `${text} (repeatable)`, (value: string, previous: string[] = []) => [...previous, value]);
  } else {
    command.option(`${flag} <value>`, text);
  }
  const option = command.options[command.options.length - 1];
  if (param.enum !== undefined && option !== undefined) completeWith(option, param.enum.map(String));
}

/** The camelCase key commander uses for a field's flag. */
function optionKey(name: string): string {
  return cliFlagName(name).replace(/-([a-z0-9])/g, (_, char: string) => char.toUpperCase());
}

/**
 * The arguments buildRequest takes, from what commander parsed. Values stay strings: buildRequest
 * types and checks them against the catalog, naming the flags in its messages (see runVerb).
 */
export function collectArgs(operation: Operation, positional: readonly string[], values: readonly (string | undefined)[], options: Record<string, unknown>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  positional.forEach((name, i) => {
    if (values[i] !== undefined) args[name] = values[i];
  });
  for (const param of operation.params) {
    if (positional.includes(param.name)) continue;
    const raw = options[optionKey(param.name)];
    if (raw !== undefined) args[param.name] = raw;
  }
  if (typeof options.cid === "string") args.cid = options.cid;
  for (const flag of operation.flags) {
    if (options[optionKey(flag.name)] === true) args[flag.name] = true;
  }
  return args;
}

async function runVerb(
  operation: Operation,
  positional: readonly string[],
  values: readonly (string | undefined)[],
  options: Record<string, unknown>,
  context: CliContext,
  support: VerbSupport,
  io: VerbIo = processVerbIo,
): Promise<void> {
  const globals = context.globals();
  const args = collectArgs(operation, positional, values, options);
  const session = await openSessionFor(globals);
  for (const warning of session.warnings ?? []) context.stderr(`warning: ${warning}`);
  try {
    if (operation.scope !== "global") requireSignedIn(session);
    await readSecretsFromStdin(operation, args, io, context, inputLabel(operation));
    const verb = verbOf(operation);
    const plan = planCall(operation, CLI_ALLOWED, args, {
      face: "cli",
      defaultClusterId: session.defaultClusterId,
      label: inputLabel(operation),
      callName: `\`${verb}\``,
      usageHint: `see \`${verb} --help\``,
    });
    if (plan.confirmation.needed && options.yes !== true) {
      const shown = values.filter((value): value is string => value !== undefined);
      const what = `${verb}${shown.length ? ` ${shown.join(" ")}` : ""}`;
      // Which cluster it would hit, by name when known: the same command on another cluster is another act.
      const where = (cluster: string | undefined) => (cluster === undefined ? "" : ` on cluster ${cluster}`);
      if (!stdinIsTTY()) {
        throw new ConfirmationRequiredError(`refusing to run destructive \`${what}\`${where(plan.clusterId)} without confirmation`, { hint: "add --yes to confirm" });
      }
      const cluster = plan.clusterId === undefined ? undefined : await clusterLabel(plan.clusterId, session, support.clustersList);
      if (!(await confirm(`This will run \`${what}\`${where(cluster)}, which cannot be undone. Continue?`))) {
        throw new ConfirmationRequiredError("aborted: nothing was changed");
      }
    }
    const send = (clusterId?: string) => session.client.send(buildRequest(clusterId === undefined ? plan : { ...plan, clusterId }, { accountId: session.accountId ?? "" }));
    let result = plan.clusterId === undefined ? await send() : await onCluster(plan.clusterId, session, support.clustersList, send, { face: "cli" });
    const jobId = jobIdOf(result);
    if (jobId !== undefined && options.follow === true) {
      result = await followJobForCli(session, jobId, context, { started: true, ...(support.jobShow === undefined ? {} : { jobShow: support.jobShow }) });
    } else if (jobId !== undefined) {
      context.stderr(startedJob(jobId, session));
    }
    for (const warning of warningsOf(result)) context.stderr(warning);
    context.stdout(renderResult(result, { format: outputFormat(globals), columns: outputColumns(operation), style: styleFor(globals.color) }));
    const once = oneTimeSecretsNote(operation, result);
    if (once !== undefined) context.stderr(once);
  } finally {
    await session.close();
  }
}

/** What a job-starting verb says when it does not wait: how to wait for the job where it runs. */
function startedJob(jobId: string, session: JobPlace): string {
  if (session.sandbox && session.sandboxHost?.kind === "in-process") {
    return `Started job ${jobId} in this command's own sandbox, which stops with it (pass --follow to wait for it)`;
  }
  return `Started job ${jobId}; wait for it with \`${followCommand(jobId, session)}\` (or pass --follow)`;
}

/** The catalog's output fields of `operation`: a list's columns, in its order, before any other field. */
export function outputColumns(operation: Operation): string[] {
  return (operation.source.output?.fields ?? []).map((field) => (typeof field === "string" ? field : field.name));
}

/** The format a command prints in: `-o`, else JSON for `--json`, else a table. */
export function outputFormat(globals: GlobalOptions): OutputFormat {
  return globals.output ?? (globals.json ? "json" : "table");
}
