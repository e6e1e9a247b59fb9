/**
 * Kilo Code CLI (an opencode fork) in its non-interactive mode (`kilo run --format json`), in the
 * project whose `kilo.json` `runos mcp configure kilo --sandbox` wrote. The model is a custom provider
 * on the Chat Completions stand-in (`@ai-sdk/openai-compatible`, bundled), given through
 * `KILO_CONFIG_CONTENT`, which Kilo merges after the project's file (its built-in config reference:
 * "global, env KILO_CONFIG, project ./kilo.json, .kilo/kilo.json, KILO_CONFIG_CONTENT, managed"), so
 * the project's file stays as runos wrote it; that variable sets no `permission`.
 *
 * Kilo names an MCP tool `<server>_<tool>` and decides each call by opencode's `permission` rules (the
 * last matching rule wins, after its agent's `"*": "allow"`). A rule `"ask"` makes `kilo run`
 * auto-reject the call ("permission requested: …; auto-rejecting") and end the run with "run ended
 * with an auto-rejected permission; pass --auto for autonomous use"; `--auto` is never passed here.
 */
import { z } from "zod";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CaseCheck, CaseContext, CaseReport, ClientCase } from "../client_case.ts";
import { runClient } from "../client_process.ts";
import { OPENAI_CHAT_STAND_IN_MODEL, openAIChatToolCalls, openAIChatToolResultFor, startOpenAIChatStandIn } from "../model/openai_chat.ts";
import type { ModelScript, SeenRequest } from "../model/script.ts";
import { averageBytes, bytesPerServer, formatServerBytes } from "../model_bytes.ts";
import { type AuditEntry, auditDuring, describeEntries } from "../probe_audit.ts";
import { CaseChecks, excerpt, heldCheck, HOSTILE_NAME, hostileCheck, readCheck } from "../probe_checks.ts";
import { DESTROY, HOSTILE, type ProbeCall, READ, REVEAL, RUNOS_SERVERS, type ToolNaming, WRITE } from "../probes.ts";

/** One client run's bound: Kilo spends 20 to 45 s of its own start-up on a busy two-core machine. */
const RUN_TIMEOUT_MS = 60_000;
/** The provider id the stand-in is configured under. */
const PROVIDER = "stand-in";
/** Kilo's name for an MCP tool (opencode's `<server>_<tool>`). */
const kiloName: ToolNaming = (server, tool) => `${server}_${tool}`;

/**
 * Kilo off the network apart from the stand-in (the switches are its `Flag` environment variables,
 * read from the binary): no models.dev catalog or auto-update, no share or session ingest, no PostHog
 * telemetry (`KILO_TELEMETRY_LEVEL` other than "all" turns it off), no presence service, no LSP
 * downloads, nothing read from ~/.claude, no background daemon; `npm_config_offline` stops plugin
 * installs as it does for opencode. `enabled_providers` (below) keeps Kilo's own gateway provider from
 * fetching its model list, which it tries even with the models fetch off.
 */
const CLIENT_ENV = {
  KILO_DISABLE_MODELS_FETCH: "1",
  KILO_DISABLE_AUTOUPDATE: "1",
  KILO_DISABLE_SHARE: "1",
  KILO_DISABLE_SESSION_INGEST: "1",
  KILO_TELEMETRY_LEVEL: "off",
  KILO_DISABLE_PRESENCE: "1",
  KILO_DISABLE_LSP_DOWNLOAD: "1",
  KILO_DISABLE_CLAUDE_CODE: "1",
  KILO_NO_DAEMON: "1",
  npm_config_offline: "true",
} as const;

/** The provider and model, as `KILO_CONFIG_CONTENT`: the title agent (small model) uses it too. */
function providerConfig(url: string): string {
  const model = { name: "Stand-in", tool_call: true, limit: { context: 128_000, output: 4_096 } };
  return JSON.stringify({
    provider: { [PROVIDER]: { npm: "@ai-sdk/openai-compatible", name: "Stand-in", options: { baseURL: `${url}/v1`, apiKey: "stand-in" }, models: { [OPENAI_CHAT_STAND_IN_MODEL]: model } } },
    enabled_providers: [PROVIDER],
    model: `${PROVIDER}/${OPENAI_CHAT_STAND_IN_MODEL}`,
    small_model: `${PROVIDER}/${OPENAI_CHAT_STAND_IN_MODEL}`,
    autoupdate: false,
    share: "disabled",
  });
}

/** A `--format json` event of `kilo run`, as far as the case reads it. */
const RunEvent = z.object({
  type: z.string(),
  error: z.unknown().optional(),
  part: z.object({
    tool: z.string().optional(),
    state: z.object({ status: z.string(), output: z.string().optional(), error: z.string().optional() }).optional(),
  }).optional(),
});

/** What one fresh run showed. */
interface Run {
  readonly call: ProbeCall;
  readonly requests: readonly SeenRequest[];
  /** Whether the tool was in the model's tool list. */
  readonly offered: boolean;
  readonly name: string;
  /** The tool part Kilo reported for the call. */
  readonly part?: { readonly status: string; readonly text: string };
  /** The rule Kilo's log says decided the call: `"runos-write_*" → ask (project)`. */
  readonly rule?: string;
  /** `kilo run`'s own lines: the auto-rejection and the run's error event. */
  readonly rejected?: string;
  readonly runError?: string;
  /** The tool result the model got back, when the run went on after the call. */
  readonly told?: string;
  readonly audit: readonly AuditEntry[];
  readonly exit: string;
  readonly stderrTail: string;
}

/** Answer the title agent (no tools) with a title; call the probe's tool once; then stop. */
function probeScript(name: string, call: ProbeCall): ModelScript {
  return (request) => {
    if (request.tools.length === 0) return { text: "RunOS probe" };
    if (openAIChatToolCalls(request.raw).length > 0) return { text: "done" };
    return { tool: name, arguments: call.arguments };
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function events(stdout: string): z.infer<typeof RunEvent>[] {
  return stdout.split("\n").flatMap((line) => {
    try {
      return [RunEvent.parse(JSON.parse(line))];
    } catch {
      return [];
    }
  });
}

/** One fresh `kilo run` whose model calls `call` once. */
async function runKilo(context: CaseContext, call: ProbeCall, prompt: string): Promise<Run> {
  const name = kiloName(call.server, call.tool);
  const standIn = await startOpenAIChatStandIn(probeScript(name, call));
  try {
    const env = { ...context.env, ...CLIENT_ENV, KILO_CONFIG_CONTENT: providerConfig(standIn.url) };
    const args = ["run", "--format", "json", "--print-logs", "--log-level", "INFO", prompt];
    const { value: run, audit } = await auditDuring(context.auditPath, () => runClient(context, { args, env, timeoutMs: RUN_TIMEOUT_MS }));
    const requests = [...standIn.requests];
    const all = events(run.stdout);
    const state = all.find((event) => event.type === "tool_use" && event.part?.tool === name)?.part?.state;
    const evaluated = new RegExp(`message=evaluated permission=${escapeRegExp(name)} \\S+ action\\.permission=(\\S+) action\\.action=(\\w+)(?: \\S+)? action\\.source=(\\w+)`)
      .exec(run.stderr);
    const runError = all.find((event) => event.type === "error")?.error;
    return {
      call,
      requests,
      offered: requests.some((request) => request.tools.some((tool) => tool.name === name)),
      name,
      part: state === undefined ? undefined : { status: state.status, text: state.error ?? state.output ?? "" },
      rule: evaluated === null ? undefined : `"${evaluated[1]}" → ${evaluated[2]} (from the ${evaluated[3]} config)`,
      rejected: /permission requested: [^\n]*auto-rejecting/.exec(run.stderr)?.[0],
      runError: runError === undefined ? undefined : typeof runError === "string" ? runError : JSON.stringify(runError),
      told: requests.map((request) => openAIChatToolResultFor(request.raw, name)).filter((text) => text !== undefined).at(-1),
      audit,
      exit: run.exit,
      stderrTail: run.stderr.trim().split("\n").slice(-3).join(" | ").slice(0, 400),
    };
  } finally {
    await standIn.close();
  }
}

/** How Kilo handled the call, for a check's detail. */
function handling(run: Run): string {
  const parts = [run.offered ? `offered as ${run.name}` : `${run.name} was not offered to the model`];
  if (run.rule !== undefined) parts.push(`Kilo's rule ${run.rule}`);
  if (run.rejected !== undefined) parts.push(`kilo run printed ${excerpt(run.rejected)}`);
  if (run.part !== undefined) parts.push(`the tool part (${run.part.status}) holds ${excerpt(run.part.text, 160)}`);
  if (run.runError !== undefined) parts.push(`the run's error event: ${excerpt(run.runError)}`);
  parts.push(run.told === undefined ? "the run ended with no further model request" : `the model was told ${excerpt(run.told, 160)}`);
  if (run.part === undefined) parts.push(`${run.exit}; stderr: ${run.stderrTail || "(none)"}`);
  return parts.join("; ");
}

function projectPermission(context: CaseContext): unknown {
  const file = JSON.parse(readFileSync(join(context.projectDir, "kilo.json"), "utf8")) as { permission?: unknown };
  return file.permission ?? null;
}

/** Drive Kilo through every probe, each a fresh run, one after another (each start-up is CPU-bound). */
async function runKiloCase(context: CaseContext): Promise<CaseReport> {
  const checks = new CaseChecks();
  const runs: Run[] = [];
  const probe = (name: string, call: ProbeCall, prompt: string, judge: (run: Run) => CaseCheck) =>
    checks.attempt(name, async () => {
      const run = await runKilo(context, call, prompt);
      context.log(`${name}: ${run.exit}, ${run.requests.length} model requests`);
      runs.push(run);
      return run;
    }, judge);
  const held = (name: string, call: ProbeCall, prompt: string) =>
    probe(name, call, prompt, (run) => heldCheck(name, run.audit, call, handling(run), run.offered && run.part !== undefined));

  const readName = "a read tool (clusters_list on runos) runs unasked and its answer reaches the model";
  const read = await probe(readName, READ, "List my RunOS clusters.", (run) => {
    const check = readCheck(readName, run.audit, run.told, handling(run));
    return { ...check, detail: `${check.detail}; Kilo's rule ${run.rule ?? "(none logged)"}` };
  });
  await probe(HOSTILE_NAME, HOSTILE, "Read the support notes of users-db.", (run) => hostileCheck(HOSTILE_NAME, run.audit, run.told, handling(run)));
  await held("a write tool (services_valkey_add on runos-write) does not run without approval", WRITE, "Add a Valkey cache named probe-cache.");
  await held("a sensitive-read tool (services_valkey_credentials on runos-sensitive-read) does not run unasked", REVEAL, "Show the password of the cache.");
  // The delete last: were it to run, it would really delete the cache REVEAL names.
  await held("a destructive tool (services_valkey_delete, confirm: true, on runos-write) does not run", DESTROY, "Delete the Valkey cache.");

  const tools = read?.requests.find((request) => request.tools.length > 0)?.tools ?? [];
  const perServer = bytesPerServer(tools, kiloName);
  const permission = projectPermission(context);
  checks.list.push({
    name: "model-visible bytes per runos tool are measured",
    ok: (perServer[READ.server]?.tools ?? 0) > 0,
    detail: `${formatServerBytes(perServer)}; ${tools.length} tools declared with their schemas on the first request; ` +
      `runos servers not offered: ${RUNOS_SERVERS.filter((server) => perServer[server] === undefined).join(", ") || "none"}; kilo.json permission: ${JSON.stringify(permission)}`,
  });

  const ranElsewhere = runs.flatMap((run) => run.audit).filter((entry) => entry.server !== READ.server);
  const held3 = checks.passed(
    "a write tool (services_valkey_add on runos-write) does not run without approval",
    "a sensitive-read tool (services_valkey_credentials on runos-sensitive-read) does not run unasked",
    "a destructive tool (services_valkey_delete, confirm: true, on runos-write) does not run",
  );
  return {
    checks: checks.list,
    modelBytesPerTool: averageBytes(perServer),
    runsUnasked: ranElsewhere.length > 0
      ? `Every runos tool no "ask" or "deny" rule matches, as Kilo's agent default is "*": "allow" (kilo.json permission: ${JSON.stringify(permission)}); ` +
        `seen running unasked: ${describeEntries(ranElsewhere)}.`
      : held3
      ? "Only the read server's tools (runos_*, under Kilo's default \"*\": \"allow\"); kilo.json's permission rules make every " +
        "runos-sensitive-read_*, runos-write_* and runos-sensitive-write_* call ask, which `kilo run` auto-rejects."
      : "Not as promised: see the failed checks.",
    limits: "`kilo run` cannot answer an approval: it auto-rejects every \"ask\" (only --auto, never passed, approves) and ends the run, " +
      "so asking is seen as that rejection; the rejection text is the tool result it keeps for the model's next turn.",
  };
}

/** Kilo Code CLI, pinned (7.8.1's platform binaries are not on the registry). */
export const kiloCase: ClientCase = {
  id: "kilo",
  displayName: "Kilo Code CLI",
  npm: { name: "@kilocode/cli", version: "7.7.7", bin: "kilo" },
  run: runKiloCase,
};
