/**
 * `runos mcp serve | tools | call`: flags → src/mcp. `serve` runs a tier's server on stdio, `tools`
 * prints what a tier lists (the README tables and the snapshots come from `--json`), and `call` runs one
 * tool through the very same call path the server uses. `mcp configure` is attached by its own module
 * to the Command returned here.
 */
import { Command, Option } from "@commander-js/extra-typings";
import type { CallToolResult, Tool } from "@modelcontextprotocol/server";
import { join } from "node:path";
import { type Env, processEnv, stateDir } from "../../auth/config.ts";
import { shareSandbox } from "../../auth/shared_sandbox.ts";
import type { SessionSeams } from "../../auth/session.ts";
import { ConfirmationRequiredError, errorOfKind, RunosError, UsageError } from "../../errors.ts";
import type { TierHost } from "../../mcp/host/tier_host.ts";
import { DEFAULT_MAX_CONCURRENT } from "../../mcp/http/admission.ts";
import { type Preview, previewQuestion } from "../../mcp/call/preview.ts";
import type { ToolsMode } from "../../mcp/tools/registry.ts";
import type { Command as PlainCommand } from "commander";
import { parseTier, SERVER_NAMES, type Tier, TIERS } from "../../policy/tier.ts";
import { completeWith } from "../completion/hints.ts";
import { stdinIsTTY } from "../../runtime.ts";
import type { CliContext, GlobalOptions } from "../context.ts";

/** Seams for tests: environment, directories and network. */
export type McpCommandDeps = SessionSeams;

/**
 * The `mcp` command group of `program`, created when missing. The configure module attaches
 * `mcp configure` to it (src/cli/main.ts wires both).
 */
export function mcpCommand(program: Command): Command {
  const existing = program.commands.find((command) => command.name() === "mcp");
  if (existing !== undefined) return existing as unknown as Command;
  return program.command("mcp").description("MCP servers for AI assistants: serve a tier, list its tools, call one, configure clients") as unknown as Command;
}

/** Register `mcp serve|tools|call` and return the `mcp` command (for `mcp configure`). */
export function registerMcpCommands(program: Command, context: CliContext, deps: McpCommandDeps = {}): Command {
  const env = (): Env => deps.env ?? processEnv();
  /**
   * Open the tier's host as its server would (no watch, no background work), run `use` on it, close
   * it. `mcp tools` and `mcp call` are this thin: what they print is what the server lists and answers.
   */
  const withHost = async <T>(tier: Tier, options: { toolsMode?: ToolsMode; allTools?: boolean }, use: (host: TierHost) => Promise<T>): Promise<T> => {
    const globals = context.globals();
    const { openTierHost } = await import("../../mcp/host/tier_host.ts");
    const { createLogger } = await import("../../log.ts");
    const host = await openTierHost(tier, {
      ...deps,
      env: env(),
      profile: globals.profile,
      apiUrl: globals.apiUrl,
      sandbox: globals.sandbox,
      logger: createLogger({ level: globals.logLevel ?? "warn", write: (line) => context.stderr(line.replace(/\n$/, "")) }),
      watchIntervalMs: 0,
      sync: false,
      ...options,
    });
    try {
      return await use(host);
    } finally {
      await host.close();
    }
  };

  const mcp = mcpCommand(program);

  mcp
    .command("serve")
    .description("run the MCP server of a tier on stdio (or --http): read, sensitive-read, write or sensitive-write")
    .argument("<tier>", "read | sensitive-read | write | sensitive-write")
    .option("--http <[host:]port>", "serve MCP Streamable HTTP at http://host:port/mcp instead of stdio (host defaults to 127.0.0.1)")
    .option("--allow-remote", "with --http: allow binding an address other machines can reach")
    .option("--allow-host <host[:port]>", "with --http: also accept this Host header, e.g. the name a proxy serves it under (repeatable)", collect)
    .option("--allow-origin <origin>", "with --http: also accept browser requests from this Origin, e.g. http://localhost:6274 (repeatable)", collect)
    .option("--token-file <path>", `with --http: the bearer token clients must send (else $RUNOS_MCP_TOKEN, else one is generated and printed)`)
    .option("--max-concurrent <n>", `with --http: how many MCP requests it works on at once, streamed answers until their end; more get 503 and Retry-After (default ${DEFAULT_MAX_CONCURRENT})`)
    .option("--all-tools", "list every tool the tier allows, even for service types the account does not run")
    .option("--no-audit", "do not write each call to the audit log (see `runos audit`)")
    .addOption(new Option("--tools <mode>", "all: every tool; discover: search_tools, describe_tools, call_tool; auto: all while small").choices(["all", "discover", "auto"] as const).default("auto" as const))
    .action(async (tierName, options) => {
      const tier = parseTier(tierName);
      const globals = context.globals();
      const session = {
        profile: globals.profile,
        apiUrl: globals.apiUrl,
        sandbox: globals.sandbox,
        logLevel: globals.logLevel,
        allTools: options.allTools === true,
        toolsMode: options.tools,
        audit: options.audit !== false,
      };
      if (options.http === undefined) {
        // Started by hand on a terminal, a silent stdio server looks hung: say what it is (stderr only).
        if (context.tty?.stdin === true) context.stderr(serveOnTerminalNote(tier));
        // The four --sandbox servers of one user share one sandbox, so what runos-write creates runos lists.
        if (globals.sandbox) shareSandbox(join(stateDir(env()), "sandbox"));
        const httpOnly = [
          options.allowRemote && "--allow-remote",
          options.allowHost !== undefined && "--allow-host",
          options.allowOrigin !== undefined && "--allow-origin",
          options.tokenFile !== undefined && "--token-file",
          options.maxConcurrent !== undefined && "--max-concurrent",
        ].filter(Boolean);
        if (httpOnly.length > 0) throw new UsageError(`${httpOnly.join(", ")} only apply with --http`, { hint: "add --http [host:]port, e.g. --http 127.0.0.1:8080" });
        // The server's modules load only for this command; the MCP SDK only once the handshake is answered.
        const { serve } = await import("../../mcp/stdio/serve.ts");
        await serve(tier, session);
        return;
      }
      const { parseListenAddress } = await import("../../mcp/http/address.ts");
      const address = parseListenAddress(options.http);
      const maxConcurrent = options.maxConcurrent === undefined ? undefined : Number(options.maxConcurrent);
      if (maxConcurrent !== undefined && (!/^\d+$/.test(options.maxConcurrent!) || maxConcurrent < 1)) {
        throw new UsageError(`--max-concurrent must be a whole number of at least 1; got "${options.maxConcurrent}"`, { hint: `e.g. --max-concurrent ${DEFAULT_MAX_CONCURRENT}` });
      }
      const { serveTierOverHttp } = await import("../../mcp/http/serve.ts");
      await serveTierOverHttp(tier, {
        ...deps,
        env: env(),
        ...session,
        address,
        allowRemote: options.allowRemote === true,
        allowHosts: options.allowHost ?? [],
        allowOrigins: options.allowOrigin ?? [],
        ...(options.tokenFile === undefined ? {} : { tokenFile: options.tokenFile }),
        ...(maxConcurrent === undefined ? {} : { maxConcurrent }),
        stderr: (line) => context.stderr(line),
      });
    });

  mcp
    .command("tools")
    .description("list the tools a tier's server offers (--json: its tools/list answer)")
    .argument("<tier>", "read | sensitive-read | write | sensitive-write")
    .addOption(new Option("--tools <mode>", "as `mcp serve --tools`: all, discover or auto").choices(["all", "discover", "auto"] as const).default("auto" as const))
    .option("--all-tools", "as `mcp serve --all-tools`: every tool the tier allows, even for service types the account does not run")
    .action(async (tierName, options) => {
      const tools = await withHost(parseTier(tierName), { toolsMode: options.tools, allTools: options.allTools === true }, (host) => host.listTools());
      context.stdout(context.globals().json ? JSON.stringify(tools, null, 2) : toolsTable(tools));
    });

  mcp
    .command("call")
    .description("call one tool of a tier exactly as an assistant would, and print its result")
    .argument("<tier>", "read | sensitive-read | write | sensitive-write")
    .argument("<tool>", "tool name, e.g. clusters_list (see `runos mcp tools <tier>`)")
    .option("--args <json>", "the tool's arguments as a JSON object", "{}")
    .option("-y, --yes", "run a destructive tool after its preview without asking (required when not on a terminal)")
    .action(async (tierName, toolName, options) => {
      const tier = parseTier(tierName);
      const args = parseArguments(options.args);
      // The person at the terminal is the user a model would ask: shown the preview, they answer here.
      const confirm = options.yes === true
        ? () => Promise.resolve("yes" as const)
        : stdinIsTTY()
        ? async (question: string) => ((await (await import("../prompt.ts")).confirm(`${question}\nContinue?`)) ? "yes" as const : "no" as const)
        : undefined;
      const result = await withHost(tier, {}, (host) => host.call(toolName, args, confirm === undefined ? {} : { confirm }));
      if (result.isError === true) throw toolFailure(result);
      if (context.globals().json) context.stdout(JSON.stringify(result, null, 2));
      else context.stdout(result.content.map((block) => (block.type === "text" ? block.text : JSON.stringify(block))).join("\n"));
    });

  for (const name of ["serve", "tools", "call"]) {
    const command = (mcp as unknown as PlainCommand).commands.find((sub) => sub.name() === name);
    const tier = command?.registeredArguments[0];
    if (tier !== undefined) completeWith(tier, TIERS);
  }
  return mcp;
}

/** Commander's way to gather a repeatable option's values. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * What `runos mcp serve <tier>` says on stderr when a person starts it at a terminal: it speaks MCP on
 * stdin/stdout and waits for an assistant; how to try it instead.
 */
export function serveOnTerminalNote(tier: Tier): string {
  return [
    `runos mcp serve ${tier}: the ${SERVER_NAMES[tier]} MCP server, speaking JSON-RPC on standard input and output.`,
    "It is meant to be started by an AI assistant, and now waits for one (Ctrl-D or Ctrl-C to stop).",
    `To see its tools: \`runos mcp tools ${tier}\`; to call one: \`runos mcp call ${tier} <tool> --args '{…}'\`;`,
    "to have your assistant start it: `runos mcp configure claude` (or roo, codex, cursor, …).",
  ].join("\n");
}

function parseArguments(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--args is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, {
      hint: `pass an object, e.g. --args '{"cid": "i4y"}'`,
    });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UsageError("--args must be a JSON object", { hint: `e.g. --args '{"cid": "i4y"}'` });
  }
  return value as Record<string, unknown>;
}

/** An isError result as the error main.ts prints, of the kind it reported (a usage error exits 2). */
function toolFailure(result: CallToolResult): RunosError {
  const structured = result.structuredContent as Record<string, unknown> | undefined;
  // A destructive tool's preview: its token would not outlive this process, so --yes is the way on.
  const preview = structured?.preview as Preview | undefined;
  if (preview !== undefined) {
    const said = (previewQuestion(preview) ?? "-\nThe preview is too long to show here: run the same call with --json to read it whole.").split("\n").slice(1).join("\n");
    return new ConfirmationRequiredError(`refusing to run destructive \`${preview.action}\` without confirmation\n${said}`, {
      hint: "read the preview, then add --yes to run it",
      details: { preview },
    });
  }
  const error = structured?.error as { type?: unknown; message?: unknown; hint?: unknown; details?: unknown } | undefined;
  if (error !== undefined && typeof error.message === "string") {
    return errorOfKind(error.type, error.message, {
      ...(typeof error.hint === "string" ? { hint: error.hint } : {}),
      ...(error.details !== null && typeof error.details === "object" ? { details: error.details as Record<string, unknown> } : {}),
    });
  }
  return new RunosError(result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n"));
}

/**
 * NAME, HINTS (the annotations a client gets: read-only, or "asks" where a client must ask before the
 * call; destructive; idempotent), DESCRIPTION (first sentence).
 */
export function toolsTable(tools: readonly Tool[]): string {
  const rows = tools.map((tool) => {
    const hints = tool.annotations ?? {};
    const flags = [hints.readOnlyHint ? "read-only" : "asks", hints.destructiveHint ? "destructive" : "", hints.idempotentHint ? "idempotent" : ""]
      .filter((flag) => flag !== "")
      .join(",");
    const description = (tool.description ?? "").split(/(?<=\.)\s/)[0] ?? "";
    return [tool.name, flags, description.length > 90 ? `${description.slice(0, 87)}...` : description];
  });
  const header = ["NAME", "HINTS", "DESCRIPTION"];
  const widths = [0, 1].map((column) => Math.max(header[column]!.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => `${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]}`.trimEnd();
  return [line(header), ...rows.map(line), "", `${tools.length} tools`].join("\n");
}
