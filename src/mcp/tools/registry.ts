/**
 * Every tool of one tier, built once from the operations (filtered by `decide()`), plus the built-ins,
 * indexed by name. `tools/list` answers the cached `tools` array (sorted by name, so the order is
 * deterministic). The registry also knows every operation of every tier, so a call to a tool this
 * server lacks is refused with the server that has it, and an unknown name says how to refresh.
 */
import type { Tool } from "@modelcontextprotocol/server";
import type { Operation } from "../../catalog/operation.ts";
import { findJobShow } from "../../api/jobs.ts";
import { decide, denialMessage, guardsWrites, runsUnasked } from "../../policy/decide.ts";
import { operationPolicy } from "../../policy/call_plan.ts";
import { NotFoundError, PermissionDeniedError, type RunosError } from "../../errors.ts";
import { SERVER_NAMES, type Tier } from "../../policy/tier.ts";
import { BUILTIN_TOOLS, type BuiltinTool, JOBS_FOLLOW_TOOL, MANIFEST_UPDATE_TOOL, PREVIEW_DESTRUCTIVE_TOOL } from "./builtin_tools.ts";
import { callToolTool, DESCRIBE_TOOLS_TOOL, META_TOOL_NAMES, SEARCH_TOOLS_TOOL } from "./discovery_tools.ts";
import { buildOperationTool, type OperationTool, type ToolContext } from "./tool_definition.ts";

/** A tool a tier lists: a catalog operation or a built-in. */
export type RegisteredTool = OperationTool | BuiltinTool;

/** Outcome of looking a tool name up. */
export type Resolution =
  | { readonly kind: "listed"; readonly tool: RegisteredTool }
  | { readonly kind: "refused"; readonly error: RunosError };

/** The tools of one tier. */
export interface ToolRegistry {
  readonly tier: Tier;
  /** The catalog version the tools were built from, when known. */
  readonly catalogVersion?: string;
  /** The catalog's command that shows a job, which job polls go through (api/jobs.ts). */
  readonly jobShow?: Operation;
  /** Every operation of the catalog, this tier's or not (a destructive call's preview reads through one). */
  readonly operations: readonly Operation[];
  /** What `tools/list` answers: built once, sorted by name. */
  readonly tools: readonly Tool[];
  /** How the tools are listed: every tool, or the discovery tools only. */
  readonly mode: ListingMode;
  /** Every tool a call may name here (listed or not: toolsets, discovery), by name order. */
  callable(): readonly RegisteredTool[];
  /** The listed tool of that name. */
  get(name: string): RegisteredTool | undefined;
  /** The listed tool, or the error that refuses the call (permission denied / unknown tool). */
  resolve(name: string): Resolution;
  /** Whether the tool of that name only reads: what it does, whatever its annotations tell a client here (see `runsUnasked`). */
  readsOnly(name: string): boolean;
}

/** Options of {@link buildRegistry}. */
export interface RegistryOptions extends ToolContext {
  readonly catalogVersion?: string;
  /**
   * Tools this account's toolsets leave out of `tools/list` (catalog/toolsets.ts). Scoping is about
   * what a model reads, not a gate: the tier still allows them, so a call by name still works.
   */
  readonly hidden?: ReadonlySet<string>;
  /** `all`, `discover`, or `auto` (the default): all while the full list is small, discover past that. */
  readonly mode?: ToolsMode;
}

/** How a server lists its tools, as `--tools` spells it. */
export type ToolsMode = "all" | "discover" | "auto";
/** The listing a registry settled on. */
export type ListingMode = Exclude<ToolsMode, "auto">;
/** The modes `--tools` accepts. */
export const TOOLS_MODES: readonly ToolsMode[] = ["all", "discover", "auto"];

/** Past either bound, `auto` lists the discovery tools instead of every tool. */
export const AUTO_MAX_TOOLS = 64;
export const AUTO_MAX_BYTES = 48 * 1024;

/** The names of every tool runos adds to the catalog's, on any server: no catalog operation takes them. */
export const BUILTIN_NAMES: ReadonlySet<string> = new Set<string>([...BUILTIN_TOOLS.keys(), PREVIEW_DESTRUCTIVE_TOOL.name, ...META_TOOL_NAMES]);

/** Build the registry of `tier` from every operation of the catalog. */
export function buildRegistry(tier: Tier, operations: readonly Operation[], options: RegistryOptions): ToolRegistry {
  const byName = new Map<string, RegisteredTool>();
  const everyOperation = new Map<string, Operation>();
  let followsJobs = false;

  for (const operation of operations) {
    if (BUILTIN_NAMES.has(operation.toolName)) continue;
    everyOperation.set(operation.toolName, operation);
    // A shortened name (over 36 characters) also answers to its full, unshortened spelling.
    const fullName = operation.verbPath.join("_");
    if (fullName !== operation.toolName && !everyOperation.has(fullName)) everyOperation.set(fullName, operation);
    const decision = decide(tier, operation);
    if (decision.kind === "deny") continue;
    byName.set(operation.toolName, buildOperationTool(operation, tier, decision, options));
    if (operation.returnsJob || operation.verbPath[0] === "jobs") followsJobs = true;
  }
  byName.set(MANIFEST_UPDATE_TOOL.name, MANIFEST_UPDATE_TOOL);
  if (followsJobs) byName.set(JOBS_FOLLOW_TOOL.name, JOBS_FOLLOW_TOOL);
  // The read servers preview the write servers' destructive calls, when the catalog has any.
  const previews = guardsWrites(tier) && operations.some((operation) => WRITING_TIERS.some((writer) => needsConfirmation(writer, operation)));
  if (previews) byName.set(PREVIEW_DESTRUCTIVE_TOOL.name, PREVIEW_DESTRUCTIVE_TOOL);
  const reading = new Set<string>();
  for (const [name, entry] of byName) if (entry.tool.annotations?.readOnlyHint === true) reading.add(name);
  if (!runsUnasked(tier)) for (const [name, entry] of byName) byName.set(name, askingEntry(entry));

  const hidden = options.hidden;
  const byOrder = (a: RegisteredTool, b: RegisteredTool) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const everything = Object.freeze([...byName.values()].sort(byOrder));
  const full = everything.filter((entry) => hidden === undefined || !hidden.has(entry.name)).map((entry) => entry.tool);
  const requested = options.mode ?? "auto";
  const mode: ListingMode = requested === "auto"
    ? (full.length <= AUTO_MAX_TOOLS && JSON.stringify(full).length <= AUTO_MAX_BYTES ? "all" : "discover")
    : requested;
  let tools: Tool[] = full;
  if (mode === "discover") {
    const meta = [SEARCH_TOOLS_TOOL, DESCRIBE_TOOLS_TOOL, callToolTool(tier)];
    for (const tool of meta) if (tool.tool.annotations?.readOnlyHint === true) reading.add(tool.name);
    for (const tool of meta) byName.set(tool.name, runsUnasked(tier) ? tool : askingEntry(tool));
    const builtins = [
      byName.get(MANIFEST_UPDATE_TOOL.name)!,
      ...(followsJobs ? [byName.get(JOBS_FOLLOW_TOOL.name)!] : []),
      ...(previews ? [byName.get(PREVIEW_DESTRUCTIVE_TOOL.name)!] : []),
    ];
    tools = [...meta.map((tool) => byName.get(tool.name)!), ...builtins].sort(byOrder).map((entry) => entry.tool);
  }
  Object.freeze(tools);

  const jobShow = findJobShow(operations);
  return {
    tier,
    catalogVersion: options.catalogVersion,
    ...(jobShow === undefined ? {} : { jobShow }),
    operations,
    tools,
    mode,
    callable: () => everything,
    readsOnly: (name) => reading.has(name),
    get: (name) => byName.get(name),
    resolve(name) {
      const operation = everyOperation.get(name);
      const listed = byName.get(name) ?? (operation === undefined ? undefined : byName.get(operation.toolName));
      if (listed !== undefined) return { kind: "listed", tool: listed };
      if (operation !== undefined) return { kind: "refused", error: refusedOperation(tier, operation) };
      return { kind: "refused", error: refusedName(tier, name) };
    },
  };
}

/**
 * The current tools of one server: what `tools/list` and `tools/call` read, and what a catalog
 * refresh replaces. One holder per server, so nothing else keeps a registry of its own.
 */
export interface ToolHolder {
  readonly tier: Tier;
  /** The registry in force. */
  current(): ToolRegistry;
  /** Rebuild from a new catalog; later calls see the new tools. */
  replace(operations: readonly Operation[], version: string): ToolRegistry;
  /** Rebuild with other hidden tools (new toolsets); true when the listing changed. */
  rescope(hidden: (operations: readonly Operation[]) => ReadonlySet<string>): boolean;
}

/**
 * Hold the tools of `tier`, built now from `operations`. `hide` says which tools the account's
 * toolsets leave out of the listing, for whatever catalog is in force.
 */
export function holdTools(
  tier: Tier,
  operations: readonly Operation[],
  options: RegistryOptions,
  hide: (operations: readonly Operation[]) => ReadonlySet<string> = () => new Set(),
): ToolHolder {
  let current = { operations, version: options.catalogVersion, hide };
  const build = () => buildRegistry(tier, current.operations, { ...options, catalogVersion: current.version, hidden: current.hide(current.operations) });
  let registry = build();
  return {
    tier,
    current: () => registry,
    replace: (fresh, version) => {
      current = { ...current, operations: fresh, version };
      return (registry = build());
    },
    rescope: (nextHide) => {
      const hiddenBefore = current.hide(current.operations);
      const hiddenAfter = nextHide(current.operations);
      current = { ...current, hide: nextHide };
      // The same tools hidden: the same registry (a RunOS-sized one is not built twice for nothing).
      if (hiddenBefore.size === hiddenAfter.size && [...hiddenAfter].every((name) => hiddenBefore.has(name))) return false;
      const before = registry.tools.map((tool) => tool.name).join(",");
      registry = build();
      return registry.tools.map((tool) => tool.name).join(",") !== before;
    },
  };
}

/**
 * The entry as a server whose tools must ask lists it: not marked read-only, whatever it does (see
 * `runsUnasked`); what the tool really does stays in its policy (`readsOnly`).
 */
export function askingEntry<T extends RegisteredTool>(entry: T): T {
  if (entry.tool.annotations?.readOnlyHint !== true) return entry;
  return { ...entry, tool: { ...entry.tool, annotations: { ...entry.tool.annotations, readOnlyHint: false } } };
}

/** The refusal of a call to `operation`, which `tier` does not allow: it names the server that has it. */
function refusedOperation(tier: Tier, operation: Operation): RunosError {
  return new PermissionDeniedError(denialMessage(tier, operation, decide(tier, operation)), {
    hint: "check which RunOS servers are enabled in your assistant's MCP configuration (`runos mcp configure <client>`)",
  });
}

/**
 * The refusal of a name no operation of the catalog answers to and no tool of this server has: a
 * discovery tool of a server that lists everything, a built-in this server lacks, or an unknown name.
 */
export function refusedName(tier: Tier, name: string): RunosError {
  if (META_TOOL_NAMES.has(name)) {
    return new NotFoundError(`\`${name}\` is a discovery tool; this server lists every tool directly (\`--tools all\`)`);
  }
  if (BUILTIN_NAMES.has(name)) {
    return new NotFoundError(`\`${name}\` is not available on the \`${SERVER_NAMES[tier]}\` server: nothing here starts or lists jobs`);
  }
  return new NotFoundError(`unknown tool \`${name}\` on the \`${SERVER_NAMES[tier]}\` server`, {
    hint: "run tools/list for this server's tools; if it should exist, refresh the catalog with the manifest_update tool or `runos manifest update`",
  });
}

/** The tiers whose destructive calls the read servers preview. */
const WRITING_TIERS: readonly Tier[] = ["write", "sensitive-write"];

/** Whether `tier` runs `operation` only once confirmed. */
function needsConfirmation(tier: Tier, operation: Operation): boolean {
  const decision = decide(tier, operation);
  return decision.kind !== "deny" && operationPolicy(operation, decision).confirm !== "never";
}
