/**
 * Qwen Code (a Gemini CLI fork) in its non-interactive mode (`qwen -p`), in the project where
 * `runos mcp configure qwen --sandbox` wrote `.qwen/settings.json` (four servers, `trust: true` on
 * `runos` only). The model is the Chat Completions stand-in (`OPENAI_BASE_URL`, `OPENAI_API_KEY`,
 * `OPENAI_MODEL`); the user's own settings go to `~/.qwen/settings.json` (OpenAI auth, usage statistics
 * and telemetry off, no auto-update, no IDE: without them a bare run looks up hosts in DNS). Qwen loads
 * a project's MCP servers only once the user approves them; the case does that one-time step with
 * `qwen mcp approve <name>` for the four servers (folder trust is off by default, so nothing else).
 *
 * Qwen defers MCP tools: the model gets their names and descriptions in a reminder, reads a schema
 * with its `tool_search` tool and calls through its `tool_call` bridge, as the script does. Qwen's
 * default `tools.approvalMode` is "auto": a call that is not trusted goes to an LLM classifier (a
 * request to the same model, with one `respond_in_schema` tool), and only a block makes it ask, which
 * `qwen -p` declines. The script answers the classifier as each probe says.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { CaseCheck, CaseContext, CaseReport, ClientCase } from "../client_case.ts";
import { runClient } from "../client_process.ts";
import { OPENAI_CHAT_STAND_IN_MODEL, openAIChatToolCalls, openAIChatToolResultFor, startOpenAIChatStandIn } from "../model/openai_chat.ts";
import type { ModelScript, SeenRequest } from "../model/script.ts";
import { averageBytes, bytesPerServer, formatServerBytes } from "../model_bytes.ts";
import { type AuditEntry, auditDuring, describeEntries, entriesOn } from "../probe_audit.ts";
import { CaseChecks, excerpt, heldCheck, HOSTILE_NAME, hostileCheck, readCheck } from "../probe_checks.ts";
import { DESTROY, HOSTILE, type ProbeCall, READ, REVEAL, RUNOS_SERVERS, type ToolNaming, WRITE, writeCall } from "../probes.ts";

/** One client run's bound; a run against the stand-in takes 6 to 15 seconds. */
const RUN_TIMEOUT_MS = 60_000;
/** Qwen's name for an MCP tool. */
const qwenName: ToolNaming = (server, tool) => `mcp__${server}__${tool}`;
/** Qwen's deferred-tool bridge, and the one tool of its auto-mode classifier's requests. */
const TOOL_SEARCH = "tool_search";
const TOOL_CALL = "tool_call";
const CLASSIFIER_TOOL = "respond_in_schema";

/** `~/.qwen/settings.json` of a user of a scripted Qwen (settings schema in its bundled settingsSchema). */
const USER_SETTINGS = {
  security: { auth: { selectedType: "openai" } },
  model: { name: OPENAI_CHAT_STAND_IN_MODEL },
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
  general: { enableAutoUpdate: false },
  ide: { enabled: false },
};
/** Qwen's `permissions.ask` rules for every server but the read one: they make a call ask even in auto mode. */
const ASK_RULES = RUNOS_SERVERS.filter((server) => server !== READ.server).map((server) => `mcp__${server}`);

/** The user's settings, with `extra` for one run (ask rules, tool search off). */
function writeUserSettings(context: CaseContext, extra: Record<string, unknown> = {}): void {
  const dir = join(context.home, ".qwen");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "settings.json"), `${JSON.stringify({ ...USER_SETTINGS, ...extra }, null, 2)}\n`);
}

/** How the script answers Qwen's classifier: let the call through, or block it. */
type Verdict = "allow" | "block";

/** What one fresh `qwen -p` run showed. */
interface Run {
  readonly call: ProbeCall;
  readonly name: string;
  /** The main model's requests (the classifier's apart). */
  readonly requests: readonly SeenRequest[];
  readonly classifier: readonly SeenRequest[];
  /** Declared as a function up front, or only named in the deferred-tools reminder. */
  readonly declared: boolean;
  readonly listed: boolean;
  /** The tool result the model got for its call (through tool_call, or direct). */
  readonly told?: string;
  readonly audit: readonly AuditEntry[];
  readonly exit: string;
  readonly stderr: string;
}

/** Every text of a request's messages, one after another. */
function messageText(request: SeenRequest): string {
  const messages = (request.raw as { messages?: { content?: unknown }[] }).messages ?? [];
  return messages.map(({ content }) =>
    typeof content === "string" ? content : Array.isArray(content) ? content.map((part) => (part as { text?: string }).text ?? "").join("\n") : ""
  ).join("\n");
}

/** The deferred-tools reminder's lines `- "mcp__<server>__<tool>": "<description>"`, as name and bytes. */
function deferredLines(request: SeenRequest | undefined): { name: string; bytes: number }[] {
  const text = request === undefined ? "" : messageText(request);
  return [...text.matchAll(/^- "(mcp__[^"]+)": ".*"$/gm)].map((match) => ({ name: match[1], bytes: Buffer.byteLength(match[0]) }));
}

/** Look the tool up with tool_search and call it through tool_call (or directly when declared), once; answer the classifier. */
function probeScript(name: string, call: ProbeCall, verdict: Verdict): ModelScript {
  return (request) => {
    const classifier = request.tools.find((tool) => tool.name === CLASSIFIER_TOOL);
    if (classifier !== undefined) {
      const required = (classifier.schema as { required?: string[] } | undefined)?.required ?? [];
      const why = verdict === "block" ? "The user did not approve this change." : "The user asked for exactly this.";
      return { tool: CLASSIFIER_TOOL, arguments: { shouldBlock: verdict === "block", ...(required.includes("reason") ? { thinking: why, reason: why } : {}) } };
    }
    if (request.tools.length === 0) return { text: "RunOS probe" };
    const calls = openAIChatToolCalls(request.raw);
    if (request.tools.some((tool) => tool.name === name)) return calls.includes(name) ? { text: "done" } : { tool: name, arguments: call.arguments };
    if (!calls.includes(TOOL_SEARCH)) return { tool: TOOL_SEARCH, arguments: { query: `select:${name}` } };
    if (!calls.includes(TOOL_CALL)) return { tool: TOOL_CALL, arguments: { name, arguments: call.arguments } };
    return { text: "done" };
  };
}

/** One fresh `qwen -p` run whose model makes `call` once. */
async function runQwen(context: CaseContext, call: ProbeCall, prompt: string, verdict: Verdict, flags: readonly string[] = []): Promise<Run> {
  const name = qwenName(call.server, call.tool);
  const standIn = await startOpenAIChatStandIn(probeScript(name, call, verdict));
  try {
    const env = { ...context.env, OPENAI_BASE_URL: `${standIn.url}/v1`, OPENAI_API_KEY: "stand-in", OPENAI_MODEL: OPENAI_CHAT_STAND_IN_MODEL };
    const args = ["-p", prompt, ...flags];
    const { value: run, audit } = await auditDuring(context.auditPath, () => runClient(context, { args, env, timeoutMs: RUN_TIMEOUT_MS }));
    const all = [...standIn.requests];
    const requests = all.filter((request) => !request.tools.some((tool) => tool.name === CLASSIFIER_TOOL));
    const last = requests.at(-1);
    return {
      call,
      name,
      requests,
      classifier: all.filter((request) => !requests.includes(request)),
      declared: requests[0]?.tools.some((tool) => tool.name === name) ?? false,
      listed: deferredLines(requests[0]).some((line) => line.name === name),
      told: last === undefined ? undefined : openAIChatToolResultFor(last.raw, TOOL_CALL) ?? openAIChatToolResultFor(last.raw, name),
      audit,
      exit: run.exit,
      stderr: run.stderr.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("Ripgrep not available")).join(" | "),
    };
  } finally {
    await standIn.close();
  }
}

/** How Qwen handled the call, for a check's detail. */
function handling(run: Run, verdict?: Verdict): string {
  const offered = run.declared ? `declared as ${run.name}` : run.listed ? `${run.name} listed among the deferred tools (schema through tool_search)` : `${run.name} not offered`;
  const asked = run.classifier.length === 0
    ? "no classifier request"
    : `the auto-mode classifier was asked ${run.classifier.length} time(s)${verdict === undefined ? "" : ` (the script answered shouldBlock: ${verdict === "block"})`}`;
  const told = run.told === undefined ? `no tool result reached the model (${run.exit})` : `the model was told ${excerpt(run.told, 200)}`;
  return `${offered}; ${asked}; ${told}${run.stderr === "" ? "" : `; stderr ${excerpt(run.stderr, 200)}`}`;
}

/** Qwen's tool result: `JSON.stringify(structuredContent)`, then the MCP text content (which carries the fence). */
function answerNote(told: string | undefined): string {
  const fence = told?.indexOf("<untrusted-data-") ?? -1;
  if (told === undefined || fence <= 0) return "";
  try {
    const first = Object.keys(JSON.parse(told.slice(0, fence).trim()) as object)[0];
    return `; the fenced text comes after ${Buffer.byteLength(told.slice(0, fence))} B outside the fence: JSON.stringify(structuredContent), first member ${JSON.stringify(first)}`;
  } catch {
    return `; ${excerpt(told.slice(0, fence), 80)} comes before the fence`;
  }
}

/** The user's one-time step: approve the four project servers, as `qwen mcp list` asks. */
async function approveServers(context: CaseContext): Promise<string[]> {
  const said: string[] = [];
  for (const server of RUNOS_SERVERS) {
    const run = await runClient(context, { args: ["mcp", "approve", server], env: context.env, timeoutMs: RUN_TIMEOUT_MS });
    said.push(`${run.exit}: ${run.stdout.trim().split("\n")[0] ?? ""}`);
  }
  return said;
}

/** Drive Qwen Code through every probe, each a fresh run. */
async function runQwenCase(context: CaseContext): Promise<CaseReport> {
  writeUserSettings(context);
  const checks = new CaseChecks();
  const runs: Run[] = [];
  const probe = (name: string, call: ProbeCall, prompt: string, verdict: Verdict, judge: (run: Run) => CaseCheck, flags: readonly string[] = []) =>
    checks.attempt(name, async () => {
      const run = await runQwen(context, call, prompt, verdict, flags);
      context.log(`${name}: ${run.exit}, ${run.requests.length} model and ${run.classifier.length} classifier requests`);
      runs.push(run);
      return run;
    }, judge);
  const held = (name: string, call: ProbeCall, prompt: string, verdict: Verdict, flags: readonly string[] = []) =>
    probe(name, call, prompt, verdict, (run) => heldCheck(name, run.audit, call, handling(run, verdict), run.listed || run.declared), flags);

  const gateName = "before the user approves the project's servers, Qwen offers no runos tool";
  await probe(gateName, READ, "List my RunOS clusters.", "allow", (run) => ({
    name: gateName,
    ok: !run.listed && !run.declared && entriesOn(run.audit, READ.server).length === 0,
    detail: handling(run),
  }));
  const approvals = await approveServers(context);
  checks.list.push({ name: "the user approves the four servers once (`qwen mcp approve <name>`)", ok: approvals.every((line) => line.startsWith("exit 0")), detail: approvals.join("; ") });

  const readName = "a read tool (clusters_list on runos) runs unasked and its answer reaches the model";
  await probe(readName, READ, "List my RunOS clusters.", "allow", (run) => {
    const check = readCheck(readName, run.audit, run.told, handling(run));
    return { ...check, detail: `${check.detail}${answerNote(run.told)}; ${handling(run).split("; ").slice(0, 2).join("; ")}` };
  });
  // Deferred like every runos tool: tool_search, then tool_call; after its result the model only answers.
  await probe(HOSTILE_NAME, HOSTILE, "Read the support notes of users-db.", "allow", (run) => {
    const check = hostileCheck(HOSTILE_NAME, run.audit, run.told, handling(run));
    return { ...check, detail: `${check.detail}${answerNote(run.told)}` };
  });
  const writeName = "a write tool (services_valkey_add on runos-write) does not run without approval";
  await held(writeName, WRITE, "Add a Valkey cache named probe-cache.", "allow");
  const revealName = "a sensitive-read tool (services_valkey_credentials on runos-sensitive-read) does not run unasked";
  await held(revealName, REVEAL, "Show the password of the cache.", "allow");
  await held("when Qwen's classifier blocks a write, it does not run (what the model is told)", writeCall("probe-cache-blocked"), "Add a Valkey cache named probe-cache-blocked.", "block");
  await held("with `--approval-mode default` (the user's opt-in), a write does not run", writeCall("probe-cache-asked"), "Add a Valkey cache named probe-cache-asked.", "allow", ["--approval-mode", "default"]);
  // What a file could say instead: ask rules (put in the user's settings here, as the project's file stays as runos wrote it).
  writeUserSettings(context, { permissions: { ask: ASK_RULES } });
  await held(`with permissions.ask ${JSON.stringify(ASK_RULES)}, a write asks even in auto mode and does not run`, writeCall("probe-cache-ruled"), "Add a Valkey cache named probe-cache-ruled.", "allow");
  writeUserSettings(context);
  // The delete last: when it runs, it really deletes the cache REVEAL names.
  const destroyName = "a destructive tool (services_valkey_delete, confirm: true, on runos-write) does not run";
  await held(destroyName, DESTROY, "Delete the Valkey cache.", "allow");

  // Every schema up front, as with tools.toolSearch.enabled false: what a model is sent per tool when it loads them all.
  writeUserSettings(context, { tools: { toolSearch: { enabled: false } } });
  const every = await checks.attempt("model-visible bytes per runos tool are measured", () => runQwen(context, READ, "List my RunOS clusters.", "allow"), (run) => {
    const declared = bytesPerServer(run.requests[0]?.tools ?? [], qwenName);
    const deferred = bytesPerServer(deferredLines(runs.find((candidate) => candidate.listed)?.requests[0]), qwenName);
    return {
      name: "model-visible bytes per runos tool are measured",
      ok: (declared[READ.server]?.tools ?? 0) > 0,
      detail: `by default no runos tool is declared: the four servers' tools are named in the deferred-tools reminder (${formatServerBytes(deferred)} per ` +
        `"- name: description" line), schemas through tool_search; declared with tools.toolSearch.enabled false: ${formatServerBytes(declared)}`,
    };
  });
  const perServer = averageBytes(bytesPerServer(every?.requests[0]?.tools ?? [], qwenName));

  const ranElsewhere = runs.flatMap((run) => run.audit).filter((entry) => entry.server !== READ.server);
  const classified = runs.some((run) => run.classifier.length > 0);
  return {
    checks: checks.list,
    modelBytesPerTool: perServer,
    runsUnasked: ranElsewhere.length === 0 && checks.passed(writeName, revealName, destroyName)
      ? "Only the read server's tools (runos, trust: true); qwen -p declines every other server's call."
      : `the read server's tools (trust: true), and${classified ? " under Qwen's default approvalMode \"auto\"" : ""} every other server's ` +
        `tool whenever Qwen's LLM classifier (a request to the same model) answers shouldBlock: false, without asking the user; ` +
        `seen running: ${describeEntries(ranElsewhere)}. With \`--approval-mode default\`, or permissions.ask rules naming the three servers ` +
        "(which auto mode honours), Qwen asks instead, and qwen -p declines.",
    limits: "headless only (`qwen -p`): a call Qwen would ask about is declined, so its dialog is never shown; the auto-mode classifier's " +
      "verdict is the script's (a real model's is its own), so whether a write runs under the defaults is the model's decision, not the user's.",
  };
}

/** Qwen Code, driven headless against the Chat Completions stand-in. */
export const qwenCase: ClientCase = {
  id: "qwen",
  displayName: "Qwen Code",
  npm: { name: "@qwen-code/qwen-code", version: "0.24.4", bin: "qwen" },
  run: runQwenCase,
};
