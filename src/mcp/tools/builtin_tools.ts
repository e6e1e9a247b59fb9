/**
 * The tools runos adds to the catalog's: `manifest_update` on every server, `jobs_follow` where jobs
 * can be seen or started, `preview_destructive` on the read servers. Each is a definition plus its handler, and the call path dispatches them
 * from {@link BUILTIN_TOOLS}; their arguments go through the same checker as every catalog tool's.
 */
import type { CallToolResult, Tool } from "@modelcontextprotocol/server";
import { type ArgumentSpec, compileArguments, type CompiledArguments } from "../../catalog/arguments.ts";
import { argumentsSchema } from "../../catalog/input_schema.ts";
import type { Tier } from "../../policy/tier.ts";
import type { ToolRegistry } from "./registry.ts";

/** Name of the catalog refresh tool (the same name RunOS's own servers use). */
export const MANIFEST_UPDATE = "manifest_update";
/** Name of the job follower tool (the same name RunOS's own servers use). */
export const JOBS_FOLLOW = "jobs_follow";
/** Name of the read servers' preview of a write server's destructive call. */
export const PREVIEW_DESTRUCTIVE = "preview_destructive";
/** The built-in tool names (the discovery tools' are in discovery_tools.ts). */
export type BuiltinName = typeof MANIFEST_UPDATE | typeof JOBS_FOLLOW | typeof PREVIEW_DESTRUCTIVE | "search_tools" | "describe_tools" | "call_tool";

/** What a built-in's handler may use; the call path provides it. */
export interface BuiltinHost {
  readonly tier: Tier;
  /** Refresh the catalog and rebuild the tools (manifest_update.ts). */
  updateManifest(options: { force: boolean }): Promise<CallToolResult>;
  /** Follow a job for up to `timeoutMs` and answer its state. */
  followJob(jobId: string, timeoutMs: number): Promise<CallToolResult>;
  /** The server's current tools (the discovery tools search and describe them). */
  registry(): ToolRegistry;
  /** Call one tool through the very same path as `tools/call` (the discovery mode's call_tool). */
  call(name: string, args: unknown): Promise<CallToolResult>;
  /** Preview a write server's destructive call and issue the token it needs (preview_destructive). */
  previewDestructive(server: string, tool: string, args: unknown): Promise<CallToolResult>;
}

/** One built-in tool: its wire definition, its arguments, and what it does. */
export interface BuiltinTool {
  readonly kind: "builtin";
  readonly name: BuiltinName;
  readonly tool: Tool;
  readonly arguments: CompiledArguments;
  run(host: BuiltinHost, values: Readonly<Record<string, unknown>>): Promise<CallToolResult>;
}

/** How long jobs_follow waits when not told, in seconds. */
export const DEFAULT_FOLLOW_SECONDS = 120;

/** The arguments' JSON Schema, as lean as a catalog tool's: the checker refuses unknown names itself. */
function leanSchema(specs: readonly ArgumentSpec[]): Tool["inputSchema"] {
  const { additionalProperties: _closed, required, ...schema } = argumentsSchema(specs);
  return { ...schema, ...(required.length === 0 ? {} : { required }) } as unknown as Tool["inputSchema"];
}

/** Annotations of a built-in that only reads. */
export const READ_ONLY_HINTS = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

/** Define a built-in tool: its wire definition from `specs`, its handler. */
export function builtin(
  name: BuiltinName,
  description: string,
  specs: readonly ArgumentSpec[],
  run: BuiltinTool["run"],
  extra: { readonly annotations?: Tool["annotations"]; readonly meta?: Record<string, unknown> } = {},
): BuiltinTool {
  return {
    kind: "builtin",
    name,
    tool: {
      name,
      description,
      inputSchema: leanSchema(specs),
      annotations: extra.annotations ?? { ...READ_ONLY_HINTS },
      ...(extra.meta === undefined ? {} : { _meta: extra.meta }),
    },
    arguments: compileArguments(specs),
    run,
  };
}

/** `manifest_update`: refresh the command catalog and announce the new tool list. */
export const MANIFEST_UPDATE_TOOL: BuiltinTool = builtin(
  MANIFEST_UPDATE,
  "Refresh the command catalog and this server's tools; call it when a tool you expect is missing.",
  [{ name: "force", type: "boolean", required: false, description: "Even when current." }],
  (host, values) => host.updateManifest({ force: values.force === true }),
);

/** `jobs_follow`: wait for a background job, reporting progress. */
export const JOBS_FOLLOW_TOOL: BuiltinTool = builtin(
  JOBS_FOLLOW,
  "Wait for a job (a jobId a tool answered) to end, with progress; answers its state.",
  [
    { name: "jobId", type: "string", required: true },
    {
      name: "timeoutSeconds",
      type: "integer",
      required: false,
      minimum: 1,
      maximum: 600,
      default: DEFAULT_FOLLOW_SECONDS,
    },
  ],
  (host, values) => host.followJob(String(values.jobId), (typeof values.timeoutSeconds === "number" ? values.timeoutSeconds : DEFAULT_FOLLOW_SECONDS) * 1000),
);

/** The server names preview_destructive issues tokens for. */
export const PREVIEWED_SERVERS = ["runos-write", "runos-sensitive-write"] as const;

/**
 * `preview_destructive`, on the read servers: what a destructive call of a write server would destroy,
 * read from the API, and the token that call needs. It only reads, so it runs without asking where the
 * read server's tools do; the one approval left is the destructive call's own.
 */
export const PREVIEW_DESTRUCTIVE_TOOL: BuiltinTool = builtin(
  PREVIEW_DESTRUCTIVE,
  "Preview a destructive call of a write server (what it deletes, what uses it) and get the confirm token it needs. Changes nothing.",
  [
    { name: "tool", type: "string", required: true },
    { name: "arguments", type: "object", required: true },
    { name: "server", type: "string", required: false, enum: PREVIEWED_SERVERS, default: PREVIEWED_SERVERS[0] },
  ],
  (host, values) => host.previewDestructive(typeof values.server === "string" ? values.server : PREVIEWED_SERVERS[0], String(values.tool), values.arguments ?? {}),
  { meta: { "anthropic/alwaysLoad": true } },
);

/** The built-ins every server has, by name. */
export const BUILTIN_TOOLS: ReadonlyMap<BuiltinName, BuiltinTool> = new Map([
  [MANIFEST_UPDATE, MANIFEST_UPDATE_TOOL],
  [JOBS_FOLLOW, JOBS_FOLLOW_TOOL],
]);
