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
import { LineSplitter, MAX_MESSAGE_BYTES } from "./lines.ts";
import { screenLine } from "./screen.ts";
import { honestError } from "../host/protocol_guard.ts";
import { type DirectCalls, EOF_ANSWER_MS } from "./direct_calls.ts";

function isJsonRpcMessage(value: unknown): value is JSONRPCMessage {
  return isJSONRPCRequest(value) || isJSONRPCNotification(value) || isJSONRPCResultResponse(value) || isJSONRPCErrorResponse(value);
}

/**
 * stdin, minus the lines the SDK cannot take: cut into lines as the handshake cuts them (lines.ts),
 * each screened (screen.ts) with the SDK's own check of a JSON-RPC message. A line that is no message
 * is answered through `reply`; a message is shown to `passing`, then reaches the SDK, one per line,
 * unless `passing` claims it (returns true: the direct calls' own, direct_calls.ts).
 */
export function screenUnparsableLines(
  input: Readable,
  reply: (message: JSONRPCMessage) => void,
  maxBytes = MAX_MESSAGE_BYTES,
  passing?: (message: JSONRPCMessage) => boolean | void,
): Readable {
  const lines = new LineSplitter(maxBytes);
  const screenLines = (): Buffer | undefined => {
    const passed: Buffer[] = [];
    for (let line = lines.next(); line !== undefined; line = lines.next()) {
      const screened = screenLine(line, isJsonRpcMessage);
      if (screened.kind === "answer") reply(screened.reply as unknown as JSONRPCMessage);
      else if (screened.kind === "pass" && passing?.(screened.message) !== true) passed.push(screened.bytes, NEWLINE_BYTES);
    }
    return passed.length === 0 ? undefined : Buffer.concat(passed);
  };
  const output = new Transform({
    transform(chunk: Buffer | string, _encoding, done) {
      lines.write(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk);
      done(null, screenLines());
    },
    flush(done) {
      lines.end();
      done(null, screenLines());
    },
  });
  return input.pipe(output);
}

const NEWLINE_BYTES = Buffer.from("\n");

/** Options of {@link serveOnStdio}. */
export interface StdioOptions {
  readonly logger: Logger;
  /** Whether tools were replaced after the handover, before this server was connected (then it announces that first). */
  readonly toolsReplaced: () => boolean;
  /** The calls started before the handover, which keep their cancellations and elicitation answers. */
  readonly calls?: Pick<DirectCalls, "claims">;
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
  const screened = screenUnparsableLines(input, (message) => void transport.send(message).catch(() => {}), MAX_MESSAGE_BYTES, (message) => {
    if (options.calls?.claims(message) === true) return true;
    unanswered.read(message);
  });
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
    // A client not yet initialized has listed nothing: its first tools/list is of the new tools.
    if (handover.replaysInitialize && options.toolsReplaced()) await sdk.announceToolsChanged();
    handover.pipeTo(input);
    await closed;
  } finally {
    await sdk.close().catch(() => {});
    if (output !== process.stdout) await new Promise<void>((resolve) => output.end(() => resolve()));
  }
}

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
