/**
 * `runos mcp serve <tier>`: open the session (it starts even when not signed in), load the cached or
 * embedded catalog, build the tier's server and connect it to stdio. While it runs, stdout carries
 * JSON-RPC only: console.log/info/debug are routed to stderr. Nothing touches the network before the
 * first request. Resolves when stdin closes and everything is released.
 */
import process from "node:process";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { openSession } from "../auth/session.ts";
import type { LogLevel } from "../cli/context.ts";
import { catalogCachePath, loadCatalog, updateCatalog } from "../catalog/load.ts";
import { createLogger } from "../log.ts";
import type { Tier } from "../policy/tier.ts";
import type { CatalogSource } from "./manifest_update.ts";
import { createTierServer } from "./server.ts";

/** Options of {@link serve}. */
export interface ServeOptions {
  readonly profile?: string;
  readonly apiUrl?: string;
  readonly sandbox?: boolean;
  readonly logLevel?: LogLevel;
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
 * The SDK drops a line it cannot read; JSON-RPC wants an answer with a null id: -32700 for text that
 * is not JSON, -32600 for JSON that is not a JSON-RPC message.
 */
function answerUnreadableMessages(transport: StdioServerTransport, log: (error: unknown) => void): void {
  const previous = transport.onerror;
  transport.onerror = (error) => {
    previous?.(error);
    log(error);
    const parse = error instanceof SyntaxError;
    if (!parse && error?.name !== "ZodError") return;
    const reply = { jsonrpc: "2.0", id: null, error: parse ? { code: -32700, message: "Parse error" } : { code: -32600, message: "Invalid Request" } };
    transport.send(reply as unknown as Parameters<StdioServerTransport["send"]>[0]).catch(() => {});
  };
}

/** Serve `tier` over stdio until the client closes stdin. */
export async function serve(tier: Tier, options: ServeOptions = {}): Promise<void> {
  const restoreConsole = routeConsoleToStderr();
  const logger = createLogger({ level: options.logLevel ?? "warn" });
  try {
    const session = await openSession({ profile: options.profile, apiUrl: options.apiUrl, sandbox: options.sandbox === true });
    for (const warning of session.warnings ?? []) logger.warn(warning);
    if (!session.authenticated) logger.warn("not signed in: every tool will answer \"not authenticated\"; run `runos login`");
    const loaded = await loadCatalog({ profile: session.profile, sandbox: session.sandbox, ...(session.cacheDir === undefined ? {} : { cacheDir: session.cacheDir }) });
    for (const warning of loaded.warnings) logger.warn(warning);

    const source: CatalogSource = {
      update: (updateOptions) => updateCatalog(session, updateOptions),
      reload: async () => {
        const fresh = await loadCatalog({ profile: session.profile, sandbox: session.sandbox, ...(session.cacheDir === undefined ? {} : { cacheDir: session.cacheDir }) });
        return { version: fresh.catalog.version, operations: fresh.operations };
      },
      ...(session.cacheDir === undefined ? {} : { watchPath: catalogCachePath(session.profile, session.cacheDir) }),
    };
    const tierServer = await createTierServer(tier, {
      session,
      operations: loaded.operations,
      catalogVersion: loaded.catalog.version,
      source,
      logger,
    });

    const closed = new Promise<void>((resolve) => {
      tierServer.server.onclose = () => resolve();
    });
    const transport = new StdioServerTransport();
    await tierServer.server.connect(transport);
    answerUnreadableMessages(transport, (error) => logger.debug("unreadable JSON-RPC message", { error: String(error).slice(0, 200) }));
    logger.info(`serving ${tier} (${loaded.operations.length} catalog commands, version ${loaded.catalog.version}, ${loaded.source})`);
    await closed;
    await tierServer.close().catch(() => {});
    await session.close().catch(() => {});
  } finally {
    restoreConsole();
  }
}
