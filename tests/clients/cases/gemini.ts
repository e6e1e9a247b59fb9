/**
 * Gemini CLI in headless mode (`gemini -p`), pointed at the Gemini stand-in by `GOOGLE_GEMINI_BASE_URL`
 * with a dummy `GEMINI_API_KEY`, in the project where `runos mcp configure gemini --sandbox` wrote
 * `.gemini/settings.json` (four servers, `trust: true` on `runos` only). The user's own settings go to
 * `~/.gemini/settings.json` (API-key auth, usage statistics and telemetry off, no update check, no IDE),
 * and the project is trusted the way the user's one-time dialog does it (`~/.gemini/trustedFolders.json`):
 * headless Gemini exits 55 in an untrusted folder, and runs no stdio MCP server there.
 *
 * In headless mode Gemini's policy turns "ask the user" into "deny" and leaves denied tools out of the
 * request, so the untrusted servers' tools are not offered at all; the script then calls them anyway by
 * Gemini's name for them (`mcp_<server>_<tool>`) to see what the model is told. `--model` is pinned:
 * the default `auto` model first asks a JSON classifier for a route.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CaseCheck, CaseContext, CaseReport, ClientCase } from "../client_case.ts";
import { runClient } from "../client_process.ts";
import { startGeminiStandIn } from "../model/gemini.ts";
import { type SeenRequest, type SeenTool, toolBytes } from "../model/script.ts";
import { averageBytes, bytesPerServer, formatServerBytes } from "../model_bytes.ts";
import { type AuditEntry, auditDuring, ranOk } from "../probe_audit.ts";
import { clusterNamesIn, describeAnswer, excerpt, heldCheck, HOSTILE_NAME, hostileCheck, PREVIEW_NAME, previewCheck } from "../probe_checks.ts";
import { ADDED_BY_UPDATE, DESTROY, HOSTILE, PREVIEW, type ProbeCall, READ, REVEAL, serverOfTool, type ToolNaming, UPDATE, VALKEY, WRITE } from "../probes.ts";

/** One client run's bound; a run against the stand-in takes 5 to 12 seconds. */
const RUN_TIMEOUT_MS = 45_000;
/** The model asked for: any fixed name skips the `auto` router's classifier request. */
const MODEL = "gemini-2.5-flash";
/** `~/.gemini/settings.json`: the settings a user of a scripted Gemini would have (docs/reference/configuration.md). */
const USER_SETTINGS = {
  security: { auth: { selectedType: "gemini-api-key" } },
  // Usage statistics (Clearcut) are what reaches out on a bare run: DNS lookups without this switch.
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
  general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
  ide: { enabled: false },
};
/** Gemini's name for an MCP tool: `mcp_<server>_<tool>` (MCP_TOOL_PREFIX in its core). */
const geminiName: ToolNaming = (server, tool) => `mcp_${server}_${tool}`;
/** The parameter Gemini adds to every tool's schema. */
const GEMINI_EXTRA_PARAMETER = "wait_for_previous";

/** What the model saw and was told for one call. */
interface CallSeen {
  readonly call: ProbeCall;
  /** The name the script called it by. */
  readonly name: string;
  /** Whether the tool was in the request's tool list. */
  readonly offered: boolean;
  /** The tool result the model got back, if the run got that far. */
  readonly result?: string;
}

/** What one fresh client run showed. */
interface Run {
  readonly requests: readonly SeenRequest[];
  readonly calls: readonly CallSeen[];
  /** Audit entries written while the run went on (runs at the same time share them: each probes another server). */
  readonly audit: readonly AuditEntry[];
  readonly exit: string;
  readonly stderr: string;
}

/** The offered tool of `server` named `tool`, matched on Gemini's `<server>_<tool>` suffix. */
function offeredTool(tools: readonly SeenTool[], server: string, tool: string): SeenTool | undefined {
  return tools.find((seen) => seen.name === geminiName(server, tool) || seen.name.endsWith(`${server}_${tool}`));
}

/** The user's settings and folder trust, in the fresh home. */
function prepareHome(context: CaseContext): void {
  const dir = join(context.home, ".gemini");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "settings.json"), `${JSON.stringify(USER_SETTINGS, null, 2)}\n`);
  writeFileSync(join(dir, "trustedFolders.json"), `${JSON.stringify({ [context.projectDir]: "TRUST_FOLDER" }, null, 2)}\n`);
}

/** Run `gemini -p` once; the scripted model makes `calls` in order, one per turn, then stops. */
async function runGemini(context: CaseContext, calls: readonly ProbeCall[], flags: readonly string[] = []): Promise<Run> {
  const seen: CallSeen[] = [];
  const standIn = await startGeminiStandIn((request) => {
    if (request.tools.length === 0) return { text: "ok" };
    const answered = request.toolResults.length;
    if (answered > 0 && seen[answered - 1] !== undefined && seen[answered - 1].result === undefined) {
      seen[answered - 1] = { ...seen[answered - 1], result: request.toolResults[answered - 1] };
    }
    const call = calls[answered];
    if (call === undefined) return { text: "done" };
    const offered = offeredTool(request.tools, call.server, call.tool);
    seen[answered] = { call, name: offered?.name ?? geminiName(call.server, call.tool), offered: offered !== undefined };
    return { tool: seen[answered].name, arguments: call.arguments };
  });
  try {
    const args = ["-p", "Use the RunOS tools as asked.", "--model", MODEL, ...flags];
    const env = { ...context.env, GOOGLE_GEMINI_BASE_URL: standIn.url, GEMINI_API_KEY: "stand-in-key" };
    const { value: run, audit } = await auditDuring(context.auditPath, () => runClient(context, { args, env, timeoutMs: RUN_TIMEOUT_MS }));
    return { requests: standIn.requests, calls: seen, audit, exit: run.exit, stderr: run.stderr.trim() };
  } finally {
    await standIn.close();
  }
}

/** Check 1: the read call ran, and its answer (fenced or not) reached the model. */
function readChecks(run: Run): CaseCheck[] {
  const entry = ranOk(run.audit, READ);
  const seen = run.calls[0];
  const result = seen?.result ?? "";
  const wrapper = /^<untrusted_context>[\s\S]*<\/untrusted_context>$/.test(result.trim());
  const names = clusterNamesIn(result);
  return [
    {
      name: "a read tool (clusters_list on runos) runs unasked",
      ok: entry !== undefined,
      detail: entry !== undefined
        ? `called as ${seen?.name} (offered: ${seen?.offered}); audit: runos clusters_list ok (${JSON.stringify(entry.requests)})`
        : `no ok audit entry from runos; audit ${JSON.stringify(run.audit)}; ${run.exit}; stderr ${excerpt(run.stderr)}`,
    },
    {
      name: "the read tool's answer reaches the model",
      ok: names.length > 0,
      detail: `functionResponse.response.output held cluster names ${JSON.stringify(names)}, ${
        wrapper ? "in Gemini's own <untrusted_context> … </untrusted_context> wrapper" : "with no wrapper of Gemini's"
      }, ${describeAnswer(result)}`,
    },
  ];
}

/** The hostile row's probe: its answer, as the model got it (`<untrusted_context>` and all), must hold the row inside runos's fence. */
function hostileRowCheck(run: Run): CaseCheck {
  const seen = run.calls[0];
  const otherwise = seen === undefined ? `the model was never asked (${run.exit})` : `called as ${seen.name}, the model was told ${excerpt(seen.result)}`;
  return hostileCheck(HOSTILE_NAME, run.audit, seen?.result, otherwise);
}

/** Checks 2–4: a call the defaults must not run, with how Gemini refused it. */
function refusalCheck(name: string, run: Run, call: ProbeCall): CaseCheck {
  const seen = run.calls[0];
  const offeredOfServer = run.requests[0]?.tools.filter((tool) => serverOfTool(tool.name, geminiName) === call.server).length ?? 0;
  const how = seen === undefined
    ? `the model was never asked (${run.exit})`
    : `${
      seen.offered ? "offered; called" : `not offered (the request listed ${offeredOfServer} ${call.server} tools); called anyway`
    } as ${seen.name}, the model was told ${excerpt(seen.result)}`;
  return heldCheck(name, run.audit, call, how, seen !== undefined);
}

/** The bytes of a tool that are Gemini's own: its extra parameter in the schema. */
function geminiShare(tool: SeenTool): number {
  const schema = tool.schema as { properties?: Record<string, unknown> } | undefined;
  if (schema?.properties === undefined || !(GEMINI_EXTRA_PARAMETER in schema.properties)) return 0;
  const { [GEMINI_EXTRA_PARAMETER]: _extra, ...properties } = schema.properties;
  return tool.bytes - toolBytes(tool.name, tool.description, { ...schema, properties });
}

/** Check 5: bytes of the runos tools by default, and of the others as `--approval-mode yolo` offers them. */
function bytesCheck(defaults: Run, yolo: Run): { check: CaseCheck; perServer: Record<string, number> } {
  const tools = defaults.requests[0]?.tools ?? [];
  const measured = { ...bytesPerServer(yolo.requests[0]?.tools ?? [], geminiName), ...bytesPerServer(tools, geminiName) };
  const runosTools = tools.filter((tool) => serverOfTool(tool.name, geminiName) === READ.server);
  const share = runosTools.length === 0 ? 0 : Math.round(runosTools.reduce((sum, tool) => sum + geminiShare(tool), 0) / runosTools.length);
  const sample = runosTools.find((tool) => tool.name === geminiName(READ.server, READ.tool));
  const shape = sample === undefined
    ? ""
    : `; e.g. ${excerpt(JSON.stringify({ name: sample.name, description: sample.description, parametersJsonSchema: sample.schema }), 200)}`;
  return {
    perServer: averageBytes(measured),
    check: {
      name: "model-visible bytes per runos tool are measured",
      ok: runosTools.length > 0,
      detail: `${formatServerBytes(measured)} (servers the default run did not offer are measured as --approval-mode yolo offers them); ` +
        `${tools.length} tools offered by default, none deferred behind a tool search; each is {name: mcp_<server>_<tool>, description, ` +
        `parametersJsonSchema}, the MCP description and inputSchema unchanged${
          share > 0 ? ` plus Gemini's own "${GEMINI_EXTRA_PARAMETER}" boolean parameter (${share} B of every tool)` : ""
        }${shape}`,
    },
  };
}

/** The opt-in probe: what `--approval-mode yolo` offers and runs. */
function yoloCheck(run: Run): CaseCheck {
  const servers = Object.keys(bytesPerServer(run.requests[0]?.tools ?? [], geminiName));
  const ran = run.calls.map((seen) => {
    const entry = run.audit.find((candidate) => candidate.server === seen.call.server && candidate.tool === seen.call.tool);
    return `${seen.name}: ${entry === undefined ? "did not run" : `ran (${entry.outcome}${entry.error !== undefined ? `: ${entry.error.message}` : ""})`}`;
  });
  return {
    name: "--approval-mode yolo (the user's opt-in, not a default) is recorded",
    ok: run.calls.length === 3 && run.calls.every((seen) => seen.result !== undefined),
    detail: `offered ${run.requests[0]?.tools.length ?? 0} tools from ${JSON.stringify(servers)}; ${ran.join("; ")}; ${run.exit}`,
  };
}

/** The tool the catalog update adds, called on VALKEY (the sandbox's API has no logs: any answer will do). */
const ADDED_CALL: ProbeCall = { ...ADDED_BY_UPDATE, arguments: { cid: VALKEY.clusterId, id: VALKEY.id } };

/**
 * The catalog update's probe: manifest_update, then a call of the tool it added. Gemini lists a
 * server's tools again when the server announces a change (notifications/tools/list_changed), so the
 * new tool runs; without the announcement it would answer `Tool "…" not found`. Gemini 0.61 keeps the
 * function declarations it sent first for as long as the model stays the same, so the model is not
 * shown the new tool: it has to name it (the update's answer does).
 */
function updateCheck(run: Run): CaseCheck {
  const name = "a catalog update mid-session (manifest_update on runos) reaches the client: the tool it added can be called at once";
  const ran = ranOk(run.audit, UPDATE) !== undefined;
  const called = run.audit.find((entry) => entry.server === ADDED_CALL.server && entry.tool === ADDED_CALL.tool);
  const offered = run.requests.some((request) => offeredTool(request.tools, ADDED_CALL.server, ADDED_CALL.tool) !== undefined);
  return {
    name,
    ok: ran && called !== undefined,
    detail: `manifest_update ${ran ? "ran" : "did not run"} (told ${excerpt(run.calls[0]?.result, 120)}); then ${run.calls[1]?.name ?? ADDED_CALL.tool} ` +
      `${called === undefined ? `did not reach runos (told ${excerpt(run.calls[1]?.result, 160)})` : `reached runos (${called.outcome})`}; ` +
      `offered in a function declaration: ${offered} (${run.requests.length} model requests; ${run.exit})`,
  };
}

/** Drive Gemini CLI through every probe, each a fresh run. */
async function runGeminiCase(context: CaseContext): Promise<CaseReport> {
  prepareHome(context);
  // Six fresh runs at once (each calls a different tool, so each finds its own audit entries), then yolo alone.
  const [read, hostile, preview, write, destroy, reveal] = await Promise.all([READ, HOSTILE, PREVIEW, WRITE, DESTROY, REVEAL].map((call) => runGemini(context, [call])));
  context.log(`default probes: ${[read, hostile, preview, write, destroy, reveal].map((run) => run.exit).join(", ")}`);
  // The delete last: it really deletes the cache the others name.
  const yolo = await runGemini(context, [WRITE, REVEAL, DESTROY], ["--approval-mode", "yolo"]);
  context.log(`yolo probe: ${yolo.exit}, audit ${yolo.audit.length} entries`);
  // After the others: it replaces the catalog the sandbox's servers read.
  const update = await runGemini(context, [UPDATE, ADDED_CALL]);
  context.log(`update probe: ${update.exit}, ${update.requests.length} model requests`);
  const bytes = bytesCheck(read, yolo);
  const runos = (read.requests[0]?.tools ?? []).filter((tool) => serverOfTool(tool.name, geminiName) === READ.server).length;
  const hidden = [write, destroy, reveal].every((run) => run.calls[0]?.offered === false);
  return {
    checks: [
      ...readChecks(read),
      hostileRowCheck(hostile),
      previewCheck(PREVIEW_NAME, preview.audit, preview.calls[0]?.result, preview.calls[0] === undefined ? `the model was never asked (${preview.exit})` : `called as ${preview.calls[0].name}, the model was told ${excerpt(preview.calls[0].result)}`),
      refusalCheck("a write tool (services_valkey_add on runos-write) does not run without approval", write, WRITE),
      refusalCheck("a destructive tool (services_valkey_delete, confirm: true, on runos-write) does not run", destroy, DESTROY),
      refusalCheck("a sensitive-read tool (services_valkey_credentials on runos-sensitive-read) does not run unasked", reveal, REVEAL),
      bytes.check,
      yoloCheck(yolo),
      updateCheck(update),
    ],
    modelBytesPerTool: bytes.perServer,
    runsUnasked: `the ${runos} tools of runos (trust: true)${
      hidden ? '; in `gemini -p` the other three servers\' tools are not even offered to the model, and a call by name answers `Tool "…" not found`' : ""
    }; with --approval-mode yolo, every server's tools run`,
    limits:
      "headless only (`gemini -p`): there Gemini denies what it would ask about, so its confirmation dialog is never shown; the project is trusted through ~/.gemini/trustedFolders.json (an untrusted folder exits 55); the model is pinned with --model to skip the `auto` router's classifier request; a change of runos's tools reaches Gemini's registry through notifications/tools/list_changed (a build that sent none got `Tool \"…\" not found`), but Gemini 0.61 may keep sending the model the function declarations of the session's start",
  };
}

/** Gemini CLI, driven headless against the Gemini API stand-in. */
export const geminiCase: ClientCase = {
  id: "gemini",
  displayName: "Gemini CLI",
  npm: { name: "@google/gemini-cli", version: "0.61.0", bin: "gemini" },
  run: runGeminiCase,
};
