/**
 * `runos mcp serve | tools | call`: flags → src/mcp. `serve` runs a tier's server on stdio, `tools`
 * prints what a tier lists (the README tables and the snapshots come from `--json`), and `call` runs one
 * tool through the very same call path the server uses. `mcp configure` is attached by its own module
 * to the Command returned here.
 */
import { Command } from "@commander-js/extra-typings";
import type { CallToolResult, Tool } from "@modelcontextprotocol/server";
import { cacheDir as defaultCacheDir, type Env, processEnv } from "../../auth/config.ts";
import { openSessionFor, type Session, type SessionSeams } from "../../auth/session.ts";
import { loadCatalog } from "../../catalog/load.ts";
import { errorOfKind, RunosError, UsageError } from "../../errors.ts";
import { buildRegistry } from "../../mcp/registry.ts";
import { parseTier } from "../../policy/tier.ts";
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
  const cacheDir = () => deps.cacheDir ?? defaultCacheDir(env());
  const sessionFor = (globals: GlobalOptions): Promise<Session> => openSessionFor(globals, { ...deps, env: env() });
  const catalogFor = async (globals: GlobalOptions, session?: Session) => {
    const loaded = await loadCatalog({
      profile: session?.profile ?? globals.profile,
      sandbox: globals.sandbox,
      env: env(),
      cacheDir: session?.cacheDir ?? cacheDir(),
    });
    for (const warning of loaded.warnings) context.stderr(`warning: ${warning}`);
    return loaded;
  };

  const mcp = mcpCommand(program);

  mcp
    .command("serve")
    .description("run the MCP server of a tier on stdio: read, sensitive-read, write or sensitive-write")
    .argument("<tier>", "read | sensitive-read | write | sensitive-write")
    .action(async (tierName) => {
      const tier = parseTier(tierName);
      const globals = context.globals();
      // The server's modules load only for this command; the MCP SDK only once the handshake is answered.
      const { serve } = await import("../../mcp/serve.ts");
      await serve(tier, { profile: globals.profile, apiUrl: globals.apiUrl, sandbox: globals.sandbox, logLevel: globals.logLevel });
    });

  mcp
    .command("tools")
    .description("list the tools a tier's server offers (--json: its tools/list answer)")
    .argument("<tier>", "read | sensitive-read | write | sensitive-write")
    .action(async (tierName) => {
      const tier = parseTier(tierName);
      const globals = context.globals();
      let defaultClusterId: string | undefined;
      let loaded;
      if (globals.sandbox) {
        loaded = await catalogFor(globals);
      } else {
        const session = await sessionFor(globals);
        defaultClusterId = session.defaultClusterId;
        loaded = await catalogFor(globals, session);
        await session.close();
      }
      const registry = buildRegistry(tier, loaded.operations, {
        hasDefaultCluster: defaultClusterId !== undefined && defaultClusterId !== "",
        catalogVersion: loaded.catalog.version,
      });
      context.stdout(globals.json ? JSON.stringify(registry.tools, null, 2) : toolsTable(registry.tools));
    });

  mcp
    .command("call")
    .description("call one tool of a tier exactly as an assistant would, and print its result")
    .argument("<tier>", "read | sensitive-read | write | sensitive-write")
    .argument("<tool>", "tool name, e.g. clusters_list (see `runos mcp tools <tier>`)")
    .option("--args <json>", "the tool's arguments as a JSON object", "{}")
    .action(async (tierName, toolName, options) => {
      const tier = parseTier(tierName);
      const args = parseArguments(options.args);
      const globals = context.globals();
      const { openTierServer } = await import("../../mcp/open.ts");
      const { createLogger } = await import("../../log.ts");
      const opened = await openTierServer(tier, {
        ...deps,
        env: env(),
        profile: globals.profile,
        apiUrl: globals.apiUrl,
        sandbox: globals.sandbox,
        logger: createLogger({ level: globals.logLevel }),
        watchIntervalMs: 0,
        sync: false,
      });
      try {
        const result = await opened.tierServer.call(toolName, args);
        if (result.isError === true) throw toolFailure(result);
        if (globals.json) context.stdout(JSON.stringify(result, null, 2));
        else context.stdout(result.content.map((block) => (block.type === "text" ? block.text : JSON.stringify(block))).join("\n"));
      } finally {
        await opened.close();
      }
    });

  return mcp;
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
  const error = structured?.error as { type?: unknown; message?: unknown; hint?: unknown; details?: unknown } | undefined;
  if (error !== undefined && typeof error.message === "string") {
    return errorOfKind(error.type, error.message, {
      ...(typeof error.hint === "string" ? { hint: error.hint } : {}),
      ...(error.details !== null && typeof error.details === "object" ? { details: error.details as Record<string, unknown> } : {}),
    });
  }
  return new RunosError(result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n"));
}

/** NAME, HINTS (ro = read-only, destructive, idempotent), DESCRIPTION (first sentence). */
export function toolsTable(tools: readonly Tool[]): string {
  const rows = tools.map((tool) => {
    const hints = tool.annotations ?? {};
    const flags = [hints.readOnlyHint ? "read-only" : "writes", hints.destructiveHint ? "destructive" : "", hints.idempotentHint ? "idempotent" : ""]
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
