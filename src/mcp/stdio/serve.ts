/**
 * `runos mcp serve <tier>`: open the tier's host (the session starts even when not signed in; the
 * cached or embedded catalog; the tools), answer the client without the MCP SDK (handshake.ts: the
 * handshake, ping, and plain tool calls, which run on the host through direct_calls.ts), and hand the
 * connection to the SDK's server (sdk_stdio.ts, which loads the SDK) only at the first message not
 * answered there. While it runs, stdout carries JSON-RPC only: console.log/info/debug are routed to
 * stderr. Nothing touches the network before the first request. Resolves when stdin closes, every
 * call read is answered (or {@link EOF_ANSWER_MS} passed), and everything is released.
 */
import process from "node:process";
import { createLogger, type LogLevel } from "../../log.ts";
import { stdinBytes } from "../../runtime.ts";
import type { Tier } from "../../policy/tier.ts";
import { answerHandshake } from "./handshake.ts";
import { directCalls, EOF_ANSWER_MS } from "./direct_calls.ts";
import { serverCapabilities, serverInfo, tierInstructions } from "../host/identity.ts";
import { openTierHost } from "../host/tier_host.ts";
import type { ToolsMode } from "../tools/registry.ts";

/** Options of {@link serve}. */
export interface ServeOptions {
  readonly profile?: string;
  readonly apiUrl?: string;
  readonly sandbox?: boolean;
  readonly logLevel?: LogLevel;
  /** List every allowed tool, whatever the account's toolsets. */
  readonly allTools?: boolean;
  /** How tools are listed: all, discover or auto. */
  readonly toolsMode?: ToolsMode;
  /** Keep the audit log (default true). */
  readonly audit?: boolean;
}

/**
 * Route console.log/info/debug to stderr until the returned function is called, so that nothing
 * but JSON-RPC reaches stdout, whatever a dependency prints.
 */
export function routeConsoleToStderr(): () => void {
  const saved = { log: console.log, info: console.info, debug: console.debug };
  const toStderr = (...parts: unknown[]) => {
    process.stderr.write(`${parts.map((part) => (typeof part === "string" ? part : safeString(part))).join(" ")}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  return () => {
    console.log = saved.log;
    console.info = saved.info;
    console.debug = saved.debug;
  };
}

function safeString(value: unknown): string {
  try {
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  } catch {
    return String(value);
  }
}

/**
 * How long after the handshake's tools/list answer the server waits before loading the call path (the
 * modules a tool call runs through): a client's start-up burst (initialize, tools/list, maybe more) is
 * answered first, and the first call, which comes a model's turn later, finds them loaded.
 */
export const WARM_AFTER_LIST_MS = 100;

/** Serve `tier` over stdio until the client closes stdin. */
export async function serve(tier: Tier, options: ServeOptions = {}): Promise<void> {
  const restoreConsole = routeConsoleToStderr();
  const logger = createLogger({ level: options.logLevel ?? "warn" });
  try {
    const host = await openTierHost(tier, {
      profile: options.profile,
      apiUrl: options.apiUrl,
      sandbox: options.sandbox === true,
      logger,
      allTools: options.allTools === true,
      ...(options.toolsMode === undefined ? {} : { toolsMode: options.toolsMode }),
      audit: options.audit !== false,
    });
    try {
      logger.info(`serving ${tier} (${host.catalog.commands} catalog commands, version ${host.catalog.version}, ${host.catalog.source})`);
      /** Tools replaced while the SDK's server took over: it announces them once it is connected. */
      let unannounced = false;
      let warm: ReturnType<typeof setTimeout> | undefined;
      const warmUp = () => {
        warm ??= setTimeout(() => void host.prepareCalls().catch((error) => logger.debug("warm-up failed", { error: String(error) })), WARM_AFTER_LIST_MS);
        (warm as { unref?: () => void }).unref?.();
      };
      const identity = { serverInfo: serverInfo(tier), capabilities: serverCapabilities(), instructions: tierInstructions(tier) };
      let clientCapabilities: Record<string, unknown> | undefined;
      const calls = directCalls({
        tier,
        write: (line) => void process.stdout.write(line),
        call: (name, args, extras) => host.call(name, args, extras),
        clientCapabilities: () => clientCapabilities,
        logger,
      });
      const handshake = answerHandshake({
        input: stdinBytes(),
        output: process.stdout,
        identity,
        calls,
        initialize: (capabilities) => (clientCapabilities = capabilities),
        listTools: async () => {
          // A stored listing (derived at an earlier start, and in force until the tools are replaced)
          // is answered as stored, before anything is built.
          const toolsJson = await host.storedToolsJson();
          warmUp();
          return toolsJson !== undefined ? { toolsJson } : await host.listTools();
        },
        initialized: () => host.startBackground(),
      });
      // A replacement (a newer catalog, the account's toolsets, manifest_update) is announced by the
      // handshake while it answers, and the calls after it stay off the SDK; after a handover, by the SDK's server.
      host.onToolsChanged(() => {
        if (!handshake.toolsChanged()) unannounced = true;
      });
      const handover = await handshake.handover;
      if (!handover.ended) {
        logger.debug("the MCP SDK's server takes over stdio, at the first message the handshake does not answer");
        const { serveOnStdio } = await import("./sdk_stdio.ts");
        await serveOnStdio(host, handover, { logger, toolsReplaced: () => unannounced, calls });
      }
      clearTimeout(warm);
      // stdin has ended: the calls still running get their answers before the host closes.
      calls.inputEnded();
      await calls.settled(EOF_ANSWER_MS);
    } finally {
      await host.close();
    }
  } finally {
    restoreConsole();
  }
}
