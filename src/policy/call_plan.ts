/**
 * One plan per call. What an operation may do on a tier (its policy: read-only mode, confirmation
 * rule, annotations, the arguments it takes) and what one call of it will do (its plan: the typed
 * values, whether it writes, whether it must be confirmed and for which target, whether it runs
 * read-only) are worked out here and nowhere else. The CLI verbs, the MCP call path and each tool's
 * schema and annotations read them; buildRequest only maps a plan to a request.
 */
import { type ArgumentLabel, type ArgumentSpec, checkArguments, compileArguments, type CompiledArguments, flagSpec, jsonLabel, parameterSpec } from "../catalog/arguments.ts";
import type { Operation } from "../catalog/operation.ts";
import { CLUSTER_REFERENCE_PATTERN, CLUSTER_REFERENCE_RULE, clusterIdIn } from "../cluster_id.ts";
import { UsageError } from "../errors.ts";
import type { Decision } from "./decide.ts";
import { isDestructive } from "./destructive.ts";
import { hasReadOnlyMode, isMutating, READ_WRITE_FLAG } from "./mutation.ts";

/** The argument every cluster-scoped call takes. */
export const CLUSTER_ARGUMENT = "cid";
/** The argument that carries a destructive call's confirmation token (mcp/call/confirm_token.ts). */
export const CONFIRM_ARGUMENT = "confirm";

/** A tier's verdict that lets the operation run (the CLI, with the user's own rights, is `allow`). */
export type Allowed = Exclude<Decision, { kind: "deny" }>;
/** What the CLI runs with: no tier applies to a person's own credentials. */
export const CLI_ALLOWED: Allowed = { kind: "allow" };

/** When a call needs the user's explicit agreement. */
export type ConfirmRule = "never" | "always" | "when-read-write";

/** The four MCP tool annotations, always all set (Codex treats a missing one as destructive). */
export interface ToolHints {
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

/** What an operation may do where it is allowed: decided once per operation and verdict. */
export interface OperationPolicy {
  readonly operation: Operation;
  /** Runs with its read-write flag forced off (read tiers running `exec-sql`). */
  readonly readOnlyMode: boolean;
  readonly confirm: ConfirmRule;
  readonly hints: ToolHints;
  /** The catalog's arguments, as a model or a person passes them (readWrite left out in read-only mode). */
  readonly arguments: readonly ArgumentSpec[];
  /** Takes a `cid`. */
  readonly clusterScoped: boolean;
}

/**
 * The `cid` argument: a cluster id, its name, or what clusters_list shows (`i4y (Production)`). A
 * name becomes the id at the call (cluster_names.ts), not here: planning sends nothing.
 */
export const CLUSTER_ARGUMENT_SPEC: ArgumentSpec = {
  name: CLUSTER_ARGUMENT,
  type: "string",
  required: false,
  pattern: CLUSTER_REFERENCE_PATTERN.source,
  expect: CLUSTER_REFERENCE_RULE,
};

/** The `confirm` argument of a tool that needs confirmation: the token its preview answered. */
export const CONFIRM_ARGUMENT_SPEC: ArgumentSpec = { name: CONFIRM_ARGUMENT, type: "string", required: false };

const policies = new WeakMap<Operation, Map<Allowed["kind"], OperationPolicy>>();

/** The policy of `operation` under `decision` (cached per operation). */
export function operationPolicy(operation: Operation, decision: Allowed): OperationPolicy {
  let byKind = policies.get(operation);
  if (byKind === undefined) policies.set(operation, byKind = new Map());
  let policy = byKind.get(decision.kind);
  if (policy === undefined) byKind.set(decision.kind, policy = computePolicy(operation, decision));
  return policy;
}

function computePolicy(operation: Operation, decision: Allowed): OperationPolicy {
  const readOnlyMode = decision.kind === "allow-read-only";
  const readOnlyModeOperation = hasReadOnlyMode(operation);
  const confirm: ConfirmRule = readOnlyMode ? "never" : isDestructive(operation) ? "always" : readOnlyModeOperation ? "when-read-write" : "never";
  const readOnly = readOnlyMode || !isMutating(operation);
  const hints: ToolHints = {
    readOnlyHint: readOnly,
    destructiveHint: !readOnly && (isDestructive(operation) || readOnlyModeOperation),
    idempotentHint: readOnly || operation.method === "PUT" || operation.method === "DELETE",
    openWorldHint: false,
  };
  const fields = operation.params.map(parameterSpec);
  const flags = operation.flags
    .filter((flag) => !(readOnlyMode && flag.name === READ_WRITE_FLAG) && !fields.some((field) => field.name === flag.name))
    .map(flagSpec);
  return { operation, readOnlyMode, confirm, hints, arguments: [...fields, ...flags], clusterScoped: operation.scope === "cluster" };
}

/** Which face a call comes from: a model's JSON arguments, or a person's command line. */
export type Face = "mcp" | "cli";

/** Options of {@link planCall}. */
export interface PlanOptions {
  readonly face: Face;
  /** The cluster used when the arguments name none. */
  readonly defaultClusterId?: string;
  /** How the face spells an argument in messages (default: "argument `name`"). */
  readonly label?: ArgumentLabel;
  /** How the face names the call in messages: "`services_valkey_add`", "`runos services valkey add`". */
  readonly callName?: string;
  /** The next step offered when the arguments are wrong. */
  readonly usageHint?: string;
}

/** Whether a call needs confirmation, whether it has it, and what it would act on. */
export interface Confirmation {
  readonly needed: boolean;
  /**
   * The token passed as `confirm`, to check against this very call. A boolean is no token: `confirm:
   * true` alone asks for the preview, like no `confirm` at all.
   */
  readonly token?: string;
  /** "services valkey delete id=session-store cid=i4y". */
  readonly target: string;
}

/** One call, decided: what it sends and what must hold before it is sent. */
export interface CallPlan {
  readonly operation: Operation;
  readonly policy: OperationPolicy;
  /** Typed values of the catalog's fields (path, query and body), by field name. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The catalog flags given, as booleans. */
  readonly flags: Readonly<Record<string, boolean>>;
  /** The cluster of a cluster-scoped call (given or default): an id, or a name still to be resolved. */
  readonly clusterId?: string;
  /** Whether the call can change anything. */
  readonly writes: boolean;
  /** Whether it must run read-only (its read-write flag forced off). */
  readonly readOnly: boolean;
  readonly confirmation: Confirmation;
}

/**
 * Plan one call of `operation`: check `rawArguments` with the one checker (a model's JSON or the CLI's
 * strings), and decide writes, read-only and confirmation. Throws a UsageError listing every problem.
 */
export function planCall(operation: Operation, decision: Allowed, rawArguments: unknown, options: PlanOptions): CallPlan {
  const policy = operationPolicy(operation, decision);
  const label = options.label ?? jsonLabel;
  const raw = normalized(rawArguments, policy, options.face);
  const needsCluster = policy.clusterScoped && !options.defaultClusterId;
  const checked = checkArguments(compiledFor(policy, options.face, needsCluster), raw, { mode: options.face === "cli" ? "cli" : "json", label });
  const usage = (problems: readonly string[]) =>
    new UsageError(`invalid arguments for ${options.callName ?? `\`${operation.toolName}\``}: ${problems.join("; ")}`, {
      hint: options.usageHint ?? `see \`runos manifest show ${operation.command}\``,
      // A person's --json envelope lists them; a model reads them once, in the message.
      ...(options.face === "cli" ? { details: { problems: [...problems] } } : {}),
    });
  if (!checked.ok) throw usage(checked.problems);

  const values: Record<string, unknown> = {};
  const flags: Record<string, boolean> = {};
  for (const spec of policy.arguments) {
    const value = checked.values[spec.name];
    if (value === undefined) continue;
    if (spec.flag === true) flags[spec.name] = value as boolean;
    else values[spec.name] = value;
  }
  if (policy.readOnlyMode) flags[READ_WRITE_FLAG] = false;

  let clusterId: string | undefined;
  if (policy.clusterScoped) {
    clusterId = (checked.values[CLUSTER_ARGUMENT] as string | undefined) ?? options.defaultClusterId!;
  }

  const readWrite = flags[READ_WRITE_FLAG] === true;
  const needed = policy.confirm === "always" || (policy.confirm === "when-read-write" && readWrite);
  const token = options.face === "mcp" ? checked.values[CONFIRM_ARGUMENT] as string | undefined : undefined;
  const writes = !policy.readOnlyMode && isMutating(operation) && !(hasReadOnlyMode(operation) && !readWrite);
  return {
    operation,
    policy,
    values,
    flags,
    ...(clusterId === undefined ? {} : { clusterId }),
    writes,
    readOnly: policy.readOnlyMode,
    confirmation: {
      needed,
      ...(token === undefined || token === "" ? {} : { token }),
      target: describeTarget(operation, values, clusterId, readWrite),
    },
  };
}

const compiled = new WeakMap<OperationPolicy, Map<string, CompiledArguments>>();

/**
 * `cid` when no default cluster is set: required, saying where ids come from, in the face's words: a
 * person lists clusters with `runos clusters list` and sets a default with `runos config set cid`; a
 * model is told the tool too.
 */
const REQUIRED_CLUSTER_SPECS: Readonly<Record<Face, ArgumentSpec>> = {
  mcp: {
    ...CLUSTER_ARGUMENT_SPEC,
    required: true,
    description: "cluster ID required (or the cluster's name): list them with clusters_list (`runos clusters list`), or set a default with RUNOS_CLUSTER_ID or `runos login --cluster <cid>`",
  },
  cli: {
    ...CLUSTER_ARGUMENT_SPEC,
    required: true,
    description: "cluster ID required (or the cluster's name): list them with `runos clusters list`, or set a default with `runos config set cid <cluster>` or RUNOS_CLUSTER_ID",
  },
};

/** The checker's specs for a face: the catalog's arguments, `cid`, and (over MCP) `confirm`. */
function compiledFor(policy: OperationPolicy, face: Face, needsCluster: boolean): CompiledArguments {
  let byKey = compiled.get(policy);
  if (byKey === undefined) compiled.set(policy, byKey = new Map());
  const key = `${face}:${needsCluster}`;
  let specs = byKey.get(key);
  if (specs === undefined) {
    const extra = [
      ...(policy.clusterScoped ? [needsCluster ? REQUIRED_CLUSTER_SPECS[face] : CLUSTER_ARGUMENT_SPEC] : []),
      ...(face === "mcp" && policy.confirm !== "never" ? [CONFIRM_ARGUMENT_SPEC] : []),
    ];
    byKey.set(key, specs = compileArguments([...policy.arguments.filter((spec) => !extra.some((added) => added.name === spec.name)), ...extra]));
  }
  return specs;
}

/**
 * Drop what a caller may send that the operation does not take here: `readWrite` on a read-only server,
 * `cid: ""`, and over MCP a boolean `confirm` (what confirmed a call before tokens; now it asks for the
 * preview).
 */
function normalized(raw: unknown, policy: OperationPolicy, face: Face): unknown {
  if (!isRecord(raw)) return raw;
  const args: Record<string, unknown> = { ...raw };
  if (face === "mcp" && typeof args[CONFIRM_ARGUMENT] === "boolean") delete args[CONFIRM_ARGUMENT];
  if (policy.readOnlyMode) {
    delete args[READ_WRITE_FLAG];
    const grouped = args["flags"];
    if (isRecord(grouped) && READ_WRITE_FLAG in grouped) {
      const { [READ_WRITE_FLAG]: _dropped, ...rest } = grouped;
      if (Object.keys(rest).length === 0) delete args["flags"];
      else args["flags"] = rest;
    }
  }
  const cid = args[CLUSTER_ARGUMENT];
  if (policy.clusterScoped && typeof cid === "string") {
    // RunOS's own servers accept "i4y (Production)"; keep the id.
    const id = clusterIdIn(cid);
    if (cid.trim() === "") delete args[CLUSTER_ARGUMENT];
    else if (id !== undefined) args[CLUSTER_ARGUMENT] = id;
  }
  return args;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** "services valkey delete id=session-store cid=i4y". */
function describeTarget(operation: Operation, values: Record<string, unknown>, clusterId: string | undefined, readWrite: boolean): string {
  const parts = [operation.verbPath.join(" ")];
  for (const parameter of operation.params) {
    if (parameter.location === "path" && values[parameter.name] !== undefined) parts.push(`${parameter.name}=${String(values[parameter.name])}`);
  }
  if (operation.scope === "cluster") parts.push(`cid=${clusterId ?? "?"}`);
  if (readWrite) parts.push("readWrite=true");
  return parts.join(" ");
}
