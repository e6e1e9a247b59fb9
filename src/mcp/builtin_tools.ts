/**
 * The tools runos adds to the catalog's: `manifest_update` on every server, `jobs_follow` where jobs
 * can be seen or started. Their definitions only; `manifest_update.ts` and `call.ts` run them.
 */
import type { Tool } from "@modelcontextprotocol/server";
import { type ArgumentValidator, compileValidator, type ObjectSchema } from "../catalog/input_schema.ts";

/** Name of the catalog refresh tool (the same name RunOS's own servers use). */
export const MANIFEST_UPDATE = "manifest_update";
/** Name of the job follower tool (the same name RunOS's own servers use). */
export const JOBS_FOLLOW = "jobs_follow";
/** The built-in tool names. */
export type BuiltinName = typeof MANIFEST_UPDATE | typeof JOBS_FOLLOW;

/** One built-in tool. */
export interface BuiltinTool {
  readonly kind: "builtin";
  readonly name: BuiltinName;
  readonly tool: Tool;
  readonly validate: ArgumentValidator;
}

const manifestUpdateSchema: ObjectSchema = {
  type: "object",
  properties: {
    force: { type: "boolean", description: "Download the catalog even when its version looks current." },
  },
  required: [],
  additionalProperties: false,
};

const jobsFollowSchema: ObjectSchema = {
  type: "object",
  properties: {
    jobId: { type: "string", description: "The job id a tool answered with (`jobId`, a UUID)." },
    timeoutSeconds: { type: "integer", minimum: 1, maximum: 600, default: 120, description: "How long to wait before answering with the job's current state." },
  },
  required: ["jobId"],
  additionalProperties: false,
};

function builtin(name: BuiltinName, title: string, description: string, schema: ObjectSchema): BuiltinTool {
  return {
    kind: "builtin",
    name,
    tool: {
      name,
      title,
      description,
      inputSchema: schema as unknown as Tool["inputSchema"],
      annotations: { title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    validate: compileValidator(schema),
  };
}

/** `manifest_update`: refresh the command catalog and announce the new tool list. */
export const MANIFEST_UPDATE_TOOL: BuiltinTool = builtin(
  MANIFEST_UPDATE,
  "Refresh the RunOS command catalog",
  "Download the latest RunOS command catalog and rebuild this server's tools; call it when a tool you expect is missing. " +
    "Changes no infrastructure. Clients that ignore tools/list_changed (e.g. Codex) need a restart to see new tools.",
  manifestUpdateSchema,
);

/** `jobs_follow`: wait for a background job, reporting progress. */
export const JOBS_FOLLOW_TOOL: BuiltinTool = builtin(
  JOBS_FOLLOW,
  "Follow a background job",
  "Wait for a RunOS background job (the `jobId` a tool answered with) to finish, reporting its progress; " +
    "answers its final state, or its current state when the wait times out.",
  jobsFollowSchema,
);
