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
import { ConfirmationRequiredError, PermissionDeniedError, RunosError, UsageError } from "../../errors.ts";
import { type CallPlan, planCall } from "../../policy/call_plan.ts";
import { decide, denialMessage, guardsWrites, redactsSecrets } from "../../policy/decide.ts";
import { SERVER_NAMES, type Tier, tierOfServer } from "../../policy/tier.ts";
import { type BuiltinHost, type BuiltinTool, JOBS_FOLLOW, PREVIEW_DESTRUCTIVE } from "../tools/builtin_tools.ts";
import type { Confirmer } from "./confirm.ts";
import { type CatalogSource, runManifestUpdate } from "../tools/manifest_update.ts";
import type { ProgressSink } from "./progress.ts";
import type { ToolHolder } from "../tools/registry.ts";
import { type AuditLog, auditArguments, withoutTokens } from "./audit.ts";
import { redactSensitive, redactText } from "../../redact/redact.ts";
import type { ConfirmTokens, Redemption, TokenBinding } from "./confirm_token.ts";
import type { Preview } from "./preview.ts";
import { errorResult, fenceUntrusted, notAuthenticatedError, type ResultContext, successResult, textResult, UNTRUSTED_NOTE, UNTRUSTED_NOTE_KEY } from "./result.ts";
import type { OperationTool } from "../tools/tool_definition.ts";
import type { CallIndex } from "../tools/call_index.ts";

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
  /** The server's confirmation tokens, made at the first destructive call (tier_host.ts). */
  readonly confirmTokens: () => Promise<ConfirmTokens>;
  /**
   * The tier's call index (mcp/tools/call_index.ts) while the tools are still those it was derived
   * for: a call resolves through it without building the registry. Undefined (or none): the registry.
   */
  readonly index?: () => Promise<CallIndex | undefined>;
}

/** Per-call extras from the protocol layer. */
export interface CallExtras {
  readonly progress?: ProgressSink;
  /** Ask the user directly (elicitation, a terminal prompt) when a destructive call carries no token. */
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
    ...(failure === undefined ? {} : { error: { type: String(failure.type ?? "RunosError"), message: withoutTokens(redactText(String(failure.message ?? ""))).slice(0, 500) } }),
    durationMs: Date.now() - started,
    requests,
  });
  return result;
}

/** One call, without the audit line (call_tool's inner call is part of its own line). */
async function dispatch(env: CallEnvironment, name: string, args: unknown, extras: CallExtras): Promise<CallToolResult> {
  const context = { tier: env.tier, command: name };
  try {
    const resolution = (await env.index?.())?.resolve(name) ?? env.tools.current().resolve(name);
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
    previewDestructive: (server, toolName, innerArgs) => previewDestructive(env, accountId, server, toolName, innerArgs),
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

  if (plan.confirmation.needed) {
    const refusal = await confirmOrRefuse(env, name, plan, accountId, extras, context);
    if (refusal !== undefined) return refusal;
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

/** Each way a token can fail, said so the model knows its next step. */
const REFUSED_TOKEN: Readonly<Record<Exclude<Redemption, "ok">, string>> = {
  malformed: "is not a confirmation token",
  mismatch: "was not issued by this server for this tool with these arguments",
  expired: "has expired",
  used: "was used already",
};

/**
 * A destructive call runs only with the token its preview answered (or the user's yes in an
 * elicitation): undefined lets it run; otherwise the answer that refuses it, having sent nothing that
 * changes anything (the preview only reads).
 */
async function confirmOrRefuse(
  env: CallEnvironment,
  name: string,
  plan: CallPlan,
  accountId: string,
  extras: CallExtras,
  context: ResultContext,
): Promise<CallToolResult | undefined> {
  const tokens = await env.confirmTokens();
  const binding = await bindingOf(env.tier, plan);
  const token = plan.confirmation.token;
  if (token !== undefined) {
    const verdict = await tokens.redeem(token, binding);
    if (verdict === "ok") return undefined;
    return errorResult(
      new ConfirmationRequiredError(`not run: the confirm token ${REFUSED_TOKEN[verdict]}; \`${name}\` is destructive (${plan.confirmation.target})`, {
        hint: "get a fresh preview and token (preview_destructive on `runos`, or this tool without confirm), show the preview to the user, and pass the token only once they agree",
      }),
      context,
    );
  }
  const preview = await readPreview(env, plan, accountId, env.tier);
  // The question shows the user what the model would see: redacted as the tier redacts, and whole.
  const question = (await import("./preview.ts")).previewQuestion(redactsSecrets(env.tier) ? redactSensitive(preview) : preview);
  const answer = extras.confirm === undefined || question === undefined ? "none" : await extras.confirm(question);
  if (answer === "yes") return undefined;
  if (answer === "no") {
    return errorResult(
      new ConfirmationRequiredError(`not run: the user declined \`${name}\` (${plan.confirmation.target}) when asked directly`, {
        hint: "do not call it again unless the user asks for it anew",
      }),
      context,
    );
  }
  return previewResult(preview, await tokens.issue(binding), tokens.singleUse, name, context, true);
}

/** What a token for `plan` on `tier` is bound to. */
async function bindingOf(tier: Tier, plan: CallPlan): Promise<TokenBinding> {
  const { canonicalArguments } = await import("./confirm_token.ts");
  return { tier, tool: plan.operation.toolName, arguments: canonicalArguments({ values: plan.values, flags: plan.flags, cid: plan.clusterId ?? null }) };
}

/**
 * The preview of `plan` as `target`'s server would run it: its target read through the catalog's
 * reader, on this server's client (a read tier's is write-guarded) and under this server's redaction.
 */
async function readPreview(env: CallEnvironment, plan: CallPlan, accountId: string, target: Tier): Promise<Preview> {
  const { previewOf, readerArguments, readerOf } = await import("./preview.ts");
  const reader = readerOf(plan.operation, env.tools.current().operations, env.tier);
  let read: { value: unknown } | { error: string } | undefined;
  if (reader !== undefined) {
    try {
      const readerPlan = planCall(reader, { kind: "allow" }, readerArguments(reader, plan), { face: "mcp", defaultClusterId: plan.clusterId ?? env.session.defaultClusterId });
      const send = (clusterId?: string) => env.client.send(buildRequest(clusterId === undefined ? readerPlan : { ...readerPlan, clusterId }, { accountId }));
      read = { value: readerPlan.clusterId === undefined ? await send() : await sendOnCluster(env, accountId, readerPlan.clusterId, send) };
    } catch (error) {
      read = { error: error instanceof Error ? error.message : String(error) };
    }
  }
  return previewOf(target, plan, read);
}

/**
 * `preview_destructive` on a read server: plan `toolName` with `args` exactly as the write server
 * `server` would, read its preview here, and issue the token that server accepts (the servers of one
 * sign-in share the key: tier_host.ts).
 */
async function previewDestructive(env: CallEnvironment, accountId: string, server: string, toolName: string, args: unknown): Promise<CallToolResult> {
  const target = tierOfServer(server);
  if (target === undefined || !guardsWrites(env.tier) || guardsWrites(target)) throw new UsageError(`preview_destructive previews the write servers' calls, not \`${server}\``);
  const registry = env.tools.current();
  const operation = registry.operations.find((candidate) => candidate.toolName === toolName || candidate.verbPath.join("_") === toolName);
  if (operation === undefined) throw new UsageError(`unknown tool \`${toolName}\``, { hint: "name a tool of the write server, as its tools/list spells it" });
  const decision = decide(target, operation);
  if (decision.kind === "deny") throw new PermissionDeniedError(denialMessage(target, operation, decision));
  const context = { tier: env.tier, command: PREVIEW_DESTRUCTIVE, untrusted: true };
  const plan = planCall(operation, decision, args, {
    face: "mcp",
    defaultClusterId: env.session.defaultClusterId,
    usageHint: "pass the arguments you will pass to the tool itself",
  });
  if (!plan.confirmation.needed) {
    return textResult(`\`${operation.toolName}\` on \`${server}\` needs no confirmation with these arguments: call it directly, without confirm.`, context);
  }
  const tokens = await env.confirmTokens();
  const issued = await tokens.issue(await bindingOf(target, plan));
  return previewResult(await readPreview(env, plan, accountId, target), issued, tokens.singleUse, operation.toolName, context, false);
}

/**
 * A destructive call's preview: what it would destroy (API data, fenced like every answer), the token
 * that lets it run, and what to do with both. `refused`: the answer of the call itself, which did not
 * run (an error); else preview_destructive's.
 */
function previewResult(
  preview: Preview,
  issued: { token: string; expiresAt: number },
  singleUse: boolean,
  name: string,
  context: ResultContext,
  refused: boolean,
): CallToolResult {
  const message = `${refused ? `not run: \`${name}\` is destructive (${preview.action}). ` : `Preview of ${preview.action} on \`${preview.server}\`. `}` +
    `Show the user the preview below; only if they agree to this exact target, call \`${name}\` on \`${preview.server}\` with the same arguments and ` +
    `confirm: "${issued.token}" (valid 5 minutes${singleUse ? ", once" : ""}).`;
  const hint = "never pass the token without the user's explicit agreement to this preview";
  const safe = redactsSecrets(context.tier) ? redactSensitive(preview) : preview;
  return {
    content: [{ type: "text", text: `${message}\nnext: ${hint}\n${fenceUntrusted(JSON.stringify(safe))}` }],
    structuredContent: {
      [UNTRUSTED_NOTE_KEY]: UNTRUSTED_NOTE,
      ...(refused ? { error: { type: "ConfirmationRequiredError", message, hint } } : { message, hint }),
      preview: safe,
      confirm: issued.token,
      expiresAt: new Date(issued.expiresAt).toISOString(),
    },
    ...(refused ? { isError: true } : {}),
  };
}

/**
 * Send on the cluster `value` names (an id or a name), through the CLI's own lookup; loaded with the
 * first cluster-scoped call, so a server's start-up does no more than before.
 */
async function sendOnCluster(env: CallEnvironment, accountId: string, value: string, send: (clusterId: string) => Promise<unknown>): Promise<unknown> {
  const { findClustersList, onCluster } = await import("../../cluster_names.ts");
  const index = await env.index?.();
  const clustersList = index !== undefined
    ? index.clustersList
    : findClustersList(env.tools.current().callable().flatMap((tool) => (tool.kind === "operation" ? [tool.operation] : [])));
  const lookup = {
    client: env.client,
    accountId,
    ...(env.session.profile === undefined ? {} : { profile: env.session.profile }),
    ...(env.session.cacheDir === undefined ? {} : { cacheDir: env.session.cacheDir }),
  };
  return await onCluster(value, lookup, clustersList, send);
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

async function follow(env: CallEnvironment, accountId: string, jobId: string, timeoutMs: number, extras: CallExtras): Promise<Job & { timedOut?: true }> {
  const index = await env.index?.();
  const jobShow = index !== undefined ? index.jobShow : env.tools.current().jobShow;
  return await followJob(env.client, accountId, jobId, {
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
