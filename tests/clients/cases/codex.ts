/**
 * OpenAI Codex (`@openai/codex`), driven with `codex exec` in the configured project against the
 * Responses API stand-in. runos writes the project's `.codex/config.toml`, which Codex loads only for a
 * trusted project, so the case first runs once untrusted, then runs `runos mcp configure codex --trust`.
 * Its own settings go into `$CODEX_HOME/config.toml` beside what runos wrote there: a custom provider
 * (`wire_api = "responses"`), analytics and plugin sync off (the two things 0.169.0 reaches out for).
 * The model is `gpt-4.1`: Codex has no metadata for it, so it offers MCP tools up front as `namespace`
 * tools; its default model reaches them only through code mode and `gpt-5.5` through `tool_search`.
 * Every probe is its own `codex exec` run; an HTTP(S) proxy that only records proves no other host is
 * asked for.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "smol-toml";
import type { CaseCheck, CaseContext, CaseReport, ClientCase } from "../client_case.ts";
import { type ClientRun, runClient } from "../client_process.ts";
import { responsesNamespaces, startOpenAIResponsesStandIn } from "../model/openai_responses.ts";
import type { ModelTurn, SeenRequest } from "../model/script.ts";
import { averageBytes, bytesPerServer } from "../model_bytes.ts";
import { type AuditEntry, auditDuring, auditNote, ranOk } from "../probe_audit.ts";
import { clusterNamesIn, excerpt, failedCheck, heldCheck, HOSTILE_NAME, hostileCheck, PREVIEW_NAME, previewCheck, ranCheck, readCheck } from "../probe_checks.ts";
import { DESTROY, HOSTILE, HOSTILE_TEXT, PREVIEW, type ProbeCall, READ, REVEAL, RUNOS_SERVERS, type ToolNaming, WRITE, writeCall } from "../probes.ts";

const PROVIDER = "runos-stand-in";
const KEY_VARIABLE = "RUNOS_STAND_IN_KEY";
/** A model Codex has no bundled metadata for: the fallback sends every MCP tool up front. */
const MODEL = "gpt-4.1";
const RUN_TIMEOUT_MS = 60_000;
/** Codex's name for a tool of a runos server: namespace `mcp__<server>`, then the tool, each with - as _. */
const codexName: ToolNaming = (server, tool) => `mcp__${server.replaceAll("-", "_")}__${tool.replaceAll("-", "_")}`;
/** The header Codex puts before every tool output it shows the model. */
const WALL_TIME = /^Wall time: [^\n]*\nOutput:\n/;

/**
 * What the stand-in answers when Codex asks it, as its automatic approval reviewer ("guardian",
 * `--approve-for-me`), whether a planned tool call may run: always allow, so a review anywhere shows.
 */
const REVIEWER_ALLOWS = JSON.stringify({ risk_level: "low", user_authorization: "unknown", outcome: "allow", rationale: "stand-in reviewer" });

/** Whether a request is Codex's approval reviewer at work rather than the agent's own turn. */
function isReview(request: SeenRequest): boolean {
  const key = (request.raw as { prompt_cache_key?: unknown } | undefined)?.prompt_cache_key;
  return typeof key === "string" && key.startsWith("guardian:");
}

/**
 * A tool no client has. `codex exec` sends its first model request without waiting for every MCP
 * server to list its tools; calling this costs one more request (Codex answers "unsupported call"),
 * held {@link WAIT_MS}, which is how the script waits until all four servers are offered.
 */
const WAIT_TOOL = "runos_clients_wait_for_servers";
const WAIT_MS = 250;
/** Wait turns before the probe's call is made anyway (10 s). */
const MAX_WAITS = 40;

/** The names of the tool calls already in a request's conversation. */
function calledTools(request: SeenRequest): string[] {
  const input = (request.raw as { input?: unknown } | undefined)?.input;
  const items = (Array.isArray(input) ? input : []) as { type?: unknown; name?: unknown }[];
  return items.filter((item) => item?.type === "function_call").map((item) => String(item.name));
}

/** How many of the four runos servers have tools in a request. */
function serversOffered(request: SeenRequest): number {
  return Object.keys(bytesPerServer(request.tools, codexName)).length;
}

/**
 * The user's Codex config with the stand-in added: root keys go first (TOML has them before any
 * table), the provider and the offline switches go last; what was there stays between.
 */
export function codexStandInConfig(current: string, baseUrl: string): string {
  const root = [`model_provider = "${PROVIDER}"`, "check_for_update_on_startup = false", ""];
  const tables = [
    "",
    `[model_providers.${PROVIDER}]`,
    `name = "runos clients stand-in"`,
    `base_url = "${baseUrl}/v1"`,
    `wire_api = "responses"`,
    `env_key = "${KEY_VARIABLE}"`,
    "request_max_retries = 0",
    "stream_max_retries = 0",
    "",
    "[analytics]",
    "enabled = false",
    "",
    "[features]",
    "plugins = false",
    "",
  ];
  return `${root.join("\n")}${current}${current === "" || current.endsWith("\n") ? "" : "\n"}${tables.join("\n")}`;
}

/** A loopback listener given to Codex as its proxy: it records the first line of every connection and drops it. */
async function watchOutbound(): Promise<{ url: string; attempts: string[]; close(): Promise<void> }> {
  const attempts: string[] = [];
  const server = createServer((socket) => {
    socket.once("data", (data) => {
      attempts.push(data.toString("latin1").split("\r\n")[0]!);
      socket.destroy();
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, attempts, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** What one probe saw: the model requests of its run, the audit entries it added, the client's run. */
interface ProbeResult {
  readonly requests: readonly SeenRequest[];
  readonly audit: readonly AuditEntry[];
  readonly run: ClientRun;
  /** Turns spent waiting for the servers before the call. */
  readonly waits: number;
}

/** The last tool result the model was shown in a probe (what Codex told it), or a note that there was none. */
function lastToolResult(result: ProbeResult): string {
  const results = result.requests.at(-1)?.toolResults ?? [];
  return results.length === 0 ? "(no tool result reached the model)" : results.at(-1)!;
}

/** A call that must not run without approval, with whether it was offered, reviews asked, and what the model was told instead. */
function refusalCheck(name: string, call: ProbeCall, result: ProbeResult): CaseCheck {
  const toolName = codexName(call.server, call.tool);
  const offered = result.requests.some((request) => request.tools.some((seen) => seen.name === toolName));
  const reviews = result.requests.filter(isReview).length;
  const told = `${toolName} ${offered ? "offered" : "NOT offered"}${reviews > 0 ? `, ${reviews} approval reviews asked` : ""}; the model was told ${
    excerpt(lastToolResult(result), 300)
  }${result.run.timedOut ? " (the run timed out)" : ""}`;
  return heldCheck(name, result.audit, call, told);
}

/** Average model-visible bytes of each runos server's tools, and how they were sent. */
function toolBytesReport(request: SeenRequest | undefined): { bytes: Record<string, number>; check: CaseCheck } {
  const perServer = bytesPerServer(request?.tools ?? [], codexName);
  const namespaces = responsesNamespaces(request?.raw);
  const parts = RUNOS_SERVERS.map((server) => {
    const measured = perServer[server];
    if (measured === undefined) return `${server}: no tools offered`;
    const namespace = namespaces.find((candidate) => candidate.name === codexName(server, "").slice(0, -2));
    const strict = [...new Set(namespace?.tools.map((tool) => String(tool.strict)) ?? [])].join("/");
    return `${server}: ${measured.tools} tools, ${measured.average} B each on average (strict: ${strict}), namespace description ${
      Buffer.byteLength(namespace?.description ?? "")
    } B once`;
  });
  const keys = namespaces.find((candidate) => candidate.name === "mcp__runos")?.tools[0];
  const shape = keys === undefined ? "" : ` Each tool is sent as {${Object.keys(keys).join(", ")}} inside namespace mcp__<server>.`;
  const ok = Object.keys(perServer).length === RUNOS_SERVERS.length;
  return { bytes: averageBytes(perServer), check: { name: "every runos server's tools are offered up front", ok, detail: `${parts.join("; ")}.${shape}` } };
}

/** The `key: value` line of Codex's run header on stderr (`approval: never`). */
function header(run: ClientRun, key: string): string {
  return new RegExp(`^${key}: (.*)$`, "m").exec(run.stderr)?.[1] ?? "?";
}

/** One `codex exec` run with the stand-in making `call` (after waiting for the servers), or only answering. */
type Probe = (call: ProbeCall | undefined, extra: readonly string[], maxWaits?: number) => Promise<ProbeResult>;

/** The write refused under the defaults runs with every approval bypassed: its arguments were good, the refusal was Codex's. */
async function bypassCheck(probe: Probe, auditPath: string): Promise<CaseCheck> {
  const bypass = await probe(WRITE, ["-m", MODEL, "--dangerously-bypass-approvals-and-sandbox"]);
  return ranCheck(
    "with --dangerously-bypass-approvals-and-sandbox the refused write runs (its arguments are valid)",
    bypass.audit,
    WRITE,
    ranOk(bypass.audit, WRITE) === undefined ? `not run: ${excerpt(lastToolResult(bypass), 300)}` : `logged in ${auditPath} (HOME reached the write server too)`,
  );
}

/** Codex's automatic approval review asks a model (here the stand-in, which allows), not the user. */
async function reviewerCheck(probe: Probe): Promise<CaseCheck> {
  const call = writeCall("reviewed-cache");
  const reviewed = await probe(call, ["-m", MODEL, "--approve-for-me"]);
  const reviews = reviewed.requests.filter(isReview).length;
  const ran = ranOk(reviewed.audit, call) !== undefined;
  return {
    name: "with --approve-for-me a reviewer model, not the user, decides a runos-write call",
    ok: reviews > 0 && ran,
    detail: `approval "${header(reviewed.run, "approval")}"; ${reviews} review requests reached the model API; the stand-in answered allow and the write ${
      ran ? `ran (${auditNote(reviewed.audit, call)})` : `did not run: ${excerpt(lastToolResult(reviewed), 300)}`
    }`,
  };
}

/** What Codex's own default model is offered, for the report's limits. */
async function defaultModelNote(probe: Probe): Promise<string> {
  const first = (await probe(undefined, [])).requests[0];
  const model = (first?.raw as { model?: unknown } | undefined)?.model;
  const runos = first?.tools.filter((tool) => tool.name.startsWith("mcp__runos")).length ?? 0;
  const others = first?.tools.filter((tool) => !tool.name.startsWith("mcp__runos")).map((tool) => tool.name).join(", ") ?? "";
  return `Codex's default model (${String(model)}) was offered ${runos} runos tools up front (it was offered: ${excerpt(others, 200)})` +
    (runos === 0 ? "; its runos tools are deferred, so what that model would read is not measured." : ".");
}

/** The Codex case. */
export const codexCase: ClientCase = {
  id: "codex",
  displayName: "OpenAI Codex",
  npm: { name: "@openai/codex", version: "0.169.0", bin: "codex" },
  async run(context: CaseContext): Promise<CaseReport> {
    let plan: { call: ModelTurn; maxWaits: number } | undefined;
    const standIn = await startOpenAIResponsesStandIn((request) => {
      if (isReview(request)) return { text: REVIEWER_ALLOWS };
      const called = calledTools(request);
      if (plan === undefined || called.some((name) => name !== WAIT_TOOL)) return { text: "done" };
      if (serversOffered(request) === RUNOS_SERVERS.length || called.length >= plan.maxWaits) return plan.call;
      return { tool: WAIT_TOOL, arguments: {} };
    }, { delayMs: (turn) => ("tool" in turn && turn.tool === WAIT_TOOL ? WAIT_MS : 0) });
    const outbound = await watchOutbound();
    const env: Record<string, string> = { ...context.env, [KEY_VARIABLE]: "stand-in" };
    for (const name of ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy"]) env[name] = outbound.url;
    env.NO_PROXY = env.no_proxy = "127.0.0.1,localhost";

    const probe: Probe = async (call, extra, maxWaits = MAX_WAITS) => {
      plan = call === undefined ? undefined : { call: { tool: codexName(call.server, call.tool), arguments: call.arguments }, maxWaits };
      const seenBefore = standIn.requests.length;
      const args = ["exec", "--skip-git-repo-check", "--strict-config", "--color", "never", ...extra, "Do what the task needs."];
      const { value: run, audit } = await auditDuring(context.auditPath, () => runClient(context, { args, env, timeoutMs: RUN_TIMEOUT_MS }));
      const requests = standIn.requests.slice(seenBefore);
      const waits = requests.reduce((most, request) => Math.max(most, calledTools(request).filter((name) => name === WAIT_TOOL).length), 0);
      context.log(`codex ${args.slice(0, -1).join(" ")}: ${requests.length} model requests (${waits} waiting for the servers), ${audit.length} audit entries, ${run.exit}`);
      return { requests, audit, run, waits };
    };
    const checks: CaseCheck[] = [];
    try {
      const userConfig = join(context.home, ".codex", "config.toml");
      const before = await readFile(userConfig, "utf8").catch(() => "");
      await mkdir(join(context.home, ".codex"), { recursive: true });
      await writeFile(userConfig, codexStandInConfig(before, standIn.url));

      // Untrusted, as the runner's configure left it: the project's servers must not load (2 s of waiting).
      const untrusted = await probe(READ, ["-m", MODEL], 8);
      const untrustedTools = untrusted.requests.flatMap((request) => request.tools).filter((tool) => tool.name.startsWith("mcp__runos"));
      checks.push({
        name: "without --trust Codex loads none of the project's servers",
        ok: untrusted.requests.length > 0 && untrustedTools.length === 0 && untrusted.audit.length === 0,
        detail: `${untrustedTools.length} runos tools offered in ${untrusted.requests.length} requests, ${untrusted.audit.length} audit entries; ` +
          `the call was answered ${excerpt(lastToolResult(untrusted), 300)}`,
      });

      const configure = ["mcp", "configure", "codex", "--sandbox", "--yes", "--trust", "--dir", context.projectDir];
      await promisify(execFile)(context.runos[0]!, [...context.runos.slice(1), ...configure], { env: context.env, cwd: context.projectDir });
      const merged = parse(await readFile(userConfig, "utf8")) as Record<string, Record<string, Record<string, unknown>>>;
      const trusted = merged.projects?.[context.projectDir]?.trust_level === "trusted";
      const kept = merged.model_providers?.[PROVIDER]?.wire_api === "responses";
      checks.push({ name: "configure --trust keeps the stand-in settings", ok: trusted && kept, detail: `trusted: ${trusted}, provider kept: ${kept}` });

      const read = await probe(READ, ["-m", MODEL]);
      const answer = read.requests.flatMap((request) => request.toolResults).find((text) => clusterNamesIn(text).length > 0);
      const readResult = readCheck("a read tool runs unasked and its answer reaches the model", read.audit, answer?.replace(WALL_TIME, ""), `the model was told ${excerpt(lastToolResult(read), 300)}`);
      checks.push({ ...readResult, detail: `all four servers offered after ${read.waits} wait turns; ${readResult.detail}` });
      const { bytes, check: bytesCheck } = toolBytesReport(read.requests.find((request) => serversOffered(request) === RUNOS_SERVERS.length) ?? read.requests[0]);
      checks.push(bytesCheck);
      const hostile = await probe(HOSTILE, ["-m", MODEL]);
      const row = hostile.requests.flatMap((request) => request.toolResults).find((text) => text.includes(HOSTILE_TEXT));
      checks.push(hostileCheck(HOSTILE_NAME, hostile.audit, row?.replace(WALL_TIME, ""), `the model was told ${excerpt(lastToolResult(hostile), 300)}`));

      const preview = await probe(PREVIEW, ["-m", MODEL]);
      const previewed = preview.requests.flatMap((request) => request.toolResults).find((text) => text.includes("rc1."));
      checks.push(previewCheck(PREVIEW_NAME, preview.audit, previewed?.replace(WALL_TIME, ""), `the model was told ${excerpt(lastToolResult(preview), 300)}`));

      const write = await probe(WRITE, ["-m", MODEL]);
      checks.push(refusalCheck("a write tool does not run without approval", WRITE, write));
      checks.push(refusalCheck("a destructive tool does not run without approval", DESTROY, await probe(DESTROY, ["-m", MODEL])));
      checks.push(refusalCheck("a sensitive-read tool does not run unasked", REVEAL, await probe(REVEAL, ["-m", MODEL])));

      checks.push(await bypassCheck(probe, context.auditPath));
      checks.push(await reviewerCheck(probe));
      const defaultModel = await defaultModelNote(probe);
      checks.push({
        name: "Codex reaches no host but the stand-in",
        ok: outbound.attempts.length === 0,
        detail: outbound.attempts.length === 0 ? "no connection through the recording proxy" : `tried: ${[...new Set(outbound.attempts)].join("; ")}`,
      });
      return {
        checks,
        modelBytesPerTool: bytes,
        runsUnasked: `only the read server's tools (default_tools_approval_mode = "approve"); \`codex exec\` runs with approval "${header(write.run, "approval")}", ` +
          `so every tool of runos-write, runos-sensitive-read and runos-sensitive-write is refused (${excerpt(lastToolResult(write).replace(WALL_TIME, ""), 120)}); ` +
          "with --approve-for-me a reviewer model decides them instead of the user",
        limits: `Driven with \`codex exec\` only (it forces approval "never"; the interactive prompt is not driven) and with -m ${MODEL}, ` +
          `which has no bundled metadata, so the MCP tools are sent up front. ${defaultModel}`,
      };
    } catch (error) {
      checks.push(failedCheck("the case ran to the end", error));
      return { checks, runsUnasked: "unknown: the case did not finish" };
    } finally {
      await standIn.close();
      await outbound.close();
    }
  },
};
