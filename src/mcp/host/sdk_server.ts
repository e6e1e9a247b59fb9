/**
 * One tier's MCP server: the SDK's low-level `Server` with our own `tools/list` (the registry's cached
 * array) and `tools/call` (call.ts) handlers, so an unlisted tool is answered "permission denied …
 * enable `runos-write`" rather than "not found". Transport-agnostic: stdio.ts connects it to stdio,
 * tests to an InMemoryTransport.
 */
import { type CallToolResult, Server, type Tool } from "@modelcontextprotocol/server";
import type { ApiClient } from "../../api/client.ts";
import type { Operation } from "../../catalog/operation.ts";
import { hiddenByToolsets, type Toolsets } from "../../catalog/toolsets.ts";
import type { Logger } from "../../log.ts";
import type { Tier } from "../../policy/tier.ts";
import { type CallEnvironment, type CallExtras, type CallSession, callTool, clientForTier } from "../call/call.ts";
import { elicitationConfirmer } from "../call/confirm.ts";
import { serverCapabilities, serverInfo, tierInstructions } from "./identity.ts";
import type { CatalogSource } from "../tools/manifest_update.ts";
import { progressSink } from "../call/progress.ts";
import { notInitialized } from "./protocol_guard.ts";
import type { AuditLog } from "../call/audit.ts";
import type { ToolHolder, ToolRegistry, ToolsMode } from "../tools/registry.ts";
import { errorResult, redactTextForTier } from "../call/result.ts";
import { openTierTools, type TierTools } from "./tier_tools.ts";

export { tierInstructions } from "./identity.ts";

/** What a tier server is built from. */
export interface TierServerDeps {
  /** The signed-in state and the raw API client (the write guard is added here for read tiers). */
  readonly session: CallSession & { readonly client: ApiClient };
  readonly operations: readonly Operation[];
  readonly catalogVersion?: string;
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
  readonly toolsets?: {
    readonly initial: Toolsets | null | undefined;
    readonly refresh?: () => Promise<Toolsets | null>;
  };
  /** How tools are listed (`--tools`): all, discover, or auto (the default). */
  readonly toolsMode?: ToolsMode;
  /** The audit log each call writes a line to (none: no audit). */
  readonly audit?: AuditLog;
  /** Refuse tool calls before `initialize` (default true; a stateless HTTP server has no handshake per request). */
  readonly requireInitialize?: boolean;
  /**
   * The tools, already opened (stdio answered the handshake with them before the SDK loaded); by
   * default they are opened here from `operations`, `catalogVersion`, `source` and `watchIntervalMs`.
   * Tools handed in are not wired to {@link TierServer.announceToolsChanged}: the caller does that.
   */
  readonly tools?: TierTools;
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
  /** Send notifications/tools/list_changed (a debug line when no client is connected). */
  announceToolsChanged(): Promise<void>;
  /** Run one call outside MCP (`runos mcp call`): same path, no progress or elicitation. */
  call(name: string, args: unknown): Promise<CallToolResult>;
  /** Stop the catalog watch and close the SDK server. */
  close(): Promise<void>;
}

/** Build the server of `tier`; it is not connected to any transport yet. */
export async function createTierServer(tier: Tier, deps: TierServerDeps): Promise<TierServer> {
  const hasDefaultCluster = deps.session.defaultClusterId !== undefined && deps.session.defaultClusterId !== "";
  const tierTools = deps.tools ?? await openTierTools(tier, {
    operations: deps.operations,
    catalogVersion: deps.catalogVersion,
    hasDefaultCluster,
    ...(deps.toolsMode === undefined ? {} : { mode: deps.toolsMode }),
    hide: (operations) => hiddenByToolsets(operations, deps.toolsets?.initial),
    ...(deps.source === undefined ? {} : { source: deps.source }),
    ...(deps.watchIntervalMs === undefined ? {} : { watchIntervalMs: deps.watchIntervalMs }),
    ...(deps.logger === undefined ? {} : { logger: deps.logger }),
  });
  const tools = tierTools.holder;
  const server = new Server(serverInfo(tier), { capabilities: serverCapabilities(), instructions: tierInstructions(tier) });

  const announceToolsChanged = async (): Promise<void> => {
    try {
      await server.sendToolListChanged();
    } catch (error) {
      deps.logger?.debug("tools/list_changed not sent (no client connected)", { error: String(error) });
    }
  };
  // After the tools were replaced (and the watch noted our own cache write): tell the client. Tools
  // handed in are the caller's to wire, once this server is connected (stdio.ts).
  if (deps.tools === undefined) tierTools.whenReplaced = announceToolsChanged;
  const replaceOperations = (operations: readonly Operation[], version: string): Promise<void> => tierTools.replaceOperations(operations, version);

  const source = deps.source;
  const environment: CallEnvironment = {
    tier,
    tools,
    session: deps.session,
    client: clientForTier(tier, deps.session.client),
    ...(source === undefined ? {} : { catalog: source }),
    toolsReplaced: () => tierTools.toolsReplaced(),
    ...(deps.jobWaitMs === undefined ? {} : { jobWaitMs: deps.jobWaitMs }),
    ...(deps.jobPollMs === undefined ? {} : { jobPollMs: deps.jobPollMs }),
    ...(deps.audit === undefined ? {} : { audit: deps.audit }),
  };

  const sync = deps.sync;
  const refreshToolsets = deps.toolsets?.refresh;
  if (sync !== undefined || refreshToolsets !== undefined) {
    const background = async (): Promise<void> => {
      const update = await sync?.(tools.current().catalogVersion ?? "");
      if (update !== undefined) await replaceOperations(update.operations, update.version);
      if (refreshToolsets !== undefined) {
        const fresh = await refreshToolsets();
        if (tools.rescope((operations) => hiddenByToolsets(operations, fresh))) await tierTools.toolsReplaced();
      }
    };
    server.oninitialized = () => {
      // After this turn, so the client's first requests are answered first.
      setTimeout(() => void background().catch((error) => deps.logger?.debug("background catalog work failed", { error: String(error) })), 0);
    };
  }

  server.setRequestHandler("tools/list", async () => {
    await tierTools.checkCatalogFile();
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
    announceToolsChanged,
    call: (name, args) => callTool(environment, name, args),
    close: async () => {
      tierTools.close();
      await server.close();
    },
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
