/**
 * One tool call, the same path for `tools/call` and `runos mcp call`: look up (unlisted → permission
 * denied naming the right server) → authenticated? → plan (policy/call_plan.ts: arguments checked,
 * confirmation and read-only decided) → confirm → build the request → the tier's client (the write
 * guard on read tiers) → follow the job, if any → result. Built-ins are dispatched from their table.
 * Never throws: every failure becomes an `isError` result in `result.ts`.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { ApiClient } from "../../api/client.ts";
import { followJob, type Job, jobIdOf } from "../../api/jobs.ts";
import { buildRequest } from "../../api/request.ts";
import { guardWrites } from "../../api/write_guard.ts";
import { checkArguments } from "../../catalog/arguments.ts";
import { ConfirmationRequiredError, RunosError, UsageError } from "../../errors.ts";
import { planCall } from "../../policy/call_plan.ts";
import { guardsWrites } from "../../policy/decide.ts";
import { SERVER_NAMES, type Tier } from "../../policy/tier.ts";
import { type BuiltinHost, type BuiltinTool, JOBS_FOLLOW } from "../tools/builtin_tools.ts";
import type { Confirmer } from "./confirm.ts";
import { type CatalogSource, runManifestUpdate } from "../tools/manifest_update.ts";
import type { ProgressSink } from "./progress.ts";
import type { ToolHolder } from "../tools/registry.ts";
import { type AuditLog, auditArguments } from "./audit.ts";
import { redactText } from "../../redact/redact.ts";
import { errorResult, notAuthenticatedError, successResult } from "./result.ts";
import type { OperationTool } from "../tools/tool_definition.ts";

/** How long a call waits for the job it started before answering with its id. */
export const JOB_WAIT_MS = 120_000;

/** The signed-in state a call needs. */
export interface CallSession {
  readonly authenticated: boolean;
  readonly accountId?: string;
  /** An id or a name: resolved at the call, like a `cid` argument. */
  readonly defaultClusterId?: string;
  /** Where the cluster list is remembered (cluster_names.ts); none in the sandbox. */
  readonly profile?: string;
  readonly cacheDir?: string;
}

/** What every call of one server shares. */
export interface CallEnvironment {
  readonly tier: Tier;
  /** The server's current tools (replaced when the catalog changes). */
  readonly tools: ToolHolder;
  readonly session: CallSession;
  /** The tier's client: {@link clientForTier} of the session's client. */
  readonly client: ApiClient;
  /** Where `manifest_update` refreshes from; without it the tool says it is unavailable. */
  readonly catalog?: CatalogSource;
  /** Called after the tools were replaced (the server announces tools/list_changed). */
  readonly toolsReplaced?: () => Promise<void>;
  /** Wait for started jobs this long (default {@link JOB_WAIT_MS}). */
  readonly jobWaitMs?: number;
  /** Poll interval for jobs (default 1 s). */
  readonly jobPollMs?: number;
  /** Where each call's line goes (mcp/audit.ts); none with `--no-audit`. */
  readonly audit?: AuditLog;
}

/** Per-call extras from the protocol layer. */
export interface CallExtras {
  readonly progress?: ProgressSink;
  /** Ask the user directly (elicitation) when a destructive call lacks `confirm: true`. */
  readonly confirm?: Confirmer;
  /** Aborts when the client cancels the call: waiting for its job stops. */
  readonly signal?: AbortSignal;
}

/** The client a tier calls through: read tiers get the write guard, which judges each request itself. */
export function clientForTier(tier: Tier, client: ApiClient): ApiClient {
  return guardsWrites(tier) ? guardWrites(client) : client;
}

/** Run one tool call, and write its line in the audit log when the server keeps one. */
export async function callTool(env: CallEnvironment, name: string, args: unknown, extras: CallExtras = {}): Promise<CallToolResult> {
  const audit = env.audit;
  if (audit === undefined) return await dispatch(env, name, args, extras);
  const started = Date.now();
  const requests: { method: string; path: string }[] = [];
  const recorded: ApiClient = {
    send: (request) => {
      requests.push({ method: request.method, path: request.path });
      return env.client.send(request);
    },
  };
  const result = await dispatch({ ...env, client: recorded }, name, args, extras);
  const failure = result.isError === true ? (result.structuredContent as { error?: { type?: unknown; message?: unknown } } | undefined)?.error : undefined;
  await audit.record({
    time: new Date(started).toISOString(),
    server: SERVER_NAMES[env.tier],
    tool: name,
    arguments: auditArguments(args),
    outcome: result.isError === true ? "error" : "ok",
    ...(failure === undefined ? {} : { error: { type: String(failure.type ?? "RunosError"), message: redactText(String(failure.message ?? "")).slice(0, 500) } }),
    durationMs: Date.now() - started,
    requests,
  });
  return result;
}

/** One call, without the audit line (call_tool's inner call is part of its own line). */
async function dispatch(env: CallEnvironment, name: string, args: unknown, extras: CallExtras): Promise<CallToolResult> {
  const context = { tier: env.tier, command: name };
  try {
    const resolution = env.tools.current().resolve(name);
    if (resolution.kind === "refused") return errorResult(resolution.error, context);
    const entry = resolution.tool;
    if (entry.kind === "operation") return await callOperation(env, entry, args, extras);
    return await callBuiltin(env, entry, args, extras);
  } catch (error) {
    return errorResult(error, context);
  }
}

async function callBuiltin(env: CallEnvironment, entry: BuiltinTool, args: unknown, extras: CallExtras): Promise<CallToolResult> {
  const accountId = requireAccount(env.session);
  const checked = checkArguments(entry.arguments, args, { mode: "json" });
  if (!checked.ok) throw invalidArguments(entry.name, checked.problems);
  const host: BuiltinHost = {
    tier: env.tier,
    registry: () => env.tools.current(),
    call: (name, innerArgs) => dispatch(env, name, innerArgs, extras),
    updateManifest: async (options) => {
      if (env.catalog === undefined) throw new RunosError("manifest_update is not available in this context");
      return await runManifestUpdate({ tier: env.tier, tools: env.tools, source: env.catalog, toolsReplaced: env.toolsReplaced }, options);
    },
    followJob: async (jobId, timeoutMs) => jobResult(env, JOBS_FOLLOW, await follow(env, accountId, jobId, timeoutMs, extras), undefined),
  };
  return await entry.run(host, checked.values);
}

async function callOperation(env: CallEnvironment, entry: OperationTool, rawArgs: unknown, extras: CallExtras): Promise<CallToolResult> {
  const { operation, name } = entry;
  const narrowWith = operation.params.filter((param) => param.location !== "path" && !param.required).map((param) => param.name);
  const context = { tier: env.tier, command: operation.command, narrowWith, untrusted: true, structured: entry.tool.outputSchema !== undefined };
  const accountId = requireAccount(env.session);
  const plan = planCall(operation, entry.decision, rawArgs, {
    face: "mcp",
    defaultClusterId: env.session.defaultClusterId,
    usageHint: "fix the arguments and call again; the tool's inputSchema lists them",
  });

  const { confirmation } = plan;
  if (confirmation.needed && !confirmation.given) {
    const agreed = extras.confirm !== undefined && !confirmation.answered &&
      await extras.confirm(`Allow ${confirmation.target} on \`${SERVER_NAMES[env.tier]}\`? This cannot be undone.`);
    if (!agreed) {
      return errorResult(
        new ConfirmationRequiredError(`refused: \`${name}\` is destructive (${confirmation.target}); ask the user, then call again with confirm: true`, {
          hint: "set confirm: true only after the user explicitly agreed to this exact target",
        }),
        context,
      );
    }
  }

  const send = (clusterId?: string) => env.client.send(buildRequest(clusterId === undefined ? plan : { ...plan, clusterId }, { accountId }));
  const value = plan.clusterId === undefined ? await send() : await sendOnCluster(env, accountId, plan.clusterId, send);
  const jobId = operation.returnsJob ? jobIdOf(value) : undefined;
  if (jobId === undefined) return successResult(value, context);
  let job: Job & { timedOut?: true };
  try {
    job = await follow(env, accountId, jobId, env.jobWaitMs ?? JOB_WAIT_MS, extras);
  } catch (error) {
    // The API took the call: say so, and never invite a retry that would do it twice.
    return successResult(acceptedButUnfollowed(value, jobId, error), context);
  }
  return jobResult(env, operation.command, job, value);
}

/**
 * Send on the cluster `value` names (an id or a name), through the CLI's own lookup; loaded with the
 * first cluster-scoped call, so a server's start-up does no more than before.
 */
async function sendOnCluster(env: CallEnvironment, accountId: string, value: string, send: (clusterId: string) => Promise<unknown>): Promise<unknown> {
  const { findClustersList, onCluster } = await import("../../cluster_names.ts");
  const operations = env.tools.current().callable().flatMap((tool) => (tool.kind === "operation" ? [tool.operation] : []));
  const lookup = {
    client: env.client,
    accountId,
    ...(env.session.profile === undefined ? {} : { profile: env.session.profile }),
    ...(env.session.cacheDir === undefined ? {} : { cacheDir: env.session.cacheDir }),
  };
  return await onCluster(value, lookup, findClustersList(operations), send);
}

/** The answer for a write the API accepted whose job could not be followed. */
function acceptedButUnfollowed(started: unknown, jobId: string, error: unknown): Record<string, unknown> {
  const base = started !== null && typeof started === "object" ? started as Record<string, unknown> : {};
  const reason = error instanceof Error ? error.message : String(error);
  return {
    ...base,
    jobId,
    accepted: true,
    note: `the RunOS API accepted this call and started job ${jobId}, but following the job failed (${reason}). ` +
      `Do not call it again: it is running. Follow it with jobs_follow {"jobId": "${jobId}"} or \`runos follow ${jobId}\`.`,
  };
}

function requireAccount(session: CallSession): string {
  if (!session.authenticated || session.accountId === undefined || session.accountId === "") throw notAuthenticatedError();
  return session.accountId;
}

function invalidArguments(name: string, problems: readonly string[]): UsageError {
  return new UsageError(`invalid arguments for \`${name}\`: ${problems.join("; ")}`, {
    hint: "fix the arguments and call again; the tool's inputSchema lists them",
  });
}

function follow(env: CallEnvironment, accountId: string, jobId: string, timeoutMs: number, extras: CallExtras): Promise<Job & { timedOut?: true }> {
  const jobShow = env.tools.current().jobShow;
  return followJob(env.client, accountId, jobId, {
    timeoutMs,
    ...(jobShow === undefined ? {} : { jobShow }),
    ...(env.jobPollMs !== undefined ? { pollMs: env.jobPollMs } : {}),
    ...(extras.progress !== undefined ? { onProgress: (update) => extras.progress!.job(update) } : {}),
    ...(extras.signal !== undefined ? { signal: extras.signal } : {}),
  });
}

/** The answer for a followed job: done, failed, or still running when the wait ran out. */
function jobResult(env: CallEnvironment, command: string, job: Job & { timedOut?: true }, started: unknown): CallToolResult {
  const context = { tier: env.tier, command, untrusted: true };
  const base = started !== null && typeof started === "object" ? started as Record<string, unknown> : {};
  if (job.status === "failed" || job.status === "cancelled") {
    const reason = typeof job.error === "string" ? job.error : job.error !== undefined ? JSON.stringify(job.error) : "no reason given";
    return errorResult(
      new RunosError(`job ${job.id} ${job.status}: ${reason}`, { hint: `see \`runos jobs show ${job.id}\``, details: { job } }),
      context,
    );
  }
  if (job.timedOut === true) {
    const { timedOut: _timedOut, ...current } = job;
    return successResult({
      ...base,
      jobId: job.id,
      job: current,
      note: `the job is still ${job.status}; follow it with jobs_follow {"jobId": "${job.id}"} or \`runos jobs show ${job.id}\``,
    }, context);
  }
  // The status the API answered when the job started ("provisioning") is stale now; the job's is current.
  const { status: _startedStatus, ...rest } = base;
  return successResult({ ...rest, jobId: job.id, job }, context);
}
