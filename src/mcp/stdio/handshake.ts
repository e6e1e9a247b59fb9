/**
 * stdio answered before the MCP SDK is loaded: a client's `initialize`, its `notifications/initialized`
 * and its `tools/list` (all a client waits for before it can use the server), `ping`, the empty resource
 * lists, and plain `tools/call`s, which run on the host without the SDK (direct_calls.ts), with their
 * cancellations and the answers to their elicitations; and it announces tools replaced meanwhile
 * (`notifications/tools/list_changed`), then lists the new ones. Each gets exactly the bytes the SDK's
 * `Server` would write (tests/mcp/stdio/handshake_test.ts and direct_calls_test.ts compare them).
 * Loading the SDK is most of a cold start and of a first call, so it waits until the first message
 * not answered here: that message, and everything after it, goes to the SDK's server, with the
 * client's `initialize` (under another id, its answer dropped) and `initialized` replayed first so the
 * SDK knows the client as if it had answered them itself.
 *
 * It answers only what it can prove the SDK would accept: a message of any other shape (an unknown
 * key, a `_meta` beyond a progress token, a task, a protocol version the SDK would not echo, a
 * capability it would parse differently, …) is handed over unanswered, and the SDK answers it as it
 * always did. It cuts stdin into lines as the screen in front of the SDK does (lines.ts): a line that
 * is not UTF-8 or not JSON is handed over for the screen to answer, and a line over the cap, whose
 * bytes are dropped as they arrive, is answered here as the screen answers it (screen.ts).
 */
import { Buffer } from "node:buffer";
import type { Writable } from "node:stream";
import { isBlank, LineSplitter, lineText, MAX_MESSAGE_BYTES } from "./lines.ts";
import { oversizedReply } from "./screen.ts";
import { sdkRewritesListing } from "../tools/listing_cache.ts";
import type { DirectCall, RequestId } from "../host/direct_call.ts";
import type { DirectCalls } from "./direct_calls.ts";

/**
 * The protocol versions the SDK's `Server` agrees to in `initialize`, newest first (the SDK's
 * SUPPORTED_PROTOCOL_VERSIONS; a test keeps them equal). Any other requested version is handed over.
 */
export const HANDSHAKE_PROTOCOL_VERSIONS: readonly string[] = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "2024-10-07"];

/** The id the replayed `initialize` carries, so that the SDK's answer to it can be told apart and dropped. */
export const REPLAYED_INITIALIZE_ID = "runos:replayed-initialize";

/**
 * The longest line the handshake reads; a longer one is handed over, complete or not, and the screen
 * takes it (a line over {@link MAX_MESSAGE_BYTES} is refused by both alike).
 */
export const HANDSHAKE_MAX_LINE_BYTES = 256 * 1024;

export type { RequestId } from "../host/direct_call.ts";

/** A message the handshake answers (or, for a notification or a response, takes note of). */
export type HandshakeMessage =
  | { readonly kind: "initialize"; readonly id: RequestId; readonly protocolVersion: string; readonly capabilities: Record<string, unknown> }
  | { readonly kind: "initialized" }
  | { readonly kind: "tools/list"; readonly id: RequestId }
  | { readonly kind: "tools/call"; readonly call: DirectCall }
  | { readonly kind: "empty-result"; readonly id: RequestId; readonly result: Record<string, unknown> }
  | { readonly kind: "cancelled"; readonly requestId: RequestId }
  | { readonly kind: "response"; readonly message: Record<string, unknown> };

/** The answers of the requests the SDK's server answers with a constant: ping and the (empty) resource lists. */
const CONSTANT_RESULTS: Readonly<Record<string, () => Record<string, unknown>>> = {
  "ping": () => ({}),
  "resources/list": () => ({ resources: [] }),
  "resources/templates/list": () => ({ resourceTemplates: [] }),
};

/** What the server says it is, for the `initialize` answer (identity.ts). */
export interface ServerIdentity {
  readonly serverInfo: { readonly name: string; readonly version: string };
  readonly capabilities: Record<string, unknown>;
  readonly instructions?: string;
}

type Json = Record<string, unknown>;

/** A JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Every key of `value` is one of `allowed`. */
function onlyKeys(value: Json, allowed: readonly string[]): boolean {
  return Object.keys(value).every((key) => allowed.includes(key));
}

function optional(value: Json, key: string, check: (field: unknown) => boolean): boolean {
  return !(key in value) || check(value[key]);
}

const isString = (value: unknown): boolean => typeof value === "string";
const isBoolean = (value: unknown): boolean => typeof value === "boolean";

/** A record whose values are all JSON objects (the SDK's `record(string, JSONObject)`). */
function isRecordOfObjects(value: unknown): boolean {
  return isPlainObject(value) && Object.values(value).every(isPlainObject);
}

/** `capabilities` of an `initialize`, limited to what the SDK's ClientCapabilities schema parses as sent. */
function isPlainClientCapabilities(value: unknown): boolean {
  if (!isPlainObject(value) || !onlyKeys(value, ["roots", "sampling", "elicitation", "experimental", "extensions"])) return false;
  const { roots, sampling, elicitation } = value;
  if (roots !== undefined && !(isPlainObject(roots) && onlyKeys(roots, ["listChanged"]) && optional(roots, "listChanged", isBoolean))) return false;
  if (sampling !== undefined && !(isPlainObject(sampling) && onlyKeys(sampling, ["context", "tools"]) && Object.values(sampling).every(isPlainObject))) return false;
  if (elicitation !== undefined) {
    if (!isPlainObject(elicitation) || !onlyKeys(elicitation, ["form", "url"]) || !Object.values(elicitation).every(isPlainObject)) return false;
    if (isPlainObject(elicitation.form) && !optional(elicitation.form, "applyDefaults", isBoolean)) return false;
  }
  return optional(value, "experimental", isRecordOfObjects) && optional(value, "extensions", isRecordOfObjects);
}

/** `clientInfo` of an `initialize`: a name and a version, plus the plain text fields the SDK knows. */
function isPlainClientInfo(value: unknown): boolean {
  return isPlainObject(value) && onlyKeys(value, ["name", "version", "title", "websiteUrl", "description"]) &&
    isString(value.name) && isString(value.version) &&
    optional(value, "title", isString) && optional(value, "websiteUrl", isString) && optional(value, "description", isString);
}

function isRequestId(value: unknown): value is RequestId {
  return typeof value === "string" || (typeof value === "number" && Number.isSafeInteger(value));
}

/**
 * The handshake message one line of stdin holds, or undefined when the line is anything else or
 * anything the SDK might read otherwise than the handshake would (see the module comment).
 */
export function readHandshakeMessage(text: string): HandshakeMessage | undefined {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  return readMessage(message);
}

/** {@link readHandshakeMessage} of a message already parsed (HTTP reads its body itself). */
export function readMessage(message: unknown): HandshakeMessage | undefined {
  if (!isPlainObject(message) || message.jsonrpc !== "2.0") return undefined;
  if (!("method" in message)) {
    // A response: to one of our elicitations (direct_calls.ts) or nobody's; either way plain.
    const plain = isRequestId(message.id) && (onlyKeys(message, ["jsonrpc", "id", "result"]) || onlyKeys(message, ["jsonrpc", "id", "error"]));
    return plain && ("result" in message || "error" in message) ? { kind: "response", message } : undefined;
  }
  if (!onlyKeys(message, ["jsonrpc", "id", "method", "params"])) return undefined;
  const { id, method, params } = message;
  if (method === "notifications/initialized") return !("id" in message) && !("params" in message) ? { kind: "initialized" } : undefined;
  if (method === "notifications/cancelled") {
    const plain = !("id" in message) && isPlainObject(params) && onlyKeys(params, ["requestId", "reason"]) && isRequestId(params.requestId) && optional(params, "reason", isString);
    return plain ? { kind: "cancelled", requestId: params.requestId as RequestId } : undefined;
  }
  if (!isRequestId(id)) return undefined;
  if (method === "tools/call") return readToolCall(id, params);
  const constant = typeof method === "string" && Object.hasOwn(CONSTANT_RESULTS, method) ? CONSTANT_RESULTS[method] : undefined;
  if (constant !== undefined) {
    const plainParams = params === undefined || (isPlainObject(params) && (method === "ping" ? onlyKeys(params, []) : onlyKeys(params, ["cursor"]) && optional(params, "cursor", isString)));
    return plainParams ? { kind: "empty-result", id, result: constant() } : undefined;
  }
  if (method === "initialize") {
    if (!isPlainObject(params) || !onlyKeys(params, ["protocolVersion", "capabilities", "clientInfo"])) return undefined;
    const { protocolVersion, capabilities, clientInfo } = params;
    if (typeof protocolVersion !== "string" || !HANDSHAKE_PROTOCOL_VERSIONS.includes(protocolVersion)) return undefined;
    if (!isPlainClientCapabilities(capabilities) || !isPlainClientInfo(clientInfo)) return undefined;
    return { kind: "initialize", id, protocolVersion, capabilities: capabilities as Record<string, unknown> };
  }
  if (method === "tools/list") {
    const plainParams = params === undefined || (isPlainObject(params) && onlyKeys(params, ["cursor"]) && optional(params, "cursor", isString));
    return plainParams ? { kind: "tools/list", id } : undefined;
  }
  return undefined;
}

/**
 * A `tools/call` the SDK would take as sent: a name, arguments that are an object (or none) and, in
 * `_meta`, at most a progress token; anything else (a task, an unknown key) is the SDK's to answer.
 */
function readToolCall(id: RequestId, params: unknown): HandshakeMessage | undefined {
  if (!isPlainObject(params) || !onlyKeys(params, ["name", "arguments", "_meta"]) || typeof params.name !== "string") return undefined;
  if (!optional(params, "arguments", isPlainObject)) return undefined;
  const meta = params._meta;
  if (meta !== undefined && !(isPlainObject(meta) && onlyKeys(meta, ["progressToken"]) && optional(meta, "progressToken", isRequestId))) return undefined;
  const progressToken = isPlainObject(meta) ? meta.progressToken as RequestId | undefined : undefined;
  return {
    kind: "tools/call",
    call: { id, name: params.name, arguments: (params.arguments as Record<string, unknown> | undefined) ?? {}, ...(progressToken === undefined ? {} : { progressToken }) },
  };
}

/** The line (with its newline) the SDK's `Server` writes to answer an `initialize` it agreed to. */
export function initializeAnswer(id: RequestId, protocolVersion: string, identity: ServerIdentity): string {
  const result = {
    protocolVersion,
    capabilities: identity.capabilities,
    serverInfo: identity.serverInfo,
    ...(identity.instructions ? { instructions: identity.instructions } : {}),
  };
  return `${JSON.stringify({ result, jsonrpc: "2.0", id })}\n`;
}

/**
 * The line (with its newline) the SDK's `Server` writes to answer `tools/list` with `tools`, or
 * undefined when the SDK would rewrite a tool for a 2025 client (an output schema whose root is not
 * an object): then the SDK answers.
 */
export function toolsListAnswer(id: RequestId, tools: readonly unknown[]): string | undefined {
  return sdkRewritesListing(tools) ? undefined : `${JSON.stringify({ result: { tools }, jsonrpc: "2.0", id })}\n`;
}

/**
 * A tools array already serialized by JSON.stringify, of a listing the SDK would not rewrite (a stored
 * listing, mcp/tools/listing_cache.ts): answered as {@link toolsListAnswer} would, without parsing it.
 */
export interface SerializedTools {
  /** The array's JSON text, UTF-8. */
  readonly toolsJson: Uint8Array;
}

/**
 * {@link toolsListAnswer}'s line for tools given as their JSON text, in pieces to write one after
 * the other (the listing is not copied): the same bytes, as JSON.stringify nests.
 */
export function serializedToolsListAnswer(id: RequestId, tools: SerializedTools): readonly Uint8Array[] {
  return [Buffer.from('{"result":{"tools":'), tools.toolsJson, Buffer.from(`},"jsonrpc":"2.0","id":${JSON.stringify(id)}}\n`)];
}

/** What the handshake needs from the server. */
export interface HandshakeOptions {
  /** Standard input, as it arrives (runtime.ts's stdinBytes; any Node stream will do). */
  readonly input: AsyncIterable<Uint8Array | string>;
  readonly output: Writable;
  readonly identity: ServerIdentity;
  /** The tools to list now, or undefined to hand `tools/list` over. */
  readonly listTools: () => Promise<readonly unknown[] | SerializedTools | undefined>;
  /** The client's `initialize` was answered; these are the capabilities it declared. */
  readonly initialize?: (capabilities: Record<string, unknown>) => void;
  /** The client sent `notifications/initialized`. */
  readonly initialized?: () => void;
  /**
   * Where plain tool calls run without the SDK (direct_calls.ts), with the cancellations of those
   * calls and the answers to their elicitations; without it a call is handed over.
   */
  readonly calls?: DirectCalls;
  readonly maxLineBytes?: number;
}

/** Where the handshake stopped. */
export type Handover =
  | { readonly ended: true }
  | {
    readonly ended: false;
    /** Whether the replay holds the client's `initialize` (under {@link REPLAYED_INITIALIZE_ID}). */
    readonly replaysInitialize: boolean;
    /**
     * Write the replay, then every byte of stdin the handshake did not answer, then stdin from
     * here on, into `destination`, and end it when stdin ends.
     */
    pipeTo(destination: Writable): void;
  };

/** A running handshake: the handover it ends in, and how it hears that the tools were replaced. */
export interface Handshake {
  readonly handover: Promise<Handover>;
  /**
   * The tools were replaced: announce it as the SDK's server does, once the client has had its
   * `initialize` answer (before that it has listed nothing; its first tools/list is of the new tools).
   * False once the handshake has handed over: the SDK's server announces it then.
   */
  toolsChanged(): boolean;
}

/** How often a tools/list is listed again because the tools were replaced meanwhile, before the SDK's server answers it. */
const MAX_LISTING_ATTEMPTS = 3;

/** The line the SDK's `Server.sendToolListChanged()` writes. */
export const TOOLS_LIST_CHANGED = `${JSON.stringify({ jsonrpc: "2.0", method: "notifications/tools/list_changed" })}\n`;

const NEWLINE = Buffer.from("\n");

/** Answer the handshake on `options.input` until a message it does not answer, or until stdin ends. */
export function answerHandshake(options: HandshakeOptions): Handshake {
  const { input, output } = options;
  const maxLineBytes = options.maxLineBytes ?? HANDSHAKE_MAX_LINE_BYTES;
  /** stdin as it arrives, cut as the screen cuts it, with the same cap. */
  const lines = new LineSplitter(MAX_MESSAGE_BYTES);
  /** Bytes for the SDK's path: what the handshake did not answer, then stdin as it arrives. */
  const forward: Buffer[] = [];
  let destination: Writable | undefined;
  let handedOver = false;
  let working = false;
  let ended = false;
  let initializeLine: string | undefined;
  let initializedLine: string | undefined;
  /** How many replacements of the tools were announced (each one makes a listing in progress stale). */
  let toolsChanges = 0;
  let settle!: (handover: Handover) => void;
  const handover = new Promise<Handover>((resolve) => (settle = resolve));

  /** Answer one line; false when it is not the handshake's (it stays first in line for the SDK). */
  const answer = async (line: Buffer): Promise<boolean> => {
    const text = lineText(line);
    if (text === undefined) return false;
    if (isBlank(text)) return true; // the screen skips blank lines too
    const message = readHandshakeMessage(text);
    if (message === undefined) return false;
    switch (message.kind) {
      case "initialize":
        if (initializeLine !== undefined) return false;
        initializeLine = text;
        output.write(initializeAnswer(message.id, message.protocolVersion, options.identity));
        options.initialize?.(message.capabilities);
        return true;
      case "initialized":
        if (initializeLine === undefined || initializedLine !== undefined) return false;
        initializedLine = text;
        options.initialized?.();
        return true;
      case "tools/list": {
        if (initializeLine === undefined) return false;
        let tools: readonly unknown[] | SerializedTools | undefined;
        // Tools replaced while they were being listed were announced already: list them again, so
        // the answer is never older than an announcement written before it.
        for (let attempt = 0, seen = -1; seen !== toolsChanges; attempt++) {
          if (attempt === MAX_LISTING_ATTEMPTS) return false;
          seen = toolsChanges;
          try {
            tools = await options.listTools();
          } catch {
            return false; // the SDK answers it, with the error
          }
        }
        const reply = tools === undefined ? undefined : "toolsJson" in tools ? serializedToolsListAnswer(message.id, tools) : toolsListAnswer(message.id, tools);
        if (reply === undefined) return false;
        // Answered even once stdin has ended: what was read before the end gets its answer.
        if (typeof reply === "string") output.write(reply);
        else for (const piece of reply) output.write(piece);
        return true;
      }
      case "tools/call":
        // Nothing runs before the handshake: the SDK refuses such a call.
        if (options.calls === undefined || initializeLine === undefined) return false;
        options.calls.start(message.call);
        return true;
      case "empty-result":
        output.write(`${JSON.stringify({ result: message.result, jsonrpc: "2.0", id: message.id })}\n`);
        return true;
      // The SDK answers neither: a cancellation or a response that is not ours changes nothing there either.
      case "cancelled":
        if (options.calls === undefined) return false;
        options.calls.cancel(message.requestId);
        return true;
      case "response":
        if (options.calls === undefined) return false;
        options.calls.answer(message.message);
        return true;
    }
  };

  /** What the SDK must read first: the client's initialize (under the replay id) and initialized. */
  const replay = (): string[] => {
    const replayed: string[] = [];
    if (initializeLine !== undefined) replayed.push(JSON.stringify({ ...(JSON.parse(initializeLine) as Json), id: REPLAYED_INITIALIZE_ID }));
    if (initializedLine !== undefined) replayed.push(initializedLine);
    return replayed;
  };

  /** Hand over from `first` (a line as sent, not answered), or from the first byte not cut into lines. */
  const handOverNow = (first?: Buffer) => {
    handedOver = true;
    if (first !== undefined) forward.push(first, NEWLINE);
    forward.push(...lines.handOff());
    settle({
      ended: false,
      replaysInitialize: initializeLine !== undefined,
      pipeTo: (target) => {
        for (const line of replay()) target.write(`${line}\n`);
        for (const bytes of forward.splice(0)) target.write(bytes);
        destination = target;
        if (ended) target.end();
      },
    });
  };

  const work = async () => {
    if (working || handedOver) return;
    working = true;
    try {
      for (;;) {
        const line = lines.next();
        if (line === undefined) break;
        if (line.kind === "oversized") {
          output.write(`${JSON.stringify(oversizedReply(line))}\n`);
          continue;
        }
        if (line.sent.length > maxLineBytes || !(await answer(line.bytes))) {
          handOverNow(line.sent);
          return;
        }
      }
      // A line begun that is longer than the handshake reads, or a last line without its newline: the SDK's path reads it.
      if (lines.heldBytes > maxLineBytes || (ended && lines.heldBytes > 0)) handOverNow();
      else if (ended) settle({ ended: true });
    } finally {
      working = false;
    }
  };

  const receive = (chunk: Uint8Array | string) => {
    // A copy: the lines are kept past this read, and a runtime may reuse the memory of its chunks.
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk);
    if (handedOver) {
      const passed = lines.passOn(bytes);
      if (passed.length === 0) return;
      if (destination === undefined) forward.push(passed);
      else destination.write(passed);
      return;
    }
    lines.write(bytes);
    void work();
  };
  const finish = () => {
    ended = true;
    if (destination !== undefined) destination.end();
    else if (!handedOver) void work();
  };
  void (async () => {
    try {
      for await (const chunk of input) receive(chunk);
    } catch {
      // stdin that cannot be read any more ends the conversation, as its end would
    }
    finish();
  })();

  return {
    handover,
    toolsChanged: () => {
      if (handedOver) return false;
      toolsChanges++;
      if (initializeLine !== undefined && !ended) output.write(TOOLS_LIST_CHANGED);
      return true;
    },
  };
}
