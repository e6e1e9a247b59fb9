/**
 * The tools runos adds to the catalog's: `manifest_update` on every server, `jobs_follow` where jobs
 * can be seen or started. Each is a definition plus its handler, and the call path dispatches them
 * from {@link BUILTIN_TOOLS}; their arguments go through the same checker as every catalog tool's.
 */
import type { CallToolResult, Tool } from "@modelcontextprotocol/server";
import { type ArgumentSpec, compileArguments, type CompiledArguments } from "../catalog/arguments.ts";
import { argumentsSchema } from "../catalog/input_schema.ts";

/** Name of the catalog refresh tool (the same name RunOS's own servers use). */
export const MANIFEST_UPDATE = "manifest_update";
/** Name of the job follower tool (the same name RunOS's own servers use). */
export const JOBS_FOLLOW = "jobs_follow";
/** The built-in tool names. */
export type BuiltinName = typeof MANIFEST_UPDATE | typeof JOBS_FOLLOW;

/** What a built-in's handler may use; the call path provides it. */
export interface BuiltinHost {
  /** Refresh the catalog and rebuild the tools (manifest_update.ts). */
  updateManifest(options: { force: boolean }): Promise<CallToolResult>;
  /** Follow a job for up to `timeoutMs` and answer its state. */
  followJob(jobId: string, timeoutMs: number): Promise<CallToolResult>;
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

function builtin(name: BuiltinName, title: string, description: string, specs: readonly ArgumentSpec[], run: BuiltinTool["run"]): BuiltinTool {
  return {
    kind: "builtin",
    name,
    tool: {
      name,
      title,
      description,
      inputSchema: argumentsSchema(specs) as unknown as Tool["inputSchema"],
      annotations: { title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    arguments: compileArguments(specs),
    run,
  };
}

/** `manifest_update`: refresh the command catalog and announce the new tool list. */
export const MANIFEST_UPDATE_TOOL: BuiltinTool = builtin(
  MANIFEST_UPDATE,
  "Refresh the RunOS command catalog",
  "Download the latest RunOS command catalog and rebuild this server's tools; call it when a tool you expect is missing. " +
    "Changes no infrastructure. Clients that ignore tools/list_changed (e.g. Codex) need a restart to see new tools.",
  [{ name: "force", type: "boolean", required: false, description: "Download the catalog even when its version looks current." }],
  (host, values) => host.updateManifest({ force: values.force === true }),
);

/** `jobs_follow`: wait for a background job, reporting progress. */
export const JOBS_FOLLOW_TOOL: BuiltinTool = builtin(
  JOBS_FOLLOW,
  "Follow a background job",
  "Wait for a RunOS background job (the `jobId` a tool answered with) to finish, reporting its progress; " +
    "answers its final state, or its current state when the wait times out.",
  [
    { name: "jobId", type: "string", required: true, description: "The job id a tool answered with (`jobId`, a UUID)." },
    {
      name: "timeoutSeconds",
      type: "integer",
      required: false,
      minimum: 1,
      maximum: 600,
      default: DEFAULT_FOLLOW_SECONDS,
      description: "How long to wait before answering with the job's current state.",
    },
  ],
  (host, values) => host.followJob(String(values.jobId), (typeof values.timeoutSeconds === "number" ? values.timeoutSeconds : DEFAULT_FOLLOW_SECONDS) * 1000),
);

/** Every built-in, by name. */
export const BUILTIN_TOOLS: ReadonlyMap<BuiltinName, BuiltinTool> = new Map([
  [MANIFEST_UPDATE, MANIFEST_UPDATE_TOOL],
  [JOBS_FOLLOW, JOBS_FOLLOW_TOOL],
]);
