/**
 * `runos mcp serve <tier>`: open the session (it starts even when not signed in), load the cached or
 * embedded catalog, build the tier's server and connect it to stdio. While it runs, stdout carries
 * JSON-RPC only: console.log/info/debug are routed to stderr. Nothing touches the network before the
 * first request. Resolves when stdin closes and everything is released.
 */
import process from "node:process";
import { type Readable, Transform } from "node:stream";
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
} from "@modelcontextprotocol/server";
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

/** A JSON-RPC error answer for a message that could not be read, with its id when it had one. */
function unreadableReply(code: -32700 | -32600, id: string | number | null = null): JSONRPCMessage {
  return { jsonrpc: "2.0", id, error: { code, message: code === -32700 ? "Parse error" : "Invalid Request" } } as unknown as JSONRPCMessage;
}

function isJsonRpcMessage(value: unknown): boolean {
  return isJSONRPCRequest(value) || isJSONRPCNotification(value) || isJSONRPCResultResponse(value) || isJSONRPCErrorResponse(value);
}

/** The id of a message the SDK cannot take, when it has a usable one, so its sender is not left waiting. */
function idOf(value: unknown): string | number | null {
  const id = value !== null && typeof value === "object" ? (value as { id?: unknown }).id : undefined;
  return typeof id === "string" || typeof id === "number" ? id : null;
}

/**
 * stdin, minus the lines the SDK cannot take. The SDK drops a line that is not JSON without a word,
 * and answers JSON that is not a JSON-RPC message with a null id, so each such line is answered here
 * instead, through `reply`: -32700 for text that is not JSON, -32600 (with the message's id when it
 * has one) for anything else that is not a JSON-RPC message. Only valid messages reach the SDK.
 */
export function screenUnparsableLines(input: Readable, reply: (message: JSONRPCMessage) => void): Readable {
  let pending = "";
  const screen = (line: string): string | undefined => {
    if (line.trim() === "") return undefined;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      reply(unreadableReply(-32700));
      return undefined;
    }
    if (isJsonRpcMessage(message)) return `${line}\n`;
    reply(unreadableReply(-32600, idOf(message)));
    return undefined;
  };
  const output = new Transform({
    transform(chunk: Buffer | string, _encoding, done) {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      done(null, lines.map(screen).filter((line) => line !== undefined).join(""));
    },
    flush(done) {
      done(null, screen(pending) ?? "");
    },
  });
  return input.pipe(output);
}

/** Serve `tier` over stdio until the client closes stdin. */
export async function serve(tier: Tier, options: ServeOptions = {}): Promise<void> {
  const restoreConsole = routeConsoleToStderr();
  const logger = createLogger({ level: options.logLevel ?? "warn" });
  try {
    const session = await openSession({ profile: options.profile, apiUrl: options.apiUrl, sandbox: options.sandbox === true, log: logger });
    for (const warning of session.warnings ?? []) logger.warn(warning);
    if (!session.authenticated) logger.warn("not signed in: every tool will answer \"not authenticated\"; run `runos login`");
    const catalogOptions = { profile: session.profile, sandbox: session.sandbox, ...(session.cacheDir === undefined ? {} : { cacheDir: session.cacheDir }) };
    const loaded = await loadCatalog(catalogOptions);
    for (const warning of loaded.warnings) logger.warn(warning);

    const source: CatalogSource = {
      update: (updateOptions) => updateCatalog(session, updateOptions),
      reload: async () => {
        const fresh = await loadCatalog(catalogOptions);
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
    const input = screenUnparsableLines(process.stdin, (message) => void transport.send(message).catch(() => {}));
    const transport = new StdioServerTransport(input, process.stdout);
    transport.onerror = (error) => logger.debug("stdio transport error", { error: String(error).slice(0, 200) });
    await tierServer.server.connect(transport);
    logger.info(`serving ${tier} (${loaded.operations.length} catalog commands, version ${loaded.catalog.version}, ${loaded.source})`);
    await closed;
    await tierServer.close().catch(() => {});
    await session.close().catch(() => {});
  } finally {
    restoreConsole();
  }
}
