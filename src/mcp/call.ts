/**
 * One tool call, the same path for `tools/call` and `runos mcp call`: look up (unlisted → permission
 * denied naming the right server) → authenticated? → validate → confirm → force read-only where the
 * tier says so → build the request → the tier's client → follow the job, if any → result. Never
 * throws: every failure becomes an `isError` result in `result.ts`.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { ApiClient, ApiRequest } from "../api/client.ts";
import { followJob, type Job, jobIdOf } from "../api/jobs.ts";
import { buildRequest } from "../api/request.ts";
import { guardWrites } from "../api/write_guard.ts";
import { ConfirmationRequiredError, RunosError, UsageError } from "../errors.ts";
import { clusterIdIn } from "../cluster_id.ts";
import { isMutating, READ_WRITE_FLAG } from "../policy/mutation.ts";
import { SERVER_NAMES, type Tier, TIER_POWERS } from "../policy/tier.ts";
import { JOBS_FOLLOW, MANIFEST_UPDATE } from "./builtin_tools.ts";
import type { Confirmer } from "./confirm.ts";
import type { ProgressSink } from "./progress.ts";
import type { ToolRegistry } from "./registry.ts";
import { errorResult, notAuthenticatedError, successResult } from "./result.ts";
import { CLUSTER_ARGUMENT, CONFIRM_ARGUMENT, type OperationTool } from "./tool_definition.ts";

/** How long a call waits for the job it started before answering with its id. */
export const JOB_WAIT_MS = 120_000;

/** The signed-in state a call needs. */
export interface CallSession {
  readonly authenticated: boolean;
  readonly accountId?: string;
  readonly defaultClusterId?: string;
}

/** What every call of one server shares. */
export interface CallEnvironment {
  readonly tier: Tier;
  /** The current registry (it is rebuilt when the catalog changes). */
  registry(): ToolRegistry;
  readonly session: CallSession;
  /** The tier's client: {@link clientForTier} of the session's client. */
  readonly client: ApiClient;
  /** Runs `manifest_update` (server.ts supplies it). */
  readonly manifestUpdate?: (args: { force?: boolean }) => Promise<CallToolResult>;
  /** Wait for started jobs this long (default {@link JOB_WAIT_MS}). */
  readonly jobWaitMs?: number;
  /** Poll interval for jobs (default 1 s). */
  readonly jobPollMs?: number;
}

/** Per-call extras from the protocol layer. */
export interface CallExtras {
  readonly progress?: ProgressSink;
  /** Ask the user directly (elicitation) when a destructive call lacks `confirm: true`. */
  readonly confirm?: Confirmer;
  /** Aborts when the client cancels the call: waiting for its job stops. */
  readonly signal?: AbortSignal;
}

/**
 * POSTs this module built to only read: an operation that does not mutate (a `query` verb), or one
 * with a read-only mode called with its read-write flag forced off.
 */
const readOnlyRequests = new WeakSet<ApiRequest>();

/**
 * The client a tier calls through. Read tiers get the write guard, which lets a POST pass only when
 * this module built it as a read-only request (and it does not ask for read-write).
 */
export function clientForTier(tier: Tier, client: ApiClient): ApiClient {
  if (TIER_POWERS[tier].mutate) return client;
  return guardWrites(client, { allowPost: (request) => readOnlyRequests.has(request) && !asksReadWrite(request) });
}

function asksReadWrite(request: ApiRequest): boolean {
  const body = request.body as { flags?: Record<string, unknown> } | undefined;
  return body?.flags?.[READ_WRITE_FLAG] === true || request.query?.[READ_WRITE_FLAG] === "true";
}

/** Run one tool call. */
export async function callTool(env: CallEnvironment, name: string, args: unknown, extras: CallExtras = {}): Promise<CallToolResult> {
  const context = { tier: env.tier, command: name };
  try {
    const resolution = env.registry().resolve(name);
    if (resolution.kind === "refused") return errorResult(resolution.error, context);
    const entry = resolution.tool;
    if (entry.kind === "operation") return await callOperation(env, entry, args, extras);
    const accountId = requireAccount(env.session);
    const checked = entry.validate(args);
    if (!checked.ok) return errorResult(invalidArguments(name, checked.problems), context);
    if (entry.name === MANIFEST_UPDATE) {
      if (env.manifestUpdate === undefined) throw new RunosError("manifest_update is not available in this context");
      return await env.manifestUpdate({ force: checked.value.force === true });
    }
    if (entry.name === JOBS_FOLLOW) {
      const seconds = typeof checked.value.timeoutSeconds === "number" ? checked.value.timeoutSeconds : JOB_WAIT_MS / 1000;
      const job = await follow(env, accountId, String(checked.value.jobId), seconds * 1000, extras);
      return jobResult(env, JOBS_FOLLOW, job, undefined);
    }
    throw new RunosError(`built-in tool ${name} has no handler`);
  } catch (error) {
    return errorResult(error, context);
  }
}

async function callOperation(env: CallEnvironment, entry: OperationTool, rawArgs: unknown, extras: CallExtras): Promise<CallToolResult> {
  const { operation, name } = entry;
  const context = { tier: env.tier, command: operation.command };
  const accountId = requireAccount(env.session);
  const readOnlyMode = entry.decision.kind === "allow-read-only";

  // Only the boolean true confirms: the validator would turn "true" into true.
  const confirmed = isRecord(rawArgs) && rawArgs[CONFIRM_ARGUMENT] === true;
  const args = normalizeArguments(rawArgs, readOnlyMode);
  const checked = entry.validate(args);
  if (!checked.ok) return errorResult(invalidArguments(name, checked.problems), context);
  const values = { ...checked.value };

  const needsConfirm = entry.confirm === "always" || (entry.confirm === "when-read-write" && values[READ_WRITE_FLAG] === true);
  if (needsConfirm && !confirmed) {
    const target = describeTarget(entry, values, env.session.defaultClusterId);
    const agreed = extras.confirm !== undefined && values[CONFIRM_ARGUMENT] === undefined &&
      await extras.confirm(`Allow ${target} on \`${SERVER_NAMES[env.tier]}\`? This cannot be undone.`);
    if (!agreed) {
      return errorResult(
        new ConfirmationRequiredError(`refused: \`${name}\` is destructive (${target}); ask the user, then call again with confirm: true`, {
          hint: "set confirm: true only after the user explicitly agreed to this exact target",
        }),
        context,
      );
    }
  }
  delete values[CONFIRM_ARGUMENT];
  if (readOnlyMode) values[READ_WRITE_FLAG] = false;

  const request = buildRequest(operation, values, {
    accountId,
    clusterId: env.session.defaultClusterId,
    usageHint: "fix the arguments and call again; the tool's inputSchema lists them",
  });
  if (readOnlyMode || !isMutating(operation)) readOnlyRequests.add(request);
  const value = await env.client.send(request);

  const jobId = operation.returnsJob ? jobIdOf(value) : undefined;
  if (jobId === undefined) return successResult(value, context);
  const job = await follow(env, accountId, jobId, env.jobWaitMs ?? JOB_WAIT_MS, extras);
  return jobResult(env, operation.command, job, value);
}

/** Drop what a model may send that the tool does not take: `readWrite` on a read-only server, `cid: ""`. */
function normalizeArguments(raw: unknown, readOnlyMode: boolean): unknown {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const args: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  if (readOnlyMode) delete args[READ_WRITE_FLAG];
  const cid = args[CLUSTER_ARGUMENT];
  if (typeof cid === "string") {
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

function requireAccount(session: CallSession): string {
  if (!session.authenticated || session.accountId === undefined || session.accountId === "") throw notAuthenticatedError();
  return session.accountId;
}

function invalidArguments(name: string, problems: readonly string[]): UsageError {
  return new UsageError(`invalid arguments for \`${name}\`: ${problems.join("; ")}`, {
    hint: "fix the arguments and call again; the tool's inputSchema lists them",
  });
}

/** "services valkey delete id=session-store cid=i4y". */
function describeTarget(entry: OperationTool, values: Record<string, unknown>, defaultCluster: string | undefined): string {
  const parts = [entry.operation.verbPath.join(" ")];
  for (const parameter of entry.operation.params) {
    if (parameter.location === "path" && values[parameter.name] !== undefined) parts.push(`${parameter.name}=${String(values[parameter.name])}`);
  }
  if (entry.operation.scope === "cluster") parts.push(`cid=${String(values[CLUSTER_ARGUMENT] ?? defaultCluster ?? "?")}`);
  if (values[READ_WRITE_FLAG] === true) parts.push("readWrite=true");
  return parts.join(" ");
}


function follow(env: CallEnvironment, accountId: string, jobId: string, timeoutMs: number, extras: CallExtras): Promise<Job & { timedOut?: true }> {
  return followJob(env.client, accountId, jobId, {
    timeoutMs,
    ...(env.jobPollMs !== undefined ? { pollMs: env.jobPollMs } : {}),
    ...(extras.progress !== undefined ? { onProgress: (update) => extras.progress!.job(update) } : {}),
    ...(extras.signal !== undefined ? { signal: extras.signal } : {}),
  });
}

/** The answer for a followed job: done, failed, or still running when the wait ran out. */
function jobResult(env: CallEnvironment, command: string, job: Job & { timedOut?: true }, started: unknown): CallToolResult {
  const context = { tier: env.tier, command };
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
