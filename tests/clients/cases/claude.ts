/**
 * Claude Code in print mode (`claude -p`), pointed at the Anthropic stand-in by `ANTHROPIC_BASE_URL`,
 * in the project `runos mcp configure claude --sandbox` wrote (`.mcp.json`, and `.claude/settings.json`
 * allowing `mcp__runos__*`). The user's one-time steps are done first: the workspace is trusted
 * (`projects[<dir>].hasTrustDialogAccepted` in `~/.claude.json`: since 2.1.196 an untrusted folder's
 * `permissions.allow` is ignored) and the four project servers approved (`enabledMcpjsonServers` in
 * `.claude/settings.local.json`, where the approval dialog saves it). No tool is pre-approved here.
 *
 * Claude Code defers MCP tools behind its own `ToolSearch` unless a tool is `anthropic/alwaysLoad`,
 * so the script first loads a deferred tool with `select:<name>`, as a model would. In `-p` mode a call
 * that needs the user's approval is refused, and the model is told so in the tool result.
 */
import { existsSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CaseCheck, CaseContext, CaseReport, ClientCase } from "../client_case.ts";
import { runClient } from "../client_process.ts";
import { anthropicToolCalls, anthropicToolResultFor, type AnthropicToolOutcome, startAnthropicStandIn } from "../model/anthropic.ts";
import type { ModelScript, SeenRequest } from "../model/script.ts";
import { averageBytes, bytesPerServer, formatServerBytes, type ServerBytes } from "../model_bytes.ts";
import { type AuditEntry, auditDuring, ranOk } from "../probe_audit.ts";
import { CaseChecks, excerpt, heldCheck, HOSTILE_NAME, hostileCheck, PREVIEW_NAME, previewCheck, ranCheck, readCheck } from "../probe_checks.ts";
import { ADDED_BY_UPDATE, DESTROY, HOSTILE, PREVIEW, type ProbeCall, READ, REVEAL, type ToolNaming, UPDATE, VALKEY, WRITE, writeCall } from "../probes.ts";

/** Claude Code's own tool that loads deferred tools' schemas. */
const TOOL_SEARCH = "ToolSearch";
/** One client run's bound; a run against the stand-in takes about three seconds. */
const RUN_TIMEOUT_MS = 45_000;
/** Claude Code's name for an MCP tool of a project server. */
const claudeName: ToolNaming = (server, tool) => `mcp__${server}__${tool}`;

/**
 * Claude Code off the network apart from the stand-in (its env-vars reference), and waiting for every
 * server before the first request: by default `-p` sends it once some servers are up (it connects
 * three stdio servers at a time), so a slow fourth server's tools would be missing from the first turn.
 */
const CLIENT_ENV = {
  ANTHROPIC_API_KEY: "sk-ant-stand-in",
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  DISABLE_AUTOUPDATER: "1",
  DISABLE_TELEMETRY: "1",
  DISABLE_ERROR_REPORTING: "1",
  MCP_CONNECTION_NONBLOCKING: "false",
} as const;

/** `--permission-mode bypassPermissions`; Claude Code refuses it to root unless IS_SANDBOX=1. */
const BYPASS = { flags: ["--permission-mode", "bypassPermissions"], env: { IS_SANDBOX: "1" } } as const;

/** One fresh client run that asks the model to make one call. */
interface Probe {
  readonly call: ProbeCall;
  readonly prompt: string;
  readonly flags?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** The model's turns, when they are more than making the call once. */
  readonly script?: ModelScript;
}

/** What one run showed. */
interface ProbeRun {
  readonly requests: readonly SeenRequest[];
  /** The client's name for the tool, as found in what it sent. */
  readonly toolName?: string;
  /** Whether the model was sent the tool's schema (up front, or once ToolSearch loaded it). */
  readonly offered: boolean;
  /** What the model was told about its call. */
  readonly outcome?: AnthropicToolOutcome;
  /** `permission_denials` of the `--output-format json` result. */
  readonly denials: readonly string[];
  /** Audit entries written during the run. */
  readonly audit: readonly AuditEntry[];
  readonly exit: string;
  readonly stderr: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Every string of a request body, one per line: the names in Claude Code's deferred-tools list are lines of one. */
function requestText(raw: unknown): string {
  const strings: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === "string") strings.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === "object" && value !== null) Object.values(value).forEach(visit);
  };
  visit(raw);
  return strings.join("\n");
}

/** The client's name for `<server>__<tool>` anywhere in a request (offered, deferred or loaded). */
function findToolName(raw: unknown, call: ProbeCall): string | undefined {
  const pattern = new RegExp(`(?<![\\w-])[\\w-]*__${escapeRegExp(call.server)}__${escapeRegExp(call.tool)}(?![\\w-])`);
  return requestText(raw).match(pattern)?.[0];
}

/** Make the probe's call once (loading it through ToolSearch first when it is deferred), then stop. */
function probeScript(call: ProbeCall): ModelScript {
  return (request) => {
    const name = findToolName(request.raw, call);
    if (name === undefined) return { text: `no tool ${call.server}__${call.tool} was offered` };
    if (anthropicToolCalls(request.raw).includes(name)) return { text: "done" };
    const visible = request.tools.some((tool) => tool.name === name);
    const canSearch = request.tools.some((tool) => tool.name === TOOL_SEARCH) && !anthropicToolCalls(request.raw).includes(TOOL_SEARCH);
    if (!visible && canSearch) return { tool: TOOL_SEARCH, arguments: { query: `select:${name}`, max_results: 1 } };
    return { tool: name, arguments: call.arguments };
  };
}

function permissionDenials(stdout: string): string[] {
  try {
    const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as { permission_denials?: { tool_name?: string }[] };
    return (result.permission_denials ?? []).map((denial) => String(denial.tool_name));
  } catch {
    return [];
  }
}

async function runProbe(context: CaseContext, probe: Probe): Promise<ProbeRun> {
  const standIn = await startAnthropicStandIn(probe.script ?? probeScript(probe.call));
  try {
    const args = ["-p", probe.prompt, "--output-format", "json", "--max-turns", "6", ...(probe.flags ?? [])];
    const env = { ...context.env, ...CLIENT_ENV, ANTHROPIC_BASE_URL: standIn.url, ...probe.env };
    const { value: client, audit } = await auditDuring(context.auditPath, () => runClient(context, { args, env, timeoutMs: RUN_TIMEOUT_MS }));
    const requests = [...standIn.requests];
    const toolName = requests.map((request) => findToolName(request.raw, probe.call)).find((name) => name !== undefined);
    return {
      requests,
      toolName,
      offered: toolName !== undefined && requests.some((request) => request.tools.some((tool) => tool.name === toolName)),
      outcome: toolName === undefined ? undefined : anthropicToolResultFor(requests.at(-1)?.raw, toolName),
      denials: permissionDenials(client.stdout),
      audit,
      exit: client.exit,
      stderr: client.stderr.trim().slice(0, 500),
    };
  } finally {
    await standIn.close();
  }
}

/** The user's one-time steps: trust the folder, approve the project's servers (not their tools). */
function trustProject(context: CaseContext, servers: readonly string[]): void {
  const statePath = join(context.home, ".claude.json");
  const state = existsSync(statePath) ? JSON.parse(readFileSync(statePath, "utf8")) as Record<string, unknown> : {};
  const projects = (state.projects ?? {}) as Record<string, Record<string, unknown>>;
  for (const dir of new Set([context.projectDir, realpathSync(context.projectDir)])) {
    projects[dir] = { ...projects[dir], hasTrustDialogAccepted: true };
  }
  writeFileSync(statePath, JSON.stringify({ ...state, projects }, null, 2));
  writeFileSync(join(context.projectDir, ".claude", "settings.local.json"), JSON.stringify({ enabledMcpjsonServers: servers }, null, 2) + "\n");
}

/** What the model was told about its call, or why it could not make it. */
function told(run: ProbeRun): string {
  if (run.toolName === undefined || !run.offered) {
    return `${run.toolName ?? "the tool"} was never offered with its schema (${run.exit}; ${run.requests.length} model requests; ${run.stderr || "no stderr"})`;
  }
  if (run.outcome === undefined) return `${run.toolName}: no tool result reached the model (${run.exit}; ${run.stderr || "no stderr"})`;
  const denied = run.denials.includes(run.toolName) ? ", listed in permission_denials" : "";
  return `${run.toolName}: the model was told ${excerpt(run.outcome.text, 400)} (is_error: ${run.outcome.isError}${denied})`;
}

/** A probe whose call must not run; a refusal only counts when the model could really call the tool (not "No such tool available"). */
function held(name: string, run: ProbeRun, call: ProbeCall): CaseCheck {
  return heldCheck(name, run.audit, call, told(run), run.offered && run.outcome !== undefined);
}

/** Bytes per server of what the model is sent up front: tools with their schema, and deferred tools as one line of their name. */
function sentUpFront(request: SeenRequest | undefined): { all: Record<string, ServerBytes>; loaded: Record<string, ServerBytes> } {
  const loaded = request?.tools ?? [];
  const names = new Set(loaded.map((tool) => tool.name));
  const deferred = [...new Set(requestText(request?.raw).match(/(?<![\w-])mcp__[A-Za-z0-9-]+__[\w-]+/g) ?? [])]
    .filter((name) => !names.has(name))
    .map((name) => ({ name, bytes: Buffer.byteLength(name) + 1 }));
  return { all: bytesPerServer([...loaded, ...deferred], claudeName), loaded: bytesPerServer(loaded, claudeName) };
}

function formatSent(sent: ReturnType<typeof sentUpFront>): string {
  return formatServerBytes(sent.all, (server) => `(${sent.loaded[server]?.tools ?? 0} with schema)`);
}

async function run(context: CaseContext): Promise<CaseReport> {
  const servers = Object.keys((JSON.parse(readFileSync(join(context.projectDir, ".mcp.json"), "utf8")) as { mcpServers: object }).mcpServers);
  trustProject(context, servers);
  const checks = new CaseChecks();
  const attempt = (name: string, probe: Probe, judge: (run: ProbeRun) => CaseCheck) =>
    checks.attempt(name, async () => {
      const result = await runProbe(context, probe);
      context.log(`claude: ${name}: ${result.exit}, ${result.requests.length} model requests`);
      return result;
    }, judge);

  const listClusters: Probe = { call: READ, prompt: "List my RunOS clusters." };
  const readName = "a read tool (clusters_list on runos) runs unasked and its answer reaches the model";
  const read = await attempt(readName, listClusters, (result) => {
    const answer = result.outcome?.isError === false ? result.outcome.text : undefined;
    return readCheck(readName, result.audit, answer, told(result));
  });
  // Deferred behind ToolSearch like every tool but the alwaysLoad ones; after its result the model only answers.
  await attempt(HOSTILE_NAME, { call: HOSTILE, prompt: "Read the support notes of users-db." }, (result) => {
    const answer = result.outcome?.isError === false ? result.outcome.text : undefined;
    return hostileCheck(HOSTILE_NAME, result.audit, answer, told(result));
  });
  const writeName = "a write tool (services_valkey_add on runos-write) does not run without approval";
  await attempt(writeName, { call: WRITE, prompt: "Add a Valkey cache named probe-cache." }, (result) => held(writeName, result, WRITE));
  const secretName = "a sensitive-read tool (services_valkey_credentials on runos-sensitive-read) does not run unasked";
  await attempt(secretName, { call: REVEAL, prompt: "Show the password of the cache." }, (result) => held(secretName, result, REVEAL));
  await attempt(PREVIEW_NAME, { call: PREVIEW, prompt: `What would deleting the Valkey cache ${VALKEY.name} destroy?` }, (result) => {
    const answer = result.outcome?.isError === false ? result.outcome.text : undefined;
    return previewCheck(PREVIEW_NAME, result.audit, answer, told(result));
  });
  const deleteProbe: Probe = { call: DESTROY, prompt: `Delete the Valkey cache ${VALKEY.name}.` };
  const deleteName = "a destructive tool (services_valkey_delete, confirm: true) does not run";
  await attempt(deleteName, deleteProbe, (result) => held(deleteName, result, DESTROY));
  const bypassName = "the destructive tool does not run even under --permission-mode bypassPermissions";
  await attempt(bypassName, { ...deleteProbe, ...BYPASS }, (result) => held(bypassName, result, DESTROY));

  const full = await attempt("full tool list", { ...listClusters, env: { ENABLE_TOOL_SEARCH: "false" } }, (result) => {
    const every = sentUpFront(result.requests[0]);
    return {
      name: "model-visible bytes per runos tool, per server",
      ok: servers.every((server) => (every.loaded[server]?.tools ?? 0) > 0),
      detail: `with ENABLE_TOOL_SEARCH=false (every schema sent): ${formatSent(every)}; by default (deferred behind ToolSearch, ` +
        `only anthropic/alwaysLoad tools with schema): ${formatSent(sentUpFront(read?.requests[0]))}`,
    };
  });
  // Last, as it changes the sandbox's state: the bypass is real, so what holds the delete is runos's marking.
  const controlName = "control: under bypassPermissions a non-destructive write (services_valkey_add) does run";
  const control = writeCall("probe-bypass");
  await attempt(controlName, { call: control, prompt: "Add a Valkey cache named probe-bypass.", ...BYPASS }, (result) => ranCheck(controlName, result.audit, control, told(result)));

  // After the sandbox's state changed: the catalog update is the last thing this case does.
  const updateName = "a catalog update mid-session (manifest_update on runos) reaches the model: the new tool is offered on the next turn";
  await attempt(updateName, { call: UPDATE, prompt: "Refresh the RunOS command list.", script: updateScript(), env: { ENABLE_TOOL_SEARCH: "false" } }, (result) => updatedCheck(updateName, result));

  return {
    checks: checks.list,
    modelBytesPerTool: averageBytes(sentUpFront(full?.requests[0]).all),
    runsUnasked: checks.passed(readName, PREVIEW_NAME, writeName, secretName, deleteName, bypassName)
      ? "Only the read server's tools (mcp__runos__*, allowed by .claude/settings.json once the folder is trusted: an untrusted folder's allow rules are ignored). " +
        "Tools of runos-sensitive-read, runos-write and runos-sensitive-write need approval; destructive ones are held even under bypassPermissions."
      : "Not as promised: see the failed checks.",
    limits: "Driven in print mode (-p), where a call needing approval is refused instead of asked, so asking is seen as that refusal. " +
      "Claude Code defers MCP tools behind its ToolSearch tool by default (also with ANTHROPIC_BASE_URL on loopback): only " +
      "anthropic/alwaysLoad tools (clusters_list, services_list) are sent with schemas, the rest by name until loaded; the script " +
      "loads a tool with ToolSearch select:<name> first. modelBytesPerTool is from a run with ENABLE_TOOL_SEARCH=false, every schema sent. " +
      "Claude Code lists a server's tools again between turns whether or not the server announced a change.",
  };
}

/**
 * Call manifest_update (loading it first), then load the tool it added by its name, as its answer
 * invites ("re-read the tool list"), then stop: Claude Code can only load a tool it has listed.
 */
function updateScript(): ModelScript {
  const update = probeScript(UPDATE);
  const read = claudeName(READ.server, READ.tool);
  return (request, turn) => {
    const updateName = findToolName(request.raw, UPDATE);
    if (updateName === undefined || !anthropicToolCalls(request.raw).includes(updateName)) return update(request, turn);
    const added = claudeName(ADDED_BY_UPDATE.server, ADDED_BY_UPDATE.tool);
    if (request.tools.some((tool) => tool.name === added) || anthropicToolCalls(request.raw).includes(read)) return { text: "done" };
    // One more turn, with a call that changes nothing, for a client that lists again in the background.
    return { tool: read, arguments: {} };
  };
}

/**
 * Whether the model was offered the tool the update added only after the update's result. Claude
 * Code lists the tools again between turns of its own accord: a build of runos that sent no
 * notifications/tools/list_changed passed this check too (Gemini's case is the one that needs it).
 */
function updatedCheck(name: string, run: ProbeRun): CaseCheck {
  const addedName = claudeName(ADDED_BY_UPDATE.server, ADDED_BY_UPDATE.tool);
  // Offered with its schema: Claude Code loaded it, which it can only do for a tool it has listed.
  const added = (request: SeenRequest) => request.tools.some((tool) => tool.name === addedName);
  const updatedAt = run.toolName === undefined ? -1 : run.requests.findIndex((request) => anthropicToolCalls(request.raw).includes(run.toolName!));
  const before = updatedAt < 0 ? run.requests : run.requests.slice(0, updatedAt);
  const after = updatedAt < 0 ? [] : run.requests.slice(updatedAt);
  const ranUpdate = ranOk(run.audit, UPDATE) !== undefined;
  const ok = ranUpdate && !before.some(added) && after.some(added);
  return {
    name,
    ok,
    detail: `${ranUpdate ? "manifest_update ran" : "manifest_update did not run"}; ${ADDED_BY_UPDATE.tool} offered before its result: ${before.some(added)}, ` +
      `after it: ${after.some(added)} (${run.requests.length} model requests); ${told(run)}`,
  };
}

/** Claude Code, pinned. */
export const claudeCase: ClientCase = {
  id: "claude",
  displayName: "Claude Code",
  npm: { name: "@anthropic-ai/claude-code", version: "2.1.328", bin: "claude" },
  run,
};
