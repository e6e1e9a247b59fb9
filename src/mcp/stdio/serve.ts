/**
 * `runos mcp serve <tier>`: open the tier (the session starts even when not signed in; the cached or
 * embedded catalog; the tools), answer the client's handshake (handshake.ts), and hand the
 * connection to the MCP SDK's server (stdio.ts, which loads the SDK) at the first message the
 * handshake does not answer. So a client's `initialize` and `tools/list` are answered without the
 * SDK's load on their path. While it runs, stdout carries JSON-RPC only: console.log/info/debug are
 * routed to stderr. Nothing touches the network before the first request. Resolves when stdin closes
 * and everything is released.
 */
import process from "node:process";
import { createLogger, type LogLevel } from "../../log.ts";
import { stdinBytes } from "../../runtime.ts";
import type { Tier } from "../../policy/tier.ts";
import { answerHandshake } from "./handshake.ts";
import { serverCapabilities, serverInfo, tierInstructions } from "../host/identity.ts";
import { openTier } from "../host/open.ts";
import type { ToolsMode } from "../tools/registry.ts";
import { hiddenByToolsets } from "../../catalog/toolsets.ts";

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

/** Serve `tier` over stdio until the client closes stdin. */
export async function serve(tier: Tier, options: ServeOptions = {}): Promise<void> {
  const restoreConsole = routeConsoleToStderr();
  const logger = createLogger({ level: options.logLevel ?? "warn" });
  try {
    const opened = await openTier(tier, {
      profile: options.profile,
      apiUrl: options.apiUrl,
      sandbox: options.sandbox === true,
      logger,
      allTools: options.allTools === true,
      ...(options.toolsMode === undefined ? {} : { toolsMode: options.toolsMode }),
      audit: options.audit !== false,
    });
    try {
      logger.info(`serving ${tier} (${opened.catalog.commands} catalog commands, version ${opened.catalog.version}, ${opened.catalog.source})`);
      let syncStarted = false;
      let replaced = false;
      const handshake = answerHandshake({
        input: stdinBytes(),
        output: process.stdout,
        identity: { serverInfo: serverInfo(tier), capabilities: serverCapabilities(), instructions: tierInstructions(tier) },
        // Tools replaced since the start are listed by the SDK's server, after it announced them.
        listTools: async () => ((await opened.tools.checkCatalogFile()) || replaced ? undefined : opened.tools.holder.current().tools),
        initialized: () => {
          const { sync, refreshToolsets } = opened;
          if (sync === undefined && refreshToolsets === undefined) return;
          syncStarted = true;
          // After this turn, so the client's first requests are answered first (as server.ts does):
          // the catalog check, then the toolsets when the day's cache had none.
          setTimeout(() => {
            void (async () => {
              const update = await sync?.(opened.tools.holder.current().catalogVersion ?? "");
              if (update !== undefined) await opened.tools.replaceOperations(update.operations, update.version);
              if (refreshToolsets !== undefined) {
                const fresh = await refreshToolsets();
                if (opened.tools.holder.rescope((operations) => hiddenByToolsets(operations, fresh))) await opened.tools.toolsReplaced();
              }
            })().catch((error) => logger.debug("background catalog work failed", { error: String(error) }));
          }, 0);
        },
      });
      // A replacement before the SDK's server runs: hand over, and the server announces it first.
      opened.tools.whenReplaced = () => {
        replaced = true;
        handshake.handOver();
        return Promise.resolve();
      };
      const handover = await handshake.handover;
      if (handover.ended) return;
      const { serveOnStdio } = await import("./sdk_stdio.ts");
      await serveOnStdio(opened, handover, { logger, sync: !syncStarted, toolsReplaced: () => replaced });
    } finally {
      await opened.close();
    }
  } finally {
    restoreConsole();
  }
}
