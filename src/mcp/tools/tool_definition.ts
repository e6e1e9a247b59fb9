/**
 * Operation → MCP tool: name, title, description, input schema and all four annotations, decided once
 * per tier. Plain data, built when the registry is built, so `tools/list` is a cached array.
 */
import type { Tool } from "@modelcontextprotocol/server";
import type { Operation } from "../../catalog/operation.ts";
import { argumentSchema, argumentsSchema, type PropertySchema } from "../../catalog/input_schema.ts";
import {
  type Allowed,
  CLUSTER_ARGUMENT,
  CLUSTER_ARGUMENT_SPEC,
  CONFIRM_ARGUMENT,
  CONFIRM_ARGUMENT_SPEC,
  type OperationPolicy,
  operationPolicy,
} from "../../policy/call_plan.ts";
import { isSensitiveKey } from "../../redact/redact.ts";
import { writingTierFor } from "../../policy/decide.ts";
import { SERVER_NAMES, type Tier } from "../../policy/tier.ts";
import { fitSentences, MAX_ARGUMENT_DESCRIPTION_CHARS, MAX_DESCRIPTION_CHARS } from "./text_budget.ts";

export { CLUSTER_ARGUMENT, CONFIRM_ARGUMENT };
export type { ConfirmRule, ToolHints } from "../../policy/call_plan.ts";

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
  // What the model reads anyway, beside each argument: the tool's name and description.
  const toolText = `${operation.verbPath.join(" ")} ${operation.description}`;
  for (const [field, property] of Object.entries(schema.properties)) {
    if (property.description === undefined) continue;
    if (onlyRestates(field, property.description, toolText)) delete property.description;
    else property.description = fitSentences(property.description, MAX_ARGUMENT_DESCRIPTION_CHARS);
  }
  if (policy.clusterScoped && schema.properties[CLUSTER_ARGUMENT] === undefined) {
    schema.properties[CLUSTER_ARGUMENT] = clusterProperty();
    if (!context.hasDefaultCluster) schema.required.push(CLUSTER_ARGUMENT);
  }
  if (policy.confirm !== "never" && schema.properties[CONFIRM_ARGUMENT] === undefined) {
    schema.properties[CONFIRM_ARGUMENT] = confirmProperty();
  }

  // No title: it would only restate the name, twice per tool, in every turn's context.
  const outputSchema = outputSchemaFor(operation);
  const meta = toolMeta(operation, policy);
  const tool: Tool = {
    name: operation.toolName,
    description: describe(operation, tier, policy),
    inputSchema: schema as unknown as Tool["inputSchema"],
    ...(outputSchema === undefined ? {} : { outputSchema: outputSchema as Tool["outputSchema"] }),
    annotations: { ...policy.hints },
    ...(meta === undefined ? {} : { _meta: meta }),
  };
  // Unknown arguments are refused by the checker, whose answer names the valid ones: the schema need
  // not say `additionalProperties: false` in every tool of every turn.
  const lean = schema as { required?: string[]; additionalProperties?: boolean };
  delete lean.additionalProperties;
  if (schema.required.length === 0) delete lean.required;
  return { kind: "operation", name: operation.toolName, tool, operation, decision, policy };
}

/**
 * The shape of `structuredContent` (see result.ts: arrays arrive as `{items}`), from the catalog's
 * `output`, only where the catalog gives field types: a schema of untyped properties tells a model
 * nothing the text does not, and costs bytes in every turn. Only for GETs that start no job (a
 * job-following or empty answer has another shape). Every type admits null, and a field whose name
 * says secret admits anything, so a null or a "[redacted]" value still conforms.
 */
export function outputSchemaFor(operation: Operation): Record<string, unknown> | undefined {
  const output = operation.source.output;
  if (operation.method !== "GET" || operation.returnsJob || output?.type === undefined) return undefined;
  const properties: Record<string, Record<string, unknown>> = {};
  let typed = 0;
  for (const field of output.fields ?? []) {
    if (typeof field === "string") continue;
    const type = field.type === undefined ? undefined : JSON_TYPES[field.type];
    if (type === undefined || isSensitiveKey(field.name)) continue;
    properties[field.name] = { type: [type, "null"] };
    typed++;
  }
  if (typed === 0) return undefined;
  const record = { type: "object", properties };
  return output.type === "array"
    ? { type: "object", properties: { items: { type: "array", items: record } }, required: ["items"] }
    : record;
}

/** Catalog output types → JSON Schema types. */
const JSON_TYPES: Readonly<Record<string, string>> = {
  string: "string",
  integer: "integer",
  number: "number",
  boolean: "boolean",
  array: "array",
  object: "object",
  datetime: "string",
  date: "string",
};

/** The tools a model needs first: Claude Code never defers loading them. */
const ALWAYS_LOAD = new Set(["clusters_list", "services_list"]);

/**
 * Claude Code's `_meta` keys: `anthropic/alwaysLoad` on the few tools a model needs first, and
 * `anthropic/requiresUserInteraction` on destructive ones, so even a session that bypasses
 * permissions asks the user.
 */
function toolMeta(operation: Operation, policy: OperationPolicy): Record<string, unknown> | undefined {
  const meta: Record<string, unknown> = {};
  if (ALWAYS_LOAD.has(operation.toolName)) meta["anthropic/alwaysLoad"] = true;
  if (policy.confirm === "always") meta["anthropic/requiresUserInteraction"] = true;
  return Object.keys(meta).length === 0 ? undefined : meta;
}

/**
 * `cid`, in every cluster-scoped tool: a bare string. What it is, is said once in the server's
 * instructions (a cluster's id, from clusters_list), whether it may be omitted by `required`, and its
 * pattern by the checker's refusal, rather than each of them in every tool of every turn.
 */
function clusterProperty(): PropertySchema {
  const { pattern: _pattern, ...property } = argumentSchema(CLUSTER_ARGUMENT_SPEC, "");
  return property;
}

/**
 * Words that mean nothing on their own in a field's description: function words, and the words that
 * only say a field is a name, a number or a filter ("Name of …", "Number of …", "Only … in this …").
 */
const FILLER = new Set([
  "a", "an", "the", "of", "to", "in", "on", "at", "for", "from", "into", "as", "and", "or", "its", "it", "is", "are", "be", "by",
  "with", "new", "this", "that", "what", "which", "may", "can", "do", "name", "number", "only",
]);

/** A word without its plural or tense ending, so "owns" meets "owned" and "replicas" meets "replica". */
function stem(word: string): string {
  for (const ending of ["ment", "ing", "ed", "s"]) {
    if (word.endsWith(ending) && !word.endsWith("ss") && word.length - ending.length >= 3) return word.slice(0, -ending.length);
  }
  return word;
}

/** The lower-case words of a text, possessive `'s` dropped. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().replace(/['’]s\b/g, "").match(/[a-z0-9]+/g) ?? [];
}

/**
 * Whether a field's description only restates what the field's name and the tool's name and
 * description (`toolText`) already say, like "Name of the new cache." for `name` of "Create a new
 * Valkey cache in a cluster", or "Number of Valkey replicas." for `replicas`: a short text (at most six
 * words that mean something, and nothing but words) each of whose words is in one of them. Such a text
 * costs bytes in every turn and tells a model nothing.
 */
export function onlyRestates(field: string, description: string, toolText: string): boolean {
  // A code span (`backups list`) or a shaped token (node:device) says where a value comes from or what
  // it looks like: more than its words.
  if (/`|\w[:/=]\w/.test(description)) return false;
  const name = field.toLowerCase();
  const known = new Set([...wordsOf(field.replace(/([a-z0-9])([A-Z])/g, "$1 $2")), ...wordsOf(toolText)].map(stem));
  const own = wordsOf(description).filter((word) => !FILLER.has(word)).map(stem);
  return own.length > 0 && own.length <= 6 && own.every((word) => known.has(word) || name.includes(word));
}

/**
 * `confirm`: a bare string, the token a first call's preview answers. What it means is said by the
 * tool's description (see {@link describe}), by the preview itself and, at more length, once in the
 * server's instructions, rather than in every destructive tool twice.
 */
function confirmProperty(): PropertySchema {
  return argumentSchema(CONFIRM_ARGUMENT_SPEC, "");
}

/** What a destructive tool's description says of `confirm`: preview first, the user agrees, then the token. */
const DESTRUCTIVE_NOTE = "DESTRUCTIVE: preview first; confirm: <token> if the user agrees.";
/** The same, for a tool that destroys only in read-write mode (`exec-sql`). */
const READ_WRITE_NOTE = "readWrite: true can destroy data: preview first; confirm: <token> if the user agrees.";

/**
 * The tool's description: the catalog's, cut at whole sentences so that it and what runos adds (read-only
 * mode, jobs, confirmation) fit in {@link MAX_DESCRIPTION_CHARS}; what runos adds is never cut.
 */
function describe(operation: Operation, tier: Tier, policy: OperationPolicy): string {
  const { readOnlyMode, confirm } = policy;
  const notes: string[] = [];
  if (readOnlyMode) {
    notes.push(`Read-only here; writes need \`${SERVER_NAMES[writingTierFor(tier)]}\`.`);
  }
  // How job-starting calls wait is said once, in the server's instructions.
  if (confirm === "always") notes.push(DESTRUCTIVE_NOTE);
  if (confirm === "when-read-write") notes.push(READ_WRITE_NOTE);
  const added = notes.join(" ");
  const own = operation.description.trim() || `${toolTitle(operation)}.`;
  const room = MAX_DESCRIPTION_CHARS - (added === "" ? 0 : added.length + 1);
  return [fitSentences(own, room), added].filter((part) => part !== "").join(" ");
}
