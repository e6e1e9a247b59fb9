/**
 * GitHub Copilot CLI in prompt mode (`copilot -p`), with HOME where `runos mcp configure copilot --sandbox`
 * wrote `~/.copilot/mcp-config.json` (four local servers) and `~/.copilot/permissions-config.json`
 * (`locations[<project>].tool_approvals: [{kind: "mcp", serverName: "runos", toolName: null}]`).
 * No GitHub login: the model is a custom provider ("BYOK", `copilot help environment`) on the Chat
 * Completions stand-in, `COPILOT_PROVIDER_BASE_URL` with `COPILOT_MODEL`, and `COPILOT_OFFLINE=true`
 * skips every other network access (authentication, telemetry, the GitHub MCP server, auto-update).
 *
 * Copilot names an MCP tool `<server>-<tool>` and passes the model the result's text content. In
 * `-p` mode a call that needs approval is denied ("Permission denied because no interactive user
 * response was available…"). A control run swaps runos's approval for one of `runos-sensitive-read`,
 * to see what the entry does and whether the read tool needs it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CaseCheck, CaseContext, CaseReport, ClientCase } from "../client_case.ts";
import { runClient } from "../client_process.ts";
import { OPENAI_CHAT_STAND_IN_MODEL, openAIChatToolResultFor, startOpenAIChatStandIn } from "../model/openai_chat.ts";
import type { SeenRequest } from "../model/script.ts";
import { averageBytes, bytesPerServer, formatServerBytes } from "../model_bytes.ts";
import { auditDuring, type AuditEntry, auditNote, ranOk } from "../probe_audit.ts";
import { CaseChecks, excerpt, heldCheck, HOSTILE_NAME, hostileCheck, readCheck } from "../probe_checks.ts";
import { DESTROY, HOSTILE, type ProbeCall, READ, REVEAL, type ToolNaming, WRITE } from "../probes.ts";

/** One client run's bound; a run against the stand-in takes 3 to 8 seconds. */
const RUN_TIMEOUT_MS = 60_000;
/** Copilot's name for an MCP tool. */
const copilotName: ToolNaming = (server, tool) => `${server}-${tool}`;
const PROMPT = "Use the RunOS tools as asked.";
/** A harmless read on the sensitive-read server (annotated readOnlyHint: false, as all its tools are). */
const SENSITIVE_LIST: ProbeCall = {
  server: REVEAL.server,
  tool: "clusters_list",
  arguments: {},
};

/** The provider and switches, as environment (`copilot help environment`); nothing goes into the project. */
function clientEnv(url: string): Record<string, string> {
  return {
    COPILOT_PROVIDER_BASE_URL: `${url}/v1`,
    COPILOT_PROVIDER_API_KEY: "stand-in",
    COPILOT_MODEL: OPENAI_CHAT_STAND_IN_MODEL,
    COPILOT_OFFLINE: "true",
    COPILOT_AUTO_UPDATE: "false",
  };
}

/** What the model was shown and told for one call. */
interface CallSeen {
  readonly call: ProbeCall;
  readonly offered: boolean;
  readonly told?: string;
}

/** What one fresh client run showed. */
interface Run {
  readonly requests: readonly SeenRequest[];
  readonly calls: readonly CallSeen[];
  readonly audit: readonly AuditEntry[];
  readonly exit: string;
  /** Copilot's own lines about the calls (`✗ services_valkey_add (MCP: runos-write) …`, `Approval check …`). */
  readonly report: string;
}

/** Run `copilot -p` once; the scripted model makes `calls` in order, one per turn, then stops. */
async function runCopilot(
  context: CaseContext,
  calls: readonly ProbeCall[],
): Promise<Run> {
  const standIn = await startOpenAIChatStandIn((request) => {
    const call = calls[request.toolResults.length];
    if (request.tools.length === 0 || call === undefined) {
      return { text: "done" };
    }
    return {
      tool: copilotName(call.server, call.tool),
      arguments: call.arguments,
    };
  });
  try {
    const env = { ...context.env, ...clientEnv(standIn.url) };
    const { value: run, audit } = await auditDuring(
      context.auditPath,
      () =>
        runClient(context, {
          args: ["-p", PROMPT],
          env,
          timeoutMs: RUN_TIMEOUT_MS,
        }),
    );
    const requests = [...standIn.requests];
    const last = requests.at(-1);
    const offered = new Set(requests[0]?.tools.map((tool) => tool.name));
    return {
      requests,
      calls: calls.map((call) => {
        const name = copilotName(call.server, call.tool);
        return {
          call,
          offered: offered.has(name),
          told: last === undefined ? undefined : openAIChatToolResultFor(last.raw, name),
        };
      }),
      audit,
      exit: run.exit,
      report: run.stdout.split("\n").map((line) => line.trim()).filter((line) => /^(✗|●|└|Approval check)/.test(line)).join(" / "),
    };
  } finally {
    await standIn.close();
  }
}

/** How a call went, for a check's detail. */
function told(run: Run, seen: CallSeen | undefined): string {
  if (seen === undefined) return `no call was made (${run.exit})`;
  const offered = seen.offered ? `offered; called as ${copilotName(seen.call.server, seen.call.tool)}` : "not offered";
  const result = seen.told === undefined ? `no tool result reached the model (${run.exit})` : `the model was told ${excerpt(seen.told, 200)}`;
  return `${offered}; ${result}; copilot printed ${excerpt(run.report, 240)}`;
}

function copilotHeldCheck(name: string, run: Run): CaseCheck {
  const seen = run.calls[0];
  return heldCheck(
    name,
    run.audit,
    seen.call,
    told(run, seen),
    seen.offered && seen.told !== undefined,
  );
}

/**
 * The control: runos's approval swapped for one of `runos-sensitive-read` (same shape), then READ and
 * SENSITIVE_LIST in one run. The file is put back as runos wrote it afterwards.
 */
async function controlRun(context: CaseContext): Promise<Run> {
  const path = join(context.home, ".copilot", "permissions-config.json");
  const written = readFileSync(path, "utf8");
  const swapped = {
    locations: {
      [context.projectDir]: {
        tool_approvals: [{
          kind: "mcp",
          serverName: SENSITIVE_LIST.server,
          toolName: null,
        }],
      },
    },
  };
  writeFileSync(path, `${JSON.stringify(swapped, null, 2)}\n`);
  try {
    return await runCopilot(context, [READ, SENSITIVE_LIST]);
  } finally {
    writeFileSync(path, written);
  }
}

function controlCheck(name: string, run: Run): CaseCheck {
  const [read, sensitive] = run.calls;
  const readRan = ranOk(run.audit, READ) !== undefined;
  return {
    name,
    ok: ranOk(run.audit, SENSITIVE_LIST) !== undefined,
    detail: `approving ${SENSITIVE_LIST.server} instead of runos: ${auditNote(run.audit, SENSITIVE_LIST)} (${told(run, sensitive)}); ` +
      `${auditNote(run.audit, READ)}${
        readRan
          ? ": the read tool runs without runos's entry too; Copilot lets tools annotated readOnlyHint: true run unasked (all of runos's are; the other servers' are false)"
          : ` (${told(run, read)}): runos's entry is what lets it run`
      }`,
  };
}

/** Drive Copilot CLI through every probe, each a fresh run, one at a time (they share ~/.copilot). */
async function runCopilotCase(context: CaseContext): Promise<CaseReport> {
  const checks = new CaseChecks();
  const probe = async (
    label: string,
    name: string,
    calls: readonly ProbeCall[],
    judge: (name: string, run: Run) => CaseCheck,
    go = runCopilot,
  ) =>
    await checks.attempt(name, async () => {
      const run = await go(context, calls);
      context.log(
        `${label}: ${run.exit}, ${run.requests.length} model requests, ${run.audit.length} audit entries`,
      );
      return run;
    }, (run) => judge(name, run));

  const readName = "a read tool (clusters_list on runos) runs unasked and its answer reaches the model";
  const writeName = "a write tool (services_valkey_add on runos-write) does not run without approval";
  const revealName = "a sensitive-read tool (services_valkey_credentials on runos-sensitive-read) does not run unasked";
  const destroyName = "a destructive tool (services_valkey_delete, confirm: true, on runos-write) does not run";
  const read = await probe(
    "read",
    readName,
    [READ],
    (name, run) => readCheck(name, run.audit, run.calls[0].told, told(run, run.calls[0])),
  );
  await probe("hostile", HOSTILE_NAME, [HOSTILE], (name, run) => hostileCheck(name, run.audit, run.calls[0].told, told(run, run.calls[0])));
  await probe("write", writeName, [WRITE], copilotHeldCheck);
  await probe("reveal", revealName, [REVEAL], copilotHeldCheck);
  await probe("destroy", destroyName, [DESTROY], copilotHeldCheck);

  const measured = bytesPerServer(read?.requests[0]?.tools ?? [], copilotName);
  checks.list.push({
    name: "model-visible bytes per runos tool are measured",
    ok: Object.keys(measured).length > 0,
    detail: `${formatServerBytes(measured)}; ${read?.requests[0]?.tools.length ?? 0} tools offered in all, every server's up front, each ` +
      `{type: function, function: {name: <server>-<tool>, description, parameters}} with the MCP description and inputSchema unchanged`,
  });

  const controlName = "an approval entry of the shape runos writes ({kind: mcp, serverName, toolName: null}) lets that server's tools run";
  const control = await probe(
    "control",
    controlName,
    [],
    controlCheck,
    (ctx) => controlRun(ctx),
  );
  const readAlone = control !== undefined &&
    ranOk(control.audit, READ) !== undefined;
  const held = checks.passed(writeName, revealName, destroyName);
  return {
    checks: checks.list,
    modelBytesPerTool: averageBytes(measured),
    runsUnasked: `${held ? "the read server's tools only" : "more than the read server's tools (see the failed checks)"}${
      readAlone ? " (Copilot runs them for their readOnlyHint: true annotation, with or without runos's approval entry)" : ""
    }; in \`copilot -p\` the other servers' tools are denied, "no one to approve"; --allow-all-tools or --yolo run every tool`,
    limits: "prompt mode only (`copilot -p`) with a custom provider (BYOK) and COPILOT_OFFLINE=true, no GitHub login: there a call that needs " +
      "approval is denied rather than asked, so the interactive approval prompt is not shown",
  };
}

/** GitHub Copilot CLI, driven in prompt mode against the Chat Completions stand-in. */
export const copilotCase: ClientCase = {
  id: "copilot",
  displayName: "GitHub Copilot CLI",
  npm: { name: "@github/copilot", version: "1.0.102", bin: "copilot" },
  run: runCopilotCase,
};
