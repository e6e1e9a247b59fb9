/**
 * `runos mcp serve <tier>`: open the session (it starts even when not signed in), load the cached or
 * embedded catalog, build the tier's server and connect it to stdio. While it runs, stdout carries
 * JSON-RPC only: console.log/info/debug are routed to stderr. Nothing touches the network before the
 * first request. Resolves when stdin closes and everything is released.
 */
import process from "node:process";
import { Buffer } from "node:buffer";
import { type Readable, Transform } from "node:stream";
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
} from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import type { LogLevel } from "../log.ts";
import { createLogger } from "../log.ts";
import type { Tier } from "../policy/tier.ts";
import { openTierServer } from "./open.ts";
import { honestError } from "./protocol_guard.ts";
import type { ToolsMode } from "./registry.ts";

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

/** The largest JSON-RPC message accepted on stdin; a longer line is answered with an error and dropped. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

const NEWLINE = 0x0a;

/**
 * stdin, minus the lines the SDK cannot take. The SDK drops a line that is not JSON without a word,
 * and answers JSON that is not a JSON-RPC message with a null id, so each such line is answered here
 * instead, through `reply`: -32700 for text that is not JSON (or not UTF-8), -32600 (with the
 * message's id when it has one) for anything else that is not a JSON-RPC message, and -32600 for a
 * line over {@link MAX_MESSAGE_BYTES}, whose bytes are dropped as they arrive so that it never sits in
 * memory. Lines are split on bytes and decoded whole, so a character split across two reads stays
 * intact; only valid messages reach the SDK, byte for byte.
 */
export function screenUnparsableLines(input: Readable, reply: (message: JSONRPCMessage) => void, maxBytes = MAX_MESSAGE_BYTES): Readable {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let oversized = false;

  const screen = (line: Buffer): Buffer | undefined => {
    let text: string;
    try {
      text = decoder.decode(line);
    } catch {
      reply(unreadableReply(-32700));
      return undefined;
    }
    if (text.trim() === "") return undefined;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      reply(unreadableReply(-32700));
      return undefined;
    }
    if (isJsonRpcMessage(message)) return line;
    reply(unreadableReply(-32600, idOf(message)));
    return undefined;
  };
  const tooLarge = () =>
    reply({ jsonrpc: "2.0", id: null, error: { code: -32600, message: `Invalid Request: message larger than ${maxBytes} bytes` } } as unknown as JSONRPCMessage);

  /** Append bytes of the current line, or drop them once the line is known to be too long. */
  const hold = (bytes: Buffer) => {
    if (oversized || bytes.length === 0) return;
    if (pendingBytes + bytes.length > maxBytes) {
      oversized = true;
      pending = [];
      pendingBytes = 0;
      tooLarge();
      return;
    }
    pending.push(bytes);
    pendingBytes += bytes.length;
  };
  /** The current line is complete: screen it (unless it was too long) and start the next. */
  const finish = (): Buffer | undefined => {
    const line = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    const wasOversized = oversized;
    pending = [];
    pendingBytes = 0;
    oversized = false;
    return wasOversized ? undefined : screen(line);
  };

  const output = new Transform({
    transform(chunk: Buffer | string, _encoding, done) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
      const passed: Buffer[] = [];
      let start = 0;
      for (let index = bytes.indexOf(NEWLINE); index !== -1; index = bytes.indexOf(NEWLINE, start)) {
        hold(bytes.subarray(start, index));
        const line = finish();
        if (line !== undefined) passed.push(line, NEWLINE_BYTES);
        start = index + 1;
      }
      hold(bytes.subarray(start));
      done(null, passed.length === 0 ? undefined : Buffer.concat(passed));
    },
    flush(done) {
      const line = pendingBytes === 0 && !oversized ? undefined : finish();
      done(null, line === undefined ? undefined : Buffer.concat([line, NEWLINE_BYTES]));
    },
  });
  return input.pipe(output);
}

const NEWLINE_BYTES = Buffer.from("\n");

/** Serve `tier` over stdio until the client closes stdin. */
export async function serve(tier: Tier, options: ServeOptions = {}): Promise<void> {
  const restoreConsole = routeConsoleToStderr();
  const logger = createLogger({ level: options.logLevel ?? "warn" });
  try {
    const opened = await openTierServer(tier, { profile: options.profile, apiUrl: options.apiUrl, sandbox: options.sandbox === true, logger, allTools: options.allTools === true, ...(options.toolsMode === undefined ? {} : { toolsMode: options.toolsMode }), audit: options.audit !== false });
    const { tierServer } = opened;
    const closed = new Promise<void>((resolve) => {
      tierServer.server.onclose = () => resolve();
    });
    const input = screenUnparsableLines(process.stdin, (message) => void transport.send(message).catch(() => {}));
    const transport = new StdioServerTransport(input, process.stdout);
    const send = transport.send.bind(transport);
    transport.send = (message: JSONRPCMessage) => send(honestError(message));
    transport.onerror = (error) => logger.debug("stdio transport error", { error: String(error).slice(0, 200) });
    await tierServer.server.connect(transport);
    logger.info(`serving ${tier} (${opened.catalog.commands} catalog commands, version ${opened.catalog.version}, ${opened.catalog.source})`);
    await closed;
    await opened.close();
  } finally {
    restoreConsole();
  }
}
