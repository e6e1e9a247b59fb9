/**
 * Discovery mode (`runos mcp serve <tier> --tools discover`): instead of every tool, a server lists
 * three meta-tools, so its `tools/list` stays a few kilobytes whatever the catalog's size:
 * `search_tools` (words and/or a service type → tool names with one-line descriptions, best first),
 * `describe_tools` (names → full input schemas and annotations) and `call_tool` (name + arguments),
 * which goes through the very same call path as `tools/call`: the tier's refusals, confirmation of
 * destructive calls and the read tiers' write guard all still hold.
 *
 * `call_tool`'s annotations never let a client auto-approve a write through it: on a server that can
 * write it is marked not read-only and destructive, and asks for the user's interaction (Claude Code's
 * `anthropic/requiresUserInteraction`); on a read server every tool it can reach is read-only, and it
 * says so.
 */
import type { CallToolResult, Tool } from "@modelcontextprotocol/server";
import { UsageError } from "../../errors.ts";
import { guardsWrites } from "../../policy/decide.ts";
import type { Tier } from "../../policy/tier.ts";
import { builtin, type BuiltinTool, READ_ONLY_HINTS } from "./builtin_tools.ts";
import type { ToolRegistry } from "./registry.ts";
import { firstSentence } from "./text_budget.ts";

/** The meta-tools' names. */
export const SEARCH_TOOLS = "search_tools";
export const DESCRIBE_TOOLS = "describe_tools";
export const CALL_TOOL = "call_tool";
/** Names a `call_tool` may not name: itself and its siblings. */
export const META_TOOL_NAMES: ReadonlySet<string> = new Set([SEARCH_TOOLS, DESCRIBE_TOOLS, CALL_TOOL]);

/** How many matches search_tools answers at most, and by default. */
export const MAX_SEARCH_RESULTS = 50;
const DEFAULT_SEARCH_RESULTS = 15;
/** How many tools describe_tools describes per call. */
export const MAX_DESCRIBED = 20;

const ALWAYS_LOAD = { "anthropic/alwaysLoad": true } as const;

/** One search hit. */
export interface SearchHit {
  readonly name: string;
  readonly description: string;
  readonly readOnly: boolean;
  readonly destructive: boolean;
}

/** The listed-or-callable catalog tools of a registry, best matches first. */
export function searchTools(registry: ToolRegistry, query: string, serviceType: string | undefined, limit: number): { hits: SearchHit[]; total: number } {
  const words = query.toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length > 0);
  const type = serviceType?.toLowerCase();
  const scored: { hit: SearchHit; score: number }[] = [];
  for (const entry of registry.callable()) {
    if (entry.kind !== "operation") continue;
    const path = entry.operation.verbPath;
    if (type !== undefined && !(path[0] === "services" && path[1]?.toLowerCase() === type)) continue;
    const name = entry.name.toLowerCase();
    const nameWords = new Set(name.split(/[_-]/));
    const description = entry.tool.description?.toLowerCase() ?? "";
    let score = words.length === 0 ? 1 : 0;
    for (const word of words) {
      if (nameWords.has(word)) score += 3;
      else if (name.includes(word)) score += 2;
      else if (description.includes(word)) score += 1;
    }
    if (score === 0) continue;
    const hints = entry.tool.annotations ?? {};
    scored.push({
      hit: { name: entry.name, description: firstSentence(entry.tool.description ?? ""), readOnly: registry.readsOnly(entry.name), destructive: hints.destructiveHint === true },
      score,
    });
  }
  scored.sort((a, b) => b.score - a.score || (a.hit.name < b.hit.name ? -1 : a.hit.name > b.hit.name ? 1 : 0));
  return { hits: scored.slice(0, limit).map((entry) => entry.hit), total: scored.length };
}

function structured(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value) }], structuredContent: value };
}

/** `search_tools`: find the tools for a task. */
export const SEARCH_TOOLS_TOOL: BuiltinTool = builtin(
  SEARCH_TOOLS,
  "Find this server's RunOS tools for a task: words (e.g. \"postgres credentials\") and/or a service type; best matches first. Then describe_tools, then call_tool.",
  [
    { name: "query", type: "string", required: false, description: "Words to look for in tool names and descriptions." },
    { name: "serviceType", type: "string", required: false, description: "Only tools of this service type, e.g. postgresql, valkey, minio." },
    { name: "limit", type: "integer", required: false, minimum: 1, maximum: MAX_SEARCH_RESULTS, default: DEFAULT_SEARCH_RESULTS, description: "At most this many." },
  ],
  (host, values) => {
    const limit = typeof values.limit === "number" ? values.limit : DEFAULT_SEARCH_RESULTS;
    const { hits, total } = searchTools(host.registry(), typeof values.query === "string" ? values.query : "", typeof values.serviceType === "string" ? values.serviceType : undefined, limit);
    return Promise.resolve(structured({
      tools: hits,
      total,
      ...(total > hits.length ? { note: `${total - hits.length} more match; use more specific words, a serviceType, or a higher limit` } : {}),
    }));
  },
  { meta: ALWAYS_LOAD },
);

/** `describe_tools`: the full definitions of named tools. */
export const DESCRIBE_TOOLS_TOOL: BuiltinTool = builtin(
  DESCRIBE_TOOLS,
  "Full definitions (input schema, annotations) of tools found with search_tools, before calling them with call_tool.",
  [{ name: "names", type: "array", itemType: "string", required: true, description: `Tool names, at most ${MAX_DESCRIBED}.` }],
  (host, values) => {
    const names = (values.names as unknown[]).map(String);
    if (names.length === 0 || names.length > MAX_DESCRIBED) {
      throw new UsageError(`describe_tools takes 1 to ${MAX_DESCRIBED} names; got ${names.length}`, { hint: "describe fewer tools at a time" });
    }
    const registry = host.registry();
    const tools: Tool[] = [];
    const refused: { name: string; error: string }[] = [];
    for (const name of names) {
      const resolution = META_TOOL_NAMES.has(name) ? undefined : registry.resolve(name);
      if (resolution?.kind === "listed") tools.push(resolution.tool.tool);
      else refused.push({ name, error: resolution?.kind === "refused" ? resolution.error.message : `${name} is one of the discovery tools, already listed` });
    }
    return Promise.resolve(structured({ tools, ...(refused.length === 0 ? {} : { refused }) }));
  },
  { meta: ALWAYS_LOAD },
);

/** `call_tool` for `tier`: its annotations depend on what the tier can do. */
export function callToolTool(tier: Tier): BuiltinTool {
  const writes = !guardsWrites(tier);
  return builtin(
    CALL_TOOL,
    "Call one of this server's tools by name with its arguments (see describe_tools). The same rules apply as to a direct call: a destructive tool answers a preview and token first, and runs only with confirm: <token>." +
      (writes ? " It can change or delete infrastructure." : " This server never changes anything."),
    [
      { name: "name", type: "string", required: true, description: "The tool's name, from search_tools." },
      { name: "arguments", type: "object", required: false, description: "The tool's arguments, as its input schema says." },
    ],
    (host, values) => {
      const name = String(values.name);
      if (META_TOOL_NAMES.has(name)) throw new UsageError(`call_tool calls catalog tools; call ${name} directly`);
      return host.call(name, values.arguments ?? {});
    },
    writes
      ? {
        annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
        meta: { ...ALWAYS_LOAD, "anthropic/requiresUserInteraction": true },
      }
      : { annotations: { ...READ_ONLY_HINTS, idempotentHint: false }, meta: ALWAYS_LOAD },
  );
}
