/**
 * The CLI face of the catalog: one subcommand per Operation, built from the catalog at start-up.
 * `services/valkey/{id}/show` becomes `runos services valkey show <id>`; fields become kebab-case
 * flags; destructive calls need `--yes` (or a `[y/N]` answer on a terminal); job-starting calls can
 * `--follow`. The CLI runs with the user's own credentials, so no tier applies here.
 */
import type { Command as PlainCommand } from "commander";
import type { Command } from "@commander-js/extra-typings";
import { placeholders, flagName } from "../catalog/naming.ts";
import type { Operation, Parameter } from "../catalog/operation.ts";
import { loadCatalog } from "../catalog/load.ts";
import { openSession, openSessionFor } from "../auth/session.ts";
import { syncCatalogIfDue } from "../catalog/sync.ts";
import { createLogger } from "../log.ts";
import { buildRequest } from "../api/request.ts";
import { CLI_ALLOWED, CLUSTER_ARGUMENT, operationPolicy, planCall } from "../policy/call_plan.ts";
import { ConfirmationRequiredError } from "../errors.ts";
import { notAuthenticated } from "../api/client.ts";
import { findJobShow, jobIdOf } from "../api/jobs.ts";
import { followJobForCli } from "./commands/follow.ts";
import { stdinIsTTY } from "../runtime.ts";
import { confirm } from "./prompt.ts";
import type { CliContext } from "./context.ts";
import { type PeekedCommandLine, profileOf, RESERVED_VERB_FLAGS } from "./global_options.ts";
import { renderHuman, renderJson, warningsOf } from "./render.ts";

/** Add one subcommand per catalog operation to `program`. */
export async function registerVerbs(program: Command, context: CliContext, peeked: PeekedCommandLine): Promise<void> {
  const loaded = await loadCatalog({ profile: profileOf(peeked), sandbox: peeked.sandbox });
  for (const warning of loaded.warnings) context.stderr(`warning: ${warning}`);
  const synced = peeked.sandbox ? undefined : await syncForVerbs(peeked, loaded.catalog.version);
  addVerbs(program, context, synced ?? loaded.operations);
}

/** The hourly catalog check, as the MCP servers run it; any failure leaves the loaded catalog in use. */
async function syncForVerbs(peeked: PeekedCommandLine, currentVersion: string): Promise<readonly Operation[] | undefined> {
  let session;
  try {
    const logger = createLogger({ level: peeked.logLevel === "debug" ? "debug" : "warn" });
    session = await openSession({ profile: profileOf(peeked), ...(peeked.apiUrl === undefined ? {} : { apiUrl: peeked.apiUrl }), log: logger });
    return (await syncCatalogIfDue(session, { currentVersion, logger }))?.operations;
  } catch {
    return undefined; // the verb itself reports what is wrong with the session
  } finally {
    await session?.close().catch(() => {});
  }
}

/** Add a subcommand for each operation; a name a compiled-in command already holds is skipped. */
export function addVerbs(program: Command, context: CliContext, operations: readonly Operation[]): void {
  const root = program as unknown as PlainCommand;
  const jobShow = findJobShow(operations);
  for (const operation of operations) {
    const parent = groupFor(root, operation.verbPath.slice(0, -1));
    if (parent === undefined) continue;
    const leafName = operation.verbPath[operation.verbPath.length - 1]!;
    if (parent.commands.some((command) => command.name() === leafName)) continue;
    defineVerb(parent.command(leafName), operation, context, jobShow);
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
function positionalNames(operation: Operation): string[] {
  const names = placeholders(operation.command);
  for (const param of operation.params) if (param.positional && !names.includes(param.name)) names.push(param.name);
  return names;
}

function defineVerb(command: PlainCommand, operation: Operation, context: CliContext, jobShow: Operation | undefined): void {
  const positional = positionalNames(operation);
  command.description(operation.description || operation.command);
  for (const name of positional) {
    const optional = operation.params.find((param) => param.name === name)?.required === false;
    command.argument(optional ? `[${name}]` : `<${name}>`, describe(operation, name));
  }
  for (const param of operation.params) {
    if (positional.includes(param.name)) continue;
    addParamOption(command, param);
  }
  if (operation.scope === "cluster" && !positional.includes("cid")) {
    command.option("--cid <cid>", "cluster ID (default: RUNOS_CLUSTER_ID or the profile's default cluster)");
  }
  for (const flag of operation.flags) {
    // A field of the same name wins, as in the tool's input schema.
    if (operation.params.some((param) => param.name === flag.name)) continue;
    command.option(`--${cliFlagName(flag.name)}`, flag.description ?? flag.name);
  }
  if (operationPolicy(operation, CLI_ALLOWED).confirm !== "never") command.option("-y, --yes", "do not ask for confirmation (required when not on a terminal)");
  if (operation.returnsJob) command.option("--follow", "wait for the background job to finish, showing progress");
  command.addHelpText("after", `\nAPI: ${operation.method} ${operation.endpoint}   (catalog: ${operation.command})`);

  command.action(async (...actionArgs: unknown[]) => {
    const values = actionArgs.slice(0, positional.length) as string[];
    const options = (actionArgs[positional.length] ?? {}) as Record<string, unknown>;
    await runVerb(operation, positional, values, options, context, jobShow);
  });
}

function describe(operation: Operation, name: string): string {
  return operation.params.find((param) => param.name === name)?.description || `the ${name}`;
}

function addParamOption(command: PlainCommand, param: Parameter): void {
  const flag = `--${cliFlagName(param.name)}`;
  const text = [param.description, param.enum ? `one of: ${param.enum.join(", ")}` : "", param.required ? "(required)" : ""]
    .filter(Boolean).join(" ");
  if (param.type === "boolean") {
    command.option(flag, text);
    command.option(`--no-${cliFlagName(param.name)}`, `set ${param.name} to false`);
  } else if (param.type === "array") {
    command.option(`${flag} <value>`, `${text} (repeatable)`, (value: string, previous: string[] = []) => [...previous, value]);
  } else {
    command.option(`${flag} <value>`, text);
  }
}

/** The camelCase key commander uses for a field's flag. */
function optionKey(name: string): string {
  return cliFlagName(name).replace(/-([a-z0-9])/g, (_, char: string) => char.toUpperCase());
}

/**
 * The arguments buildRequest takes, from what commander parsed. Values stay strings: buildRequest
 * types and checks them against the catalog, naming the flags in its messages (see runVerb).
 */
export function collectArgs(operation: Operation, positional: readonly string[], values: readonly string[], options: Record<string, unknown>): Record<string, unknown> {
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
  values: readonly string[],
  options: Record<string, unknown>,
  context: CliContext,
  jobShow: Operation | undefined,
): Promise<void> {
  const globals = context.globals();
  const args = collectArgs(operation, positional, values, options);
  const session = await openSessionFor(globals);
  for (const warning of session.warnings ?? []) context.stderr(`warning: ${warning}`);
  try {
    if (session.accountId === undefined && operation.scope !== "global") {
      throw notAuthenticated();
    }
    const verb = `runos ${operation.verbPath.join(" ")}`;
    const plan = planCall(operation, CLI_ALLOWED, args, {
      face: "cli",
      defaultClusterId: session.defaultClusterId,
      label: (name) => (positional.includes(name) ? `<${name}>` : name === CLUSTER_ARGUMENT ? "--cid" : `--${cliFlagName(name)}`),
      callName: `\`${verb}\``,
      usageHint: `see \`${verb} --help\``,
    });
    if (plan.confirmation.needed && options.yes !== true) {
      const what = `${verb}${values.length ? ` ${values.join(" ")}` : ""}`;
      if (!stdinIsTTY()) {
        throw new ConfirmationRequiredError(`refusing to run destructive \`${what}\` without confirmation`, { hint: "add --yes to confirm" });
      }
      if (!(await confirm(`This will run \`${what}\`, which cannot be undone. Continue?`))) {
        throw new ConfirmationRequiredError("aborted: nothing was changed");
      }
    }
    let result = await session.client.send(buildRequest(plan, { accountId: session.accountId ?? "" }));
    const jobId = jobIdOf(result);
    if (jobId !== undefined && options.follow === true) {
      result = await followJobForCli(session, jobId, context, { started: true, ...(jobShow === undefined ? {} : { jobShow }) });
    } else if (jobId !== undefined) {
      context.stderr(`Started job ${jobId}; wait for it with \`runos follow ${jobId}\` (or pass --follow)`);
    }
    for (const warning of warningsOf(result)) context.stderr(warning);
    const columns = (operation.source.output?.fields ?? []).map((field) => (typeof field === "string" ? field : field.name));
    context.stdout(globals.json ? renderJson(result) : renderHuman(result, columns));
  } finally {
    await session.close();
  }
}
