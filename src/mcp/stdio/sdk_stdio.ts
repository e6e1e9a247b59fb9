/**
 * The stdio server once the MCP SDK is needed: the tier's SDK server connected to stdin and stdout
 * where the handshake (handshake.ts) handed over, with stdin screened for lines the SDK cannot take.
 * serve.ts decides when; this module is loaded (and the SDK with it) only then. While it runs, stdout
 * carries JSON-RPC only. Resolves when stdin closes and the server is closed.
 */
import process from "node:process";
import { Buffer } from "node:buffer";
import { PassThrough, type Readable, Transform, Writable } from "node:stream";
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
} from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import type { Logger } from "../../log.ts";
import { type Handover, REPLAYED_INITIALIZE_ID } from "./handshake.ts";
import { createSdkServer } from "../host/sdk_server.ts";
import type { TierHost } from "../host/tier_host.ts";
import { honestError } from "../host/protocol_guard.ts";

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

/** How much of a line's start is searched for its id when the line as a whole cannot be read. */
const ID_SEARCH_BYTES = 64 * 1024;

/**
 * The top-level `"id"` of a line that cannot be parsed whole (too long, or not UTF-8 somewhere inside
 * a string), read from its start: a client sends the id first as a rule, and an answer under its id is
 * one the client can match. Null when the start holds no complete top-level id.
 */
export function leadingId(bytes: Uint8Array): string | number | null {
  const text = new TextDecoder("utf-8").decode(bytes.subarray(0, ID_SEARCH_BYTES));
  let depth = 0;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (char === "{" || char === "[") depth++;
    else if (char === "}" || char === "]") depth--;
    else if (char === '"') {
      const end = stringEnd(text, at);
      if (end < 0) return null;
      if (depth === 1 && text.slice(at, end + 1) === '"id"') {
        const value = /^\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)(?=\s*[,}])/.exec(text.slice(end + 1));
        if (value !== null) {
          try {
            return JSON.parse(value[1]!) as string | number;
          } catch {
            return null;
          }
        }
      }
      at = end;
    }
  }
  return null;
}

/** The index of the quote closing the string that opens at `start`, or -1 when it does not close. */
function stringEnd(text: string, start: number): number {
  for (let at = start + 1; at < text.length; at++) {
    if (text[at] === "\\") at++;
    else if (text[at] === '"') return at;
  }
  return -1;
}

/** A UTF-8 byte-order mark, which the decoder reads past but a JSON parser does not. */
const BYTE_ORDER_MARK = [0xef, 0xbb, 0xbf];

/** The largest JSON-RPC message accepted on stdin; a longer line is answered with an error and dropped. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

const NEWLINE = 0x0a;

/**
 * stdin, minus the lines the SDK cannot take. The SDK drops a line that is not JSON without a word,
 * and answers JSON that is not a JSON-RPC message with a null id, so each such line is answered here
 * instead, through `reply`: -32700 for text that is not JSON (or not UTF-8: then under the id its
 * start holds), -32600 (with the message's id when it has one) for anything else that is not a
 * JSON-RPC message, and -32600 under its leading id for a line over {@link MAX_MESSAGE_BYTES}, whose
 * bytes are dropped as they arrive so that it never sits in memory. A byte-order mark before a message
 * is taken off. Lines are split on bytes and decoded whole, so a character split across two reads stays
 * intact; only valid messages reach the SDK, byte for byte (each is shown to `passing` first).
 */
export function screenUnparsableLines(
  input: Readable,
  reply: (message: JSONRPCMessage) => void,
  maxBytes = MAX_MESSAGE_BYTES,
  passing?: (message: JSONRPCMessage) => void,
): Readable {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let oversized = false;

  const screen = (line: Buffer): Buffer | undefined => {
    let text: string;
    try {
      text = decoder.decode(line);
    } catch {
      reply(unreadableReply(-32700, leadingId(line)));
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
    // The decoder read past a byte-order mark; the SDK's parser would not, and would drop the line unanswered.
    const marked = BYTE_ORDER_MARK.every((byte, index) => line[index] === byte);
    if (isJsonRpcMessage(message)) {
      passing?.(message as JSONRPCMessage);
      return marked ? line.subarray(BYTE_ORDER_MARK.length) : line;
    }
    reply(unreadableReply(-32600, idOf(message)));
    return undefined;
  };
  const tooLarge = (start: Uint8Array) =>
    reply({ jsonrpc: "2.0", id: leadingId(start), error: { code: -32600, message: `Invalid Request: message larger than ${maxBytes} bytes` } } as unknown as JSONRPCMessage);

  /** Append bytes of the current line, or drop them once the line is known to be too long. */
  const hold = (bytes: Buffer) => {
    if (oversized || bytes.length === 0) return;
    if (pendingBytes + bytes.length > maxBytes) {
      const start = Buffer.concat([...pending, bytes.subarray(0, ID_SEARCH_BYTES)]);
      oversized = true;
      pending = [];
      pendingBytes = 0;
      tooLarge(start);
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

/** Options of {@link serveOnStdio}. */
export interface StdioOptions {
  readonly logger: Logger;
  /** Whether the tools were replaced before this server was connected (then it announces that first). */
  readonly toolsReplaced: () => boolean;
}

/**
 * Serve `host` with the SDK's server on stdio from where the handshake handed over, until the client
 * closes stdin. The SDK reads the handshake's replay first; its answer to the replayed `initialize`
 * (the client has had the handshake's) is dropped on the way out. The host stays open for the caller.
 */
export async function serveOnStdio(host: TierHost, handover: Extract<Handover, { ended: false }>, options: StdioOptions): Promise<void> {
  const { logger } = options;
  const output = handover.replaysInitialize ? withoutReplayedAnswer(process.stdout, logger) : process.stdout;
  const input = new PassThrough();
  const unanswered = new UnansweredRequests(EOF_ANSWER_MS);
  const screened = screenUnparsableLines(input, (message) => void transport.send(message).catch(() => {}), MAX_MESSAGE_BYTES, (message) => unanswered.read(message));
  // The SDK's transport closes when its input ends, abandoning what it has read: it ends only once
  // every request read from stdin is answered (or the wait runs out).
  const toSdk = new PassThrough();
  screened.pipe(toSdk, { end: false });
  screened.on("end", () => void unanswered.settled().then(() => toSdk.end()));
  const transport = new StdioServerTransport(toSdk, output);
  const send = transport.send.bind(transport);
  transport.send = (message: JSONRPCMessage) => {
    unanswered.sent(message);
    return send(honestError(message));
  };
  transport.onerror = (error) => logger.debug("stdio transport error", { error: String(error).slice(0, 200) });
  const sdk = createSdkServer(host, { logger });
  try {
    const closed = new Promise<void>((resolve) => {
      sdk.server.onclose = () => resolve();
    });
    await sdk.server.connect(transport);
    if (options.toolsReplaced()) await sdk.announceToolsChanged();
    handover.pipeTo(input);
    await closed;
  } finally {
    await sdk.close().catch(() => {});
    if (output !== process.stdout) await new Promise<void>((resolve) => output.end(() => resolve()));
  }
}

/** How long a server whose stdin has closed still works on the requests it read, before it exits. */
export const EOF_ANSWER_MS = 30_000;

/** The requests read but not answered yet (nor cancelled), and a wait for none to be left. */
export class UnansweredRequests {
  readonly #ids = new Set<string | number>();
  readonly #limitMs: number;
  #idle: (() => void) | undefined;

  constructor(limitMs: number) {
    this.#limitMs = limitMs;
  }

  /** A message on its way to the server: a request to answer, or a cancellation of one. */
  read(message: JSONRPCMessage): void {
    if (isJSONRPCRequest(message)) this.#ids.add(message.id);
    else if (isJSONRPCNotification(message) && message.method === "notifications/cancelled") this.#done((message.params as { requestId?: string | number } | undefined)?.requestId);
  }

  /** A message on its way to the client: an answer settles its request. */
  sent(message: JSONRPCMessage): void {
    if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) this.#done(message.id);
  }

  /** Resolves once every request read is answered, or after the limit. */
  settled(): Promise<void> {
    if (this.#ids.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(), this.#limitMs);
      const finish = () => {
        clearTimeout(timer);
        this.#idle = undefined;
        resolve();
      };
      this.#idle = finish;
    });
  }

  #done(id: string | number | null | undefined): void {
    if (id === undefined || id === null) return;
    this.#ids.delete(id);
    if (this.#ids.size === 0) this.#idle?.();
  }
}

/**
 * `output`, minus the SDK's answer to the replayed `initialize` (the first line answering
 * {@link REPLAYED_INITIALIZE_ID}); everything else is written through as it comes, one SDK message
 * per write.
 */
function withoutReplayedAnswer(output: Writable, logger: Logger): Writable {
  let dropped = false;
  const marker = JSON.stringify(REPLAYED_INITIALIZE_ID);
  const filtered = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, encoding: BufferEncoding, done: (error?: Error | null) => void) {
      if (!dropped) {
        const text = typeof chunk === "string" ? chunk : chunk.toString("utf8");
        if (text.includes(marker) && (JSON.parse(text) as { id?: unknown }).id === REPLAYED_INITIALIZE_ID) {
          dropped = true;
          if (text.includes('"error":')) logger.warn("the MCP SDK refused the replayed initialize", { answer: text.slice(0, 300) });
          done();
          return;
        }
      }
      output.write(chunk, encoding, (error?: Error | null) => done(error));
    },
  });
  output.on("error", (error: Error) => filtered.destroy(error));
  return filtered;
}
