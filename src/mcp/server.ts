/**
 * One tier's MCP server: the SDK's low-level `Server` with our own `tools/list` (the registry's cached
 * array) and `tools/call` (call.ts) handlers, so an unlisted tool is answered "permission denied …
 * enable `runos-write`" rather than "not found". Transport-agnostic: stdio.ts connects it to stdio,
 * tests to an InMemoryTransport.
 */
import { type CallToolResult, Server, type Tool } from "@modelcontextprotocol/server";
import type { ApiClient } from "../api/client.ts";
import type { Operation } from "../catalog/operation.ts";
import { hiddenByToolsets, type Toolsets } from "../catalog/toolsets.ts";
import type { Logger } from "../log.ts";
import { SERVER_NAMES, type Tier, TIER_POWERS, TIERS } from "../policy/tier.ts";
import { VERSION } from "../version.ts";
import { type CallEnvironment, type CallExtras, type CallSession, callTool, clientForTier } from "./call.ts";
import { type CatalogWatch, watchCatalogFile } from "./catalog_watch.ts";
import { elicitationConfirmer } from "./confirm.ts";
import type { CatalogSource } from "./manifest_update.ts";
import { progressSink } from "./progress.ts";
import { notInitialized } from "./protocol_guard.ts";
import type { AuditLog } from "./audit.ts";
import { holdTools, type ListingMode, type ToolHolder, type ToolRegistry, type ToolsMode } from "./registry.ts";
import { errorResult, redactTextForTier } from "./result.ts";

/** What a tier server is built from. */
export interface TierServerDeps {
  /** The signed-in state and the raw API client (the write guard is added here for read tiers). */
  readonly session: CallSession & { readonly client: ApiClient };
  readonly operations: readonly Operation[];
  readonly catalogVersion?: string;
  /**
   * Serve these tools instead of building them from `operations`: HTTP builds a server per request,
   * all over the one holder of the process, so a refresh reaches every later request.
   */
  readonly tools?: ToolHolder;
  /** Refresh (manifest_update) and reload (cache file changed); without it manifest_update says so. */
  readonly source?: CatalogSource;
  /** Poll interval of the cache file watch (default 5 s; 0: check on tools/list only). */
  readonly watchIntervalMs?: number;
  readonly jobWaitMs?: number;
  readonly jobPollMs?: number;
  readonly logger?: Logger;
  /**
   * The background catalog check, run once after the client's `initialized` (never before the first
   * answers); a new catalog it brings replaces the tools and is announced with tools/list_changed.
   */
  readonly sync?: (currentVersion: string) => Promise<{ readonly version: string; readonly operations: readonly Operation[] } | undefined>;
  /**
   * The account's toolsets (catalog/toolsets.ts): what is known at start, and, when that is stale, how
   * to ask the API (after `initialized`, like the sync). Without them every allowed tool is listed.
   */
  /** How tools are listed (`--tools`): all, discover, or auto (the default). */
  readonly toolsMode?: ToolsMode;
  /** The audit log each call writes a line to (none: no audit). */
  readonly audit?: AuditLog;
  /** Refuse tool calls before `initialize` (default true; a stateless HTTP server has no handshake per request). */
  readonly requireInitialize?: boolean;
  readonly toolsets?: {
    readonly initial: Toolsets | null | undefined;
    readonly refresh?: () => Promise<Toolsets | null>;
  };
}

/** A built tier server. */
export interface TierServer {
  readonly tier: Tier;
  readonly server: Server;
  /** The server's tools. */
  readonly tools: ToolHolder;
  /** The current registry (`tools.current()`). */
  registry(): ToolRegistry;
  /** Rebuild the tools from a new catalog and send notifications/tools/list_changed. */
  replaceOperations(operations: readonly Operation[], version: string): Promise<void>;
  /** Run one call outside MCP (`runos mcp call`): same path, no progress or elicitation. */
  call(name: string, args: unknown): Promise<CallToolResult>;
  /** Stop the catalog watch and close the SDK server. */
  close(): Promise<void>;
}

/** The `instructions` a client shows the model: what this tier does and which server does the rest. */
export function tierInstructions(tier: Tier, mode: ListingMode = "all"): string {
  const power = {
    "read": "query clusters, nodes, services, apps and jobs; it never changes anything and returns no secrets (they read [redacted])",
    "sensitive-read": "everything the read server does, plus passwords, connection strings and API keys; it never changes anything",
    "write": "create, update and delete services, deploy apps and run SQL read-write; secrets in its answers read [redacted]",
    "sensitive-write": "rotate credentials, manage secrets and API keys, plus every write operation; its answers include secrets",
  }[tier];
  const others = TIERS.filter((other) => other !== tier).map((other) => `\`${SERVER_NAMES[other]}\` (${other})`).join(", ");
  return [
    `RunOS \`${SERVER_NAMES[tier]}\` server (tier ${tier}): ${power}.`,
    `The other RunOS servers are ${others}; a tool this server lacks answers which one has it.`,
    "Destructive tools need confirm: true, set only after the user explicitly agreed to that exact target.",
    "Cluster-scoped tools take `cid` (see clusters_list); an `id` is the resource's id from its list tool. Calls that start a job (their description says so) wait up to 2 minutes for it, reporting progress; a longer job answers with its jobId: follow it with jobs_follow.",
    mode === "discover"
      ? "This server lists only search_tools, describe_tools and call_tool: find a tool with search_tools, read its arguments with describe_tools, run it with call_tool. If none fits, call manifest_update."
      : "If a tool you expect is missing, call manifest_update.",
    TIER_POWERS[tier].secrets ? "Answers may contain secrets: do not repeat them unless the user asks." : "",
  ].filter((line) => line !== "").join("\n");
}

/** Build the server of `tier`; it is not connected to any transport yet. */
export async function createTierServer(tier: Tier, deps: TierServerDeps): Promise<TierServer> {
  const hasDefaultCluster = deps.session.defaultClusterId !== undefined && deps.session.defaultClusterId !== "";
  const tools = deps.tools ?? holdTools(
    tier,
    deps.operations,
    { hasDefaultCluster, catalogVersion: deps.catalogVersion, ...(deps.toolsMode === undefined ? {} : { mode: deps.toolsMode }) },
    (operations) => hiddenByToolsets(operations, deps.toolsets?.initial),
  );
  const server = new Server(
    { name: SERVER_NAMES[tier], version: VERSION },
    { capabilities: { tools: { listChanged: true }, resources: {} }, instructions: tierInstructions(tier, tools.current().mode) },
  );
  let watch: CatalogWatch | undefined;

  /** After the tools were replaced: remember our own cache write, and tell the client. */
  const toolsReplaced = async (): Promise<void> => {
    await watch?.sync();
    try {
      await server.sendToolListChanged();
    } catch (error) {
      deps.logger?.debug("tools/list_changed not sent (no client connected)", { error: String(error) });
    }
  };
  const replaceOperations = async (operations: readonly Operation[], version: string): Promise<void> => {
    tools.replace(operations, version);
    await toolsReplaced();
  };

  const source = deps.source;
  const environment: CallEnvironment = {
    tier,
    tools,
    session: deps.session,
    client: clientForTier(tier, deps.session.client),
    ...(source === undefined ? {} : { catalog: source }),
    toolsReplaced,
    ...(deps.jobWaitMs === undefined ? {} : { jobWaitMs: deps.jobWaitMs }),
    ...(deps.jobPollMs === undefined ? {} : { jobPollMs: deps.jobPollMs }),
    ...(deps.audit === undefined ? {} : { audit: deps.audit }),
  };

  if (source?.watchPath !== undefined && source.reload !== undefined) {
    const reload = source.reload.bind(source);
    watch = await watchCatalogFile({
      path: source.watchPath,
      intervalMs: deps.watchIntervalMs,
      onChange: async () => {
        const fresh = await reload();
        deps.logger?.info(`catalog file changed; now version ${fresh.version}`);
        await replaceOperations(fresh.operations, fresh.version);
      },
      onError: (error) => deps.logger?.warn("could not reload the changed catalog", { error: String(error) }),
    });
  }

  const sync = deps.sync;
  const refreshToolsets = deps.toolsets?.refresh;
  if (sync !== undefined || refreshToolsets !== undefined) {
    const background = async (): Promise<void> => {
      const update = await sync?.(tools.current().catalogVersion ?? "");
      if (update !== undefined) await replaceOperations(update.operations, update.version);
      if (refreshToolsets !== undefined) {
        const fresh = await refreshToolsets();
        if (tools.rescope((operations) => hiddenByToolsets(operations, fresh))) await toolsReplaced();
      }
    };
    server.oninitialized = () => {
      // After this turn, so the client's first requests are answered first.
      setTimeout(() => void background().catch((error) => deps.logger?.debug("background catalog work failed", { error: String(error) })), 0);
    };
  }

  server.setRequestHandler("tools/list", async () => {
    await watch?.check();
    return { tools: tools.current().tools as Tool[] };
  });

  server.setRequestHandler("tools/call", async (request, ctx) => {
    // Nothing runs before the handshake (a stateless HTTP request has none to wait for).
    if (deps.requireInitialize !== false && server.getClientVersion() === undefined) throw notInitialized();
    const name = request.params.name;
    let result: CallToolResult;
    try {
      const extras: CallExtras = {
        ...optional("progress", progressSink(
          ctx.mcpReq._meta?.progressToken,
          // Progress text comes from the API too: it passes the tier's redaction like every result.
          (params) => ctx.mcpReq.notify({
            method: "notifications/progress",
            params: params.message === undefined ? params : { ...params, message: redactTextForTier(tier, params.message) },
          }),
          (error) => deps.logger?.debug("progress notification failed", { error: String(error) }),
        )),
        signal: ctx.mcpReq.signal,
        ...optional("confirm", elicitationConfirmer(server.getClientCapabilities(), (params, options) => ctx.mcpReq.elicitInput(params, options))),
      };
      result = await callTool(environment, name, request.params.arguments ?? {}, extras);
    } catch (error) {
      result = errorResult(error, { tier, command: name });
    }
    deps.logger?.debug(`tools/call ${name}${result.isError === true ? " failed" : ""}`);
    return server.projectCallToolResult(result, undefined);
  });

  server.setRequestHandler("resources/list", () => ({ resources: [] }));
  server.setRequestHandler("resources/templates/list", () => ({ resourceTemplates: [] }));

  return {
    tier,
    server,
    tools,
    registry: () => tools.current(),
    replaceOperations,
    call: (name, args) => callTool(environment, name, args),
    close: async () => {
      watch?.close();
      await server.close();
    },
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
