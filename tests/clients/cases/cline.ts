/**
 * Cline's CLI (`cline --json "<prompt>"`), with HOME where `runos mcp configure cline --sandbox` wrote
 * `~/.cline/data/settings/cline_mcp_settings.json` (four servers, the read server's tools in its
 * `autoApprove`). The model is the Chat Completions stand-in as Cline's `openai-compatible` provider, in
 * `~/.cline/data/settings/providers.json`, in the shape `cline auth -p openai -k … -m … -b <url>` writes.
 *
 * The CLI decides approval once for every tool: `toolPolicies = {"*": {autoApprove}}` from
 * `--auto-approve` (default true), else `toolAutoApprove` of `global-settings.json`. Its MCP settings
 * schema keeps an entry's transport, `disabled` and `timeout` and drops `autoApprove`. With
 * `--auto-approve false` and no TTY, every call is refused with "requires approval in a TTY session".
 * Cline names an MCP tool `<server>__<tool>` and sends the model the whole CallToolResult as JSON.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CaseCheck, CaseContext, CaseReport, ClientCase } from "../client_case.ts";
import { runClient } from "../client_process.ts";
import { OPENAI_CHAT_STAND_IN_MODEL, openAIChatToolResultFor, startOpenAIChatStandIn } from "../model/openai_chat.ts";
import type { SeenRequest } from "../model/script.ts";
import { averageBytes, bytesPerServer, formatServerBytes } from "../model_bytes.ts";
import { auditDuring, type AuditEntry } from "../probe_audit.ts";
import { CaseChecks, excerpt, heldCheck, HOSTILE_NAME, hostileCheck, ranCheck, readCheck } from "../probe_checks.ts";
import { DESTROY, HOSTILE, type ProbeCall, READ, REVEAL, type ToolNaming, WRITE, writeCall } from "../probes.ts";

/** One client run's bound; a run against the stand-in takes 7 to 15 seconds (four servers start each time). */
const RUN_TIMEOUT_MS = 60_000;
/** Cline's name for an MCP tool (`<server>__<tool>`; runos keeps its own names short enough). */
const clineName: ToolNaming = (server, tool) => `${server}__${tool}`;
/** The prompt; the script decides the call. */
const PROMPT = "Use the RunOS tools as asked.";
/** The switch runos's note tells CLI users to pass so that Cline asks before each call. */
const ASK_FLAGS = ["--auto-approve", "false"] as const;

/**
 * `local`: without it, each run also starts a `cline --cline-hub-daemon` in its own process group,
 * which outlives the run (the run itself then falls back to "local runtime host" all the same).
 */
const CLIENT_ENV = { CLINE_SESSION_BACKEND_MODE: "local" } as const;

/**
 * `~/.cline/data/settings/global-settings.json`: `telemetryOptOut` stops the OpenTelemetry export to
 * otel.cline.bot; `autoUpdateEnabled: false` the update check. `toolAutoApprove` is left unset: the
 * approval default is under test.
 */
const GLOBAL_SETTINGS = { telemetryOptOut: true, autoUpdateEnabled: false };

/** What one fresh client run showed. */
interface Run {
  readonly call: ProbeCall;
  readonly requests: readonly SeenRequest[];
  /** Whether the first model request offered the tool. */
  readonly offered: boolean;
  /** The tool message the model got for its call, if the run got that far. */
  readonly told?: string;
  readonly audit: readonly AuditEntry[];
  readonly exit: string;
  readonly stderr: string;
}

function settingsDir(context: CaseContext): string {
  return join(context.home, ".cline", "data", "settings");
}

/**
 * The user's settings, once: global settings, and a fresh feature-flag cache. The CLI polls PostHog
 * (data.cline.bot) for its flags unless its cache (`~/.cline/data/cache/feature-flags.json`, kept 30
 * days) is fresh; there is no switch for it besides the test-only `IS_TEST`.
 */
function prepareHome(context: CaseContext): void {
  mkdirSync(settingsDir(context), { recursive: true });
  writeFileSync(
    join(settingsDir(context), "global-settings.json"),
    `${JSON.stringify(GLOBAL_SETTINGS, null, 2)}\n`,
  );
  const cache = join(context.home, ".cline", "data", "cache");
  mkdirSync(cache, { recursive: true });
  const flags = {
    version: 2,
    updatedAt: Date.now(),
    userId: null,
    flagsPayload: { featureFlags: {}, featureFlagPayloads: {} },
  };
  writeFileSync(
    join(cache, "feature-flags.json"),
    `${JSON.stringify(flags, null, 2)}\n`,
  );
}

/** The provider, as `cline auth -p openai -k stand-in -m stand-in -b <url>/v1` saves it. */
function writeProvider(context: CaseContext, url: string): void {
  const settings = {
    provider: "openai-compatible",
    apiKey: "stand-in",
    model: OPENAI_CHAT_STAND_IN_MODEL,
    baseUrl: `${url}/v1`,
  };
  const file = {
    version: 1,
    lastUsedProvider: "openai-compatible",
    modes: {},
    providers: {
      "openai-compatible": {
        settings,
        updatedAt: new Date().toISOString(),
        tokenSource: "manual",
      },
    },
  };
  writeFileSync(
    join(settingsDir(context), "providers.json"),
    `${JSON.stringify(file, null, 2)}\n`,
  );
}

/** Run `cline --json` once; the scripted model makes `call`, then stops. */
async function runCline(
  context: CaseContext,
  call: ProbeCall,
  flags: readonly string[] = [],
): Promise<Run> {
  const name = clineName(call.server, call.tool);
  const standIn = await startOpenAIChatStandIn((request) =>
    request.tools.length === 0 || request.toolResults.length > 0 ? { text: "done" } : { tool: name, arguments: call.arguments }
  );
  try {
    writeProvider(context, standIn.url);
    const env = { ...context.env, ...CLIENT_ENV };
    const args = ["--json", ...flags, PROMPT];
    const { value: run, audit } = await auditDuring(
      context.auditPath,
      () => runClient(context, { args, env, timeoutMs: RUN_TIMEOUT_MS }),
    );
    const requests = [...standIn.requests];
    const last = requests.at(-1);
    return {
      call,
      requests,
      offered: requests[0]?.tools.some((tool) => tool.name === name) ?? false,
      told: last === undefined ? undefined : openAIChatToolResultFor(last.raw, name),
      audit,
      exit: run.exit,
      stderr: run.stderr.trim(),
    };
  } finally {
    await standIn.close();
  }
}

/** The text blocks of Cline's tool message, which is `JSON.stringify` of the whole CallToolResult. */
function resultParts(told: string): { text?: string; structured: boolean } {
  try {
    const parsed = JSON.parse(told) as {
      content?: { type?: string; text?: string }[];
      structuredContent?: unknown;
    };
    if (!Array.isArray(parsed.content)) return { structured: false };
    const text = parsed.content.filter((block) => block.type === "text").map((
      block,
    ) => block.text ?? "").join("\n");
    return { text, structured: parsed.structuredContent !== undefined };
  } catch {
    return { structured: false };
  }
}

/** How the run went, for a check's detail. */
function told(run: Run): string {
  const offered = run.offered ? `offered; called as ${clineName(run.call.server, run.call.tool)}` : "not offered";
  if (run.told === undefined) {
    return `${offered}; no tool result reached the model (${run.exit}; stderr ${excerpt(run.stderr, 160)})`;
  }
  return `${offered}; the model was told ${excerpt(run.told, 200)}`;
}

/** A probe whose answer must reach the model (READ with readCheck, HOSTILE with hostileCheck), judged on its tool message's text blocks. */
function clineAnswerCheck(name: string, run: Run, judge: typeof readCheck): CaseCheck {
  const parts = run.told === undefined ? { structured: false } : resultParts(run.told);
  const check = judge(name, run.audit, parts.text ?? run.told, told(run));
  if (parts.text === undefined || run.told === undefined) return check;
  return {
    ...check,
    detail: `${check.detail} (the text block of the tool message, which is JSON.stringify of the whole CallToolResult: ` +
      `content${parts.structured ? " and structuredContent" : ""}, ${Buffer.byteLength(run.told)} B in all)`,
  };
}

/** A probe whose call must not run. */
function clineHeldCheck(name: string, run: Run): CaseCheck {
  return heldCheck(
    name,
    run.audit,
    run.call,
    told(run),
    run.offered && run.told !== undefined,
  );
}

/** Drive the Cline CLI through every probe, each a fresh run, one at a time (they share ~/.cline/data). */
async function runClineCase(context: CaseContext): Promise<CaseReport> {
  prepareHome(context);
  const checks = new CaseChecks();
  const log = (label: string, run: Run) =>
    context.log(
      `${label}: ${run.exit}, ${run.requests.length} model requests, ${run.audit.length} audit entries`,
    );
  const probe = async (
    label: string,
    name: string,
    call: ProbeCall,
    judge: (name: string, run: Run) => CaseCheck,
    flags: readonly string[] = [],
  ) =>
    await checks.attempt(name, async () => {
      const run = await runCline(context, call, flags);
      log(label, run);
      return run;
    }, (run) => judge(name, run));

  // Cline's defaults: the CLI approves every tool (--auto-approve defaults to true, autoApprove is not
  // read). runos cannot change that from the file: configure asks the user to accept it before writing
  // the three other servers, and the README says so. These checks hold the docs to what Cline does.
  const readName = "a read tool (clusters_list on runos) runs unasked and its answer reaches the model";
  const defaults = "as configure's warning and the README say, under Cline's defaults (--auto-approve true)";
  const read = await probe("read", readName, READ, (name, run) => clineAnswerCheck(name, run, readCheck));
  await probe("hostile", HOSTILE_NAME, HOSTILE, (name, run) => clineAnswerCheck(name, run, hostileCheck));
  await probe("write", `${defaults} a write tool (services_valkey_add on runos-write) runs unasked`, WRITE, clineRanCheck);
  // Before the delete: it reads the cache the delete removes.
  await probe("reveal", `${defaults} a sensitive-read tool (services_valkey_credentials) runs unasked`, REVEAL, clineRanCheck);
  // Cline calls it unasked too; what stops the delete is runos: confirm: true is no token, so the
  // server answers the preview and runs nothing.
  await probe("destroy", `${defaults} a destructive tool (services_valkey_delete, confirm: true) is called unasked, and runos answers its preview without deleting`, DESTROY, clinePreviewedCheck);

  const measured = bytesPerServer(read?.requests[0]?.tools ?? [], clineName);
  const offeredCount = read?.requests[0]?.tools.length ?? 0;
  checks.list.push({
    name: "model-visible bytes per runos tool are measured",
    ok: Object.keys(measured).length > 0,
    detail: `${formatServerBytes(measured)}; ${offeredCount} tools offered in all, each {type: function, function: {name: <server>__<tool>, ` +
      `description, parameters}} with the MCP description and inputSchema unchanged`,
  });

  // What runos tells Cline CLI users to run: --auto-approve false. Then nothing runs unasked.
  const asked = "with --auto-approve false (what runos's note says)";
  const askedNames = [
    `${asked}, a write tool does not run without approval`,
    `${asked}, a sensitive-read tool does not run unasked`,
    `${asked}, a destructive tool does not run`,
    `${asked}, the read tool asks too (Cline has one approval setting for every tool)`,
  ];
  await probe("write, --auto-approve false", askedNames[0]!, writeCall("probe-cache-asked"), clineHeldCheck, ASK_FLAGS);
  await probe("reveal, --auto-approve false", askedNames[1]!, REVEAL, clineHeldCheck, ASK_FLAGS);
  await probe("destroy, --auto-approve false", askedNames[2]!, DESTROY, clineHeldCheck, ASK_FLAGS);
  await probe("read, --auto-approve false", askedNames[3]!, READ, clineHeldCheck, ASK_FLAGS);

  return {
    checks: checks.list,
    modelBytesPerTool: averageBytes(measured),
    runsUnasked: checks.passed(...askedNames)
      ? "under its defaults, every tool of all four servers (the CLI's --auto-approve defaults to true and it reads no autoApprove list), though a destructive call stops at runos's preview (it runs only with the preview's token); with --auto-approve false, nothing (on a terminal every call asks, the read server's too)"
      : "not as documented: see the checks",
    limits: 'headless only (`cline --json <prompt>` without a TTY): with --auto-approve false the CLI asks `Approve "<tool>" … [y/N]` on a TTY ' +
      "and refuses without one, so the question itself is not shown here; the runs use CLINE_SESSION_BACKEND_MODE=local (no background hub)",
  };
}

/** A destructive call the client let through: runos answered its preview, and sent no DELETE. */
function clinePreviewedCheck(name: string, run: Run): CaseCheck {
  const entry = run.audit.find((line) => line.server === run.call.server && line.tool === run.call.tool);
  const deleted = entry?.requests.some((request) => request.method === "DELETE") ?? false;
  const previewed = run.told !== undefined && run.told.includes("not run:") && /confirm: \\?"rc1\./.test(run.told);
  return {
    name,
    ok: entry !== undefined && entry.outcome === "error" && !deleted && previewed,
    detail: `${entry === undefined ? `no audit entry of ${run.call.server} ${run.call.tool}` : `audit: ${run.call.server} ${run.call.tool} ${entry.outcome}, requests ${JSON.stringify(entry.requests)}`}; ${told(run)}`,
  };
}

/** A default-mode probe whose call runs: what the README says Cline does. */
function clineRanCheck(name: string, run: Run): CaseCheck {
  return ranCheck(name, run.audit, run.call, told(run));
}

/** Cline's CLI, driven headless against the Chat Completions stand-in. */
export const clineCase: ClientCase = {
  id: "cline",
  displayName: "Cline CLI",
  npm: { name: "cline", version: "3.0.65", bin: "cline" },
  run: runClineCase,
};
