/**
 * The MCP SDK's low-level `Server` over a tier host: `tools/list` answers the host's tools (one cached
 * array), `tools/call` goes to the host's call entry with the protocol's extras (progress, elicitation,
 * cancellation), and `initialized` starts the host's background work. So an unlisted tool is answered
 * "permission denied … enable `runos-write`" rather than "not found". Transport-agnostic: stdio
 * connects one to stdin and stdout, HTTP makes one per request, tests connect one in memory.
 */
import { type CallToolResult, Server, type Tool } from "@modelcontextprotocol/server";
import type { Tier } from "../../policy/tier.ts";
import type { Logger } from "../../log.ts";
import type { CallExtras } from "../call/call.ts";
import { elicitationConfirmer } from "../call/confirm.ts";
import { progressSink } from "../call/progress.ts";
import { errorResult, redactTextForTier } from "../call/result.ts";
import type { ToolRegistry } from "../tools/registry.ts";
import { serverCapabilities, serverInfo, tierInstructions } from "./identity.ts";
import { notInitialized } from "./protocol_guard.ts";
import { createTierHost, type TierHost, type TierHostParts } from "./tier_host.ts";

export { tierInstructions } from "./identity.ts";

/** Options of {@link createSdkServer}. */
export interface SdkServerOptions {
  /** Refuse tool calls before `initialize` (default true; a stateless HTTP request has no handshake to wait for). */
  readonly requireInitialize?: boolean;
  /**
   * Send notifications/tools/list_changed when the host's tools are replaced (default true). HTTP's
   * short-lived per-request servers leave it to the one subscription of the HTTP layer.
   */
  readonly announce?: boolean;
  readonly logger?: Logger;
}

/** An SDK server over a host. */
export interface SdkServer {
  readonly server: Server;
  /** Send notifications/tools/list_changed (a debug line when no client is connected). */
  announceToolsChanged(): Promise<void>;
  /** Stop hearing of the host's changes and close the SDK server; the host stays open. */
  close(): Promise<void>;
}

/** Build the SDK's server over `host`; it is not connected to any transport yet. */
export function createSdkServer(host: TierHost, options: SdkServerOptions = {}): SdkServer {
  const { tier } = host;
  const { logger } = options;
  const server = new Server(serverInfo(tier), { capabilities: serverCapabilities(), instructions: tierInstructions(tier) });
  const announceToolsChanged = async (): Promise<void> => {
    try {
      await server.sendToolListChanged();
    } catch (error) {
      logger?.debug("tools/list_changed not sent (no client connected)", { error: String(error) });
    }
  };
  const unsubscribe = options.announce === false ? () => {} : host.onToolsChanged(announceToolsChanged);
  server.oninitialized = () => host.startBackground();

  server.setRequestHandler("tools/list", async () => ({ tools: (await host.listTools()) as Tool[] }));
  server.setRequestHandler("tools/call", async (request, ctx) => {
    // Nothing runs before the handshake (a stateless HTTP request has none to wait for).
    if (options.requireInitialize !== false && server.getClientVersion() === undefined) throw notInitialized();
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
          (error) => logger?.debug("progress notification failed", { error: String(error) }),
        )),
        signal: ctx.mcpReq.signal,
        ...optional("confirm", elicitationConfirmer(server.getClientCapabilities(), (params, options) => ctx.mcpReq.elicitInput(params, options))),
      };
      result = await host.call(name, request.params.arguments ?? {}, extras);
    } catch (error) {
      result = errorResult(error, { tier, command: name });
    }
    logger?.debug(`tools/call ${name}${result.isError === true ? " failed" : ""}`);
    return server.projectCallToolResult(result, undefined);
  });
  server.setRequestHandler("resources/list", () => ({ resources: [] }));
  server.setRequestHandler("resources/templates/list", () => ({ resourceTemplates: [] }));

  return {
    server,
    announceToolsChanged,
    close: async () => {
      unsubscribe();
      await server.close();
    },
  };
}

/** What {@link createTierServer} is built from: the host's parts, and the server's options. */
export type TierServerDeps = TierHostParts & Pick<SdkServerOptions, "requireInitialize">;

/** A host of its own and an SDK server over it, for tests and tools that connect one in memory. */
export interface TierServer {
  readonly tier: Tier;
  readonly server: Server;
  readonly host: TierHost;
  /** The host's current registry. */
  registry(): ToolRegistry;
  /** Close the SDK server, then the host. */
  close(): Promise<void>;
}

/** A host over `deps` and an SDK server over it; not connected to any transport yet. */
export async function createTierServer(tier: Tier, deps: TierServerDeps): Promise<TierServer> {
  const { requireInitialize, ...parts } = deps;
  const host = await createTierHost(tier, parts);
  const sdk = createSdkServer(host, { ...(requireInitialize === undefined ? {} : { requireInitialize }), ...(parts.logger === undefined ? {} : { logger: parts.logger }) });
  return {
    tier,
    server: sdk.server,
    host,
    registry: () => host.tools.current(),
    close: async () => {
      await sdk.close();
      await host.close();
    },
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
