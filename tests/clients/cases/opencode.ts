/**
 * opencode in its non-interactive mode (`opencode run --format json`), in the project whose
 * `opencode.json` `runos mcp configure opencode --sandbox` wrote. The model is a custom provider on the
 * Chat Completions stand-in (`@ai-sdk/openai-compatible`, which opencode bundles), given through
 * `OPENCODE_CONFIG_CONTENT` so that the project's file stays exactly as runos wrote it: that variable
 * is merged after the project file, and it sets no `permission`.
 *
 * opencode names an MCP tool `<server>_<tool>` and decides each call by its `permission` rules, the
 * last matching rule winning, after its default `"*": "allow"`. A rule `"ask"` makes `opencode run`
 * auto-reject the call (it prints "permission requested: …; auto-rejecting"; only `--auto`, never
 * passed here, approves) and end the run; a rule `"deny"` removes the tool from what the model is offered.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { CaseCheck, CaseContext, CaseReport, ClientCase } from "../client_case.ts";
import { runClient } from "../client_process.ts";
import { OPENAI_CHAT_STAND_IN_MODEL, openAIChatToolCalls, startOpenAIChatStandIn } from "../model/openai_chat.ts";
import type { ModelScript, SeenRequest } from "../model/script.ts";
import { averageBytes, bytesPerServer, formatServerBytes } from "../model_bytes.ts";
import { type AuditEntry, auditDuring } from "../probe_audit.ts";
import { CaseChecks, excerpt, heldCheck, HOSTILE_NAME, hostileCheck, readCheck } from "../probe_checks.ts";
import { DESTROY, HOSTILE, type ProbeCall, READ, REVEAL, type ToolNaming, VALKEY, WRITE } from "../probes.ts";

/** One client run's bound; a run takes about ten seconds (four runos servers start each time). */
const RUN_TIMEOUT_MS = 60_000;
/** The provider id the stand-in is configured under. */
const PROVIDER = "stand-in";
/** opencode's name for an MCP tool: `<server>_<tool>`. */
const opencodeName: ToolNaming = (server, tool) => `${server}_${tool}`;

/**
 * opencode off the network apart from the stand-in: no models.dev catalog, no auto-update, no sharing,
 * no LSP downloads, nothing read from ~/.claude. `npm_config_offline` keeps the background install of
 * `@opencode-ai/plugin` into ~/.config/opencode (opencode's Npm.install, through npm's Arborist) from
 * reaching registry.npmjs.org: it fails at once, logged as "background dependency install failed".
 */
const CLIENT_ENV = {
  OPENCODE_DISABLE_MODELS_FETCH: "1",
  OPENCODE_DISABLE_AUTOUPDATE: "1",
  OPENCODE_DISABLE_SHARE: "1",
  OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
  OPENCODE_DISABLE_CLAUDE_CODE: "1",
  npm_config_offline: "true",
} as const;

/** The provider and model, as `OPENCODE_CONFIG_CONTENT`: the title agent (small model) uses it too. */
function providerConfig(url: string): string {
  const model = { name: "Stand-in", tool_call: true, limit: { context: 128_000, output: 4_096 } };
  return JSON.stringify({
    provider: { [PROVIDER]: { npm: "@ai-sdk/openai-compatible", name: "Stand-in", options: { baseURL: `${url}/v1`, apiKey: "stand-in" }, models: { [OPENAI_CHAT_STAND_IN_MODEL]: model } } },
    model: `${PROVIDER}/${OPENAI_CHAT_STAND_IN_MODEL}`,
    small_model: `${PROVIDER}/${OPENAI_CHAT_STAND_IN_MODEL}`,
    autoupdate: false,
    share: "disabled",
  });
}

/** One fresh client run that asks the model to make one call. */
interface Probe {
  readonly call: ProbeCall;
  readonly prompt: string;
}

/** A `--format json` event of `opencode run`, as far as the case reads it. */
const RunEvent = z.object({
  type: z.string(),
  part: z.object({
    tool: z.string().optional(),
    state: z.object({ status: z.string(), output: z.string().optional(), error: z.string().optional() }).optional(),
  }).optional(),
});

/** What one run showed. */
interface ProbeRun {
  readonly requests: readonly SeenRequest[];
  /** The tool's name as opencode offered it, when it did. */
  readonly offered?: string;
  /** The name the script called. */
  readonly called: string;
  /** The tool part opencode reported for the call (`tool` may be `invalid`, opencode's stand-in for an unknown tool). */
  readonly event?: { readonly tool: string; readonly status: string; readonly text: string };
  /** The rule opencode's log says decided the call: `runos-write_* → ask`. */
  readonly rule?: string;
  /** `opencode run`'s own line for a permission it auto-rejected. */
  readonly rejected?: string;
  /** Audit entries written during the run. */
  readonly audit: readonly AuditEntry[];
  readonly exit: string;
  readonly stderrTail: string;
}

/** The name opencode offered `call`'s tool under on this request, if it did. */
function offeredName(request: SeenRequest, call: ProbeCall): string | undefined {
  return request.tools.find((tool) => tool.name === opencodeName(call.server, call.tool))?.name;
}

/** Answer the title agent (no tools) with a title; make the probe's call once; then stop. */
function probeScript(call: ProbeCall): ModelScript {
  return (request) => {
    if (request.tools.length === 0) return { text: "RunOS probe" };
    if (openAIChatToolCalls(request.raw).length > 0) return { text: "done" };
    return { tool: offeredName(request, call) ?? opencodeName(call.server, call.tool), arguments: call.arguments };
  };
}

/** The tool part of the first `tool_use` event for one of `names` in `opencode run`'s JSON lines. */
function toolEvent(stdout: string, names: readonly string[]): ProbeRun["event"] {
  for (const line of stdout.split("\n")) {
    let parsed: z.infer<typeof RunEvent>;
    try {
      parsed = RunEvent.parse(JSON.parse(line));
    } catch {
      continue;
    }
    const { part } = parsed;
    if (parsed.type !== "tool_use" || part?.tool === undefined || part.state === undefined || !names.includes(part.tool)) continue;
    return { tool: part.tool, status: part.state.status, text: part.state.error ?? part.state.output ?? "" };
  }
  return undefined;
}

/** The permission rule opencode's log (`--print-logs`) says decided the call of `name`: `"runos-write_*" → ask`. */
function decidingRule(stderr: string, name: string): string | undefined {
  const evaluated = /message=evaluated permission=(\S+) \S+ action\.permission=(\S+) action\.action=(\w+)/g;
  const match = [...stderr.matchAll(evaluated)].find((candidate) => candidate[1] === name);
  return match === undefined ? undefined : `"${match[2]}" → ${match[3]}`;
}

async function runProbe(context: CaseContext, probe: Probe): Promise<ProbeRun> {
  const standIn = await startOpenAIChatStandIn(probeScript(probe.call));
  try {
    const env = { ...context.env, ...CLIENT_ENV, OPENCODE_CONFIG_CONTENT: providerConfig(standIn.url) };
    const args = ["run", "--format", "json", "--print-logs", "--log-level", "INFO", probe.prompt];
    const { value: client, audit } = await auditDuring(context.auditPath, () => runClient(context, { args, env, timeoutMs: RUN_TIMEOUT_MS }));
    const requests = [...standIn.requests];
    const offered = requests.map((request) => offeredName(request, probe.call)).find((name) => name !== undefined);
    const called = offered ?? opencodeName(probe.call.server, probe.call.tool);
    return {
      requests,
      offered,
      called,
      event: toolEvent(client.stdout, [called, "invalid"]),
      rule: decidingRule(client.stderr, called),
      rejected: /permission requested: [^\n]*auto-rejecting/.exec(client.stderr)?.[0],
      audit,
      exit: client.exit,
      stderrTail: client.stderr.trim().split("\n").slice(-3).join(" | ").slice(0, 400),
    };
  } finally {
    await standIn.close();
  }
}

/** The last tool result the model was sent in the run, if the run went on after the call. */
function toldModel(run: ProbeRun): string | undefined {
  return run.requests.map((request) => request.toolResults.at(-1)).filter((text) => text !== undefined).at(-1);
}

/** How opencode handled the call, for a check's detail. */
function handling(run: ProbeRun): string {
  const parts = [run.offered === undefined ? `${run.called} was not offered to the model` : `offered as ${run.offered}`];
  if (run.rule !== undefined) parts.push(`opencode's rule ${run.rule}`);
  if (run.rejected !== undefined) parts.push(`opencode run printed ${excerpt(run.rejected, 160)}`);
  if (run.event !== undefined) parts.push(`the tool part (${run.event.tool}, ${run.event.status}) holds ${excerpt(run.event.text, 160)}`);
  const told = toldModel(run);
  parts.push(told === undefined ? "the run ended with no further model request" : `the model was told ${excerpt(told, 160)}`);
  if (run.event === undefined) parts.push(`${run.exit}; stderr: ${run.stderrTail || "(none)"}`);
  return parts.join("; ");
}

/** A probe whose call must not run; it only counts when opencode really offered the tool and handled the call (a "deny" rule hides it). */
function held(name: string, run: ProbeRun, call: ProbeCall): CaseCheck {
  return heldCheck(name, run.audit, call, handling(run), run.offered !== undefined && run.event !== undefined);
}

/** READ ran and its answer reached the model, with the rule that let it run. */
function read(name: string, run: ProbeRun): CaseCheck {
  const check = readCheck(name, run.audit, toldModel(run), handling(run));
  return { ...check, detail: `${run.called} (${run.rule ?? "no rule logged"}); ${check.detail}` };
}

/** The servers and the `permission` rules of the `opencode.json` runos wrote. */
function projectFile(context: CaseContext): { servers: string[]; permission: unknown } {
  const file = JSON.parse(readFileSync(join(context.projectDir, "opencode.json"), "utf8")) as { mcp?: object; permission?: unknown };
  return { servers: Object.keys(file.mcp ?? {}), permission: file.permission };
}

async function run(context: CaseContext): Promise<CaseReport> {
  const { servers, permission } = projectFile(context);
  const checks = new CaseChecks();
  const runs: ProbeRun[] = [];
  const attempt = (name: string, probe: Probe, judge: (run: ProbeRun) => CaseCheck) =>
    checks.attempt(name, async () => {
      const result = await runProbe(context, probe);
      runs.push(result);
      context.log(`opencode: ${name}: ${result.exit}, ${result.requests.length} model requests`);
      return result;
    }, judge);

  const readName = "a read tool (clusters_list on runos) runs unasked and its answer reaches the model";
  const listed = await attempt(readName, { call: READ, prompt: "List my RunOS clusters." }, (result) => read(readName, result));
  const hostileProbe: Probe = { call: HOSTILE, prompt: "Read the support notes of users-db." };
  await attempt(HOSTILE_NAME, hostileProbe, (result) => hostileCheck(HOSTILE_NAME, result.audit, toldModel(result), handling(result)));
  const secretName = "a sensitive-read tool (services_valkey_credentials on runos-sensitive-read) does not run unasked";
  await attempt(secretName, { call: REVEAL, prompt: "Show the password of the cache." }, (result) => held(secretName, result, REVEAL));
  const writeName = "a write tool (services_valkey_add on runos-write) does not run without approval";
  await attempt(writeName, { call: WRITE, prompt: "Add a Valkey cache named probe-cache." }, (result) => held(writeName, result, WRITE));
  const deleteName = "a destructive tool (services_valkey_delete, confirm: true, on runos-write) does not run";
  await attempt(deleteName, { call: DESTROY, prompt: `Delete the Valkey cache ${VALKEY.name}.` }, (result) => held(deleteName, result, DESTROY));

  const perServer = bytesPerServer(listed?.requests.find((request) => request.tools.length > 0)?.tools ?? [], opencodeName);
  const missing = servers.filter((server) => perServer[server] === undefined);
  checks.list.push({
    name: "the model is offered the runos tools with their schemas (no deferral), bytes per tool measured",
    ok: perServer[READ.server] !== undefined,
    detail: `${formatServerBytes(perServer) || "no runos tools"}${missing.length === 0 ? "" : `; not offered: ${missing.join(", ")}`}` +
      `; opencode.json permission: ${JSON.stringify(permission ?? null)}`,
  });

  const ranUnasked = [...new Set(runs.flatMap((result) => result.audit).filter((entry) => entry.server !== READ.server).map((entry) => `${entry.server} ${entry.tool}`))];
  return {
    checks: checks.list,
    modelBytesPerTool: averageBytes(perServer),
    runsUnasked: ranUnasked.length === 0 && checks.list.every((check) => check.ok)
      ? "Only the read server's tools (runos_*, under opencode's default \"*\": \"allow\"); opencode.json's permission rules make every " +
        "runos-sensitive-read_*, runos-write_* and runos-sensitive-write_* call ask, which `opencode run` auto-rejects."
      : ranUnasked.length > 0
      ? `Every runos tool not matched by an "ask" or "deny" rule, as opencode's default is "*": "allow" (opencode.json permission: ` +
        `${JSON.stringify(permission ?? null)}); seen running unasked: ${ranUnasked.join(", ")}.`
      : "Not as promised: see the failed checks.",
    limits: "`opencode run` cannot answer an approval: it auto-rejects every \"ask\" (only --auto, never passed, approves), so asking is " +
      "seen as that rejection, after which opencode ends the run; the rejection text is the tool result it keeps for the model's next turn.",
  };
}

/** opencode, pinned. */
export const opencodeCase: ClientCase = {
  id: "opencode",
  displayName: "opencode",
  npm: { name: "opencode-ai", version: "1.18.33", bin: "opencode" },
  run,
};
