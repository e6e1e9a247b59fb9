/**
 * Operation → MCP tool: name, title, description, input schema and all four annotations, decided once
 * per tier. Plain data, built when the registry is built, so `tools/list` is a cached array.
 */
import type { Tool } from "@modelcontextprotocol/server";
import type { Operation } from "../catalog/operation.ts";
import { argumentSchema, argumentsSchema, type PropertySchema } from "../catalog/input_schema.ts";
import { CLUSTER_ID_RULE } from "../cluster_id.ts";
import {
  type Allowed,
  CLUSTER_ARGUMENT,
  CLUSTER_ARGUMENT_SPEC,
  CONFIRM_ARGUMENT,
  CONFIRM_ARGUMENT_SPEC,
  type ConfirmRule,
  type OperationPolicy,
  operationPolicy,
} from "../policy/call_plan.ts";
import { SERVER_NAMES, type Tier, TIERS, TIER_POWERS } from "../policy/tier.ts";

export { CLUSTER_ARGUMENT, CONFIRM_ARGUMENT };
export type { ConfirmRule, ToolHints } from "../policy/call_plan.ts";

/** One catalog operation as a tool of one tier. */
export interface OperationTool {
  readonly kind: "operation";
  readonly name: string;
  /** The wire object `tools/list` answers. */
  readonly tool: Tool;
  readonly operation: Operation;
  /** Allowed, or allowed read-only (the `readWrite` flag is forced off). */
  readonly decision: Allowed;
  /** What the operation may do here (call_plan.ts); a call plans against it. */
  readonly policy: OperationPolicy;
}

/** What tool building needs to know besides the operation. */
export interface ToolContext {
  /** A default cluster is configured, so `cid` may be omitted. */
  readonly hasDefaultCluster: boolean;
}

/** `services/valkey/add` → "Services valkey add". */
export function toolTitle(operation: Pick<Operation, "verbPath">): string {
  const words = operation.verbPath.join(" ").replace(/-/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Build the tool for `operation` on `tier` (the caller has checked that `decision` allows it). */
export function buildOperationTool(operation: Operation, tier: Tier, decision: Allowed, context: ToolContext): OperationTool {
  const policy = operationPolicy(operation, decision);
  const schema = argumentsSchema(policy.arguments);
  if (policy.clusterScoped && schema.properties[CLUSTER_ARGUMENT] === undefined) {
    schema.properties[CLUSTER_ARGUMENT] = clusterProperty(context.hasDefaultCluster);
    if (!context.hasDefaultCluster) schema.required.push(CLUSTER_ARGUMENT);
  }
  if (policy.confirm !== "never" && schema.properties[CONFIRM_ARGUMENT] === undefined) {
    schema.properties[CONFIRM_ARGUMENT] = confirmProperty(operation, policy.confirm);
    if (policy.confirm === "always") schema.required.push(CONFIRM_ARGUMENT);
  }

  const title = toolTitle(operation);
  const outputSchema = outputSchemaFor(operation);
  const tool: Tool = {
    name: operation.toolName,
    title,
    description: describe(operation, tier, policy),
    inputSchema: schema as unknown as Tool["inputSchema"],
    ...(outputSchema === undefined ? {} : { outputSchema: outputSchema as Tool["outputSchema"] }),
    annotations: { title, ...policy.hints },
  };
  return { kind: "operation", name: operation.toolName, tool, operation, decision, policy };
}

/**
 * The shape of `structuredContent` (see result.ts: arrays arrive as `{items}`), from the catalog's
 * `output`. Only for GETs that start no job: they always answer with their declared body, while a
 * job-following or empty answer has another shape. Fields carry descriptions but no types, so that a
 * redacted value ("[redacted]") or a null still conforms: clients validate results against this.
 */
export function outputSchemaFor(operation: Operation): Record<string, unknown> | undefined {
  const output = operation.source.output;
  if (operation.method !== "GET" || operation.returnsJob || output?.type === undefined) return undefined;
  const properties: Record<string, { description?: string }> = {};
  for (const field of output.fields ?? []) {
    const name = typeof field === "string" ? field : field.name;
    const description = typeof field === "string" ? undefined : field.description;
    properties[name] = description === undefined ? {} : { description };
  }
  const record = { type: "object", properties };
  return output.type === "array"
    ? { type: "object", properties: { items: { type: "array", items: record } }, required: ["items"] }
    : record;
}

function clusterProperty(hasDefault: boolean): PropertySchema {
  return argumentSchema(
    CLUSTER_ARGUMENT_SPEC,
    hasDefault
      ? `Cluster id (${CLUSTER_ID_RULE}, e.g. \`i4y\`); omit to use the default cluster.`
      : `Cluster id (${CLUSTER_ID_RULE}, e.g. \`i4y\`); list them with clusters_list.`,
  );
}

function confirmProperty(operation: Operation, rule: ConfirmRule): PropertySchema {
  const what = `${operation.verbPath.join(" ")}${rule === "when-read-write" ? " with readWrite: true" : ""}`;
  return argumentSchema(CONFIRM_ARGUMENT_SPEC, `Set to true only after the user explicitly agreed to ${what} on this exact target; it cannot be undone.`);
}

function describe(operation: Operation, tier: Tier, policy: OperationPolicy): string {
  const { readOnlyMode, confirm } = policy;
  const parts = [operation.description.trim() || `${toolTitle(operation)}.`];
  if (readOnlyMode) {
    const writer = TIERS.find((candidate) => TIER_POWERS[candidate].mutate && TIER_POWERS[candidate].secrets === TIER_POWERS[tier].secrets) ?? "write";
    parts.push(`Runs read-only on this server; writes need \`${SERVER_NAMES[writer]}\`.`);
  }
  if (operation.returnsJob) parts.push("Waits up to 2 minutes for the job it starts, reporting progress; longer jobs continue with jobs_follow.");
  if (confirm === "always") parts.push("DESTRUCTIVE: cannot be undone; refused unless confirm is true, set only after the user agreed.");
  if (confirm === "when-read-write") parts.push("With readWrite: true it can change or destroy data and needs confirm: true after the user agreed.");
  return parts.join(" ");
}
