/**
 * A plain `tools/call` over HTTP answered without the MCP SDK, as the SDK's stateless handler answers
 * a 2025-era client: the same checks it makes first (both `application/json` and `text/event-stream`
 * accepted, a protocol version it serves), then SSE holding the call's progress notifications and its
 * answer, one `event: message` each, ended after the answer (or, when the call was cancelled, without
 * one): whole when the call ends quickly, else streamed ({@link STREAM_AFTER_MS}). The call runs as
 * host/direct_call.ts runs every call; there is no elicitation (a stateless server cannot hear the
 * answer) and the confirm token stands in. Anything else (initialize, tools/list, a 2026-07-28
 * request, a batch, a message with other keys) goes to the SDK's handler.
 * tests/mcp/http/direct_call_test.ts compares the two answers.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { Logger } from "../../log.ts";
import type { Tier } from "../../policy/tier.ts";
import type { CallExtras } from "../call/call.ts";
import { type DirectCall, runCall } from "../host/direct_call.ts";
import { HANDSHAKE_PROTOCOL_VERSIONS, readMessage } from "../stdio/handshake.ts";
import { streamedResponse, wholeResponse } from "./response.ts";

/** The headers of the SDK's SSE answer to a POST. */
const SSE_HEADERS: Readonly<Record<string, string>> = {
  "Content-Type": "text/event-stream",
  "Cache-Control": "no-cache, no-transform",
  "Connection": "keep-alive",
  "X-Accel-Buffering": "no",
};

/**
 * The call a POST holds when it is one this module answers as the SDK would: a 2025-era request (its
 * `MCP-Protocol-Version` one the SDK serves) accepting both answer types, whose body is one plain
 * `tools/call`; else undefined.
 */
export function directCallOf(headers: Headers, message: unknown): DirectCall | undefined {
  const accept = headers.get("accept") ?? "";
  if (!accept.includes("application/json") || !accept.includes("text/event-stream")) return undefined;
  const version = headers.get("mcp-protocol-version");
  if (version === null || !HANDSHAKE_PROTOCOL_VERSIONS.includes(version)) return undefined;
  const read = readMessage(message);
  return read?.kind === "tools/call" ? read.call : undefined;
}

/** What answering a call needs. */
export interface AnswerOptions {
  readonly tier: Tier;
  readonly call: (name: string, args: unknown, extras: CallExtras) => Promise<CallToolResult>;
  /** Aborted when the client cancels the call or goes away. */
  readonly signal: AbortSignal;
  readonly logger?: Logger;
  /** How long the call may run before its answer is streamed (default {@link STREAM_AFTER_MS}). */
  readonly streamAfterMs?: number;
}

const encoder = new TextEncoder();
const frame = (message: unknown) => `event: message\ndata: ${JSON.stringify(message)}\n\n`;

/**
 * How long a call may run before its answer is streamed. A call done sooner, without a progress
 * notification, is answered whole: the same bytes, without a stream for the server to pull chunk by
 * chunk (most calls are). A longer call, or one that reports progress, gets its headers and each
 * notification at once.
 */
export const STREAM_AFTER_MS = 1_000;

/** Run `call` and answer it as the SDK's stateless handler would: SSE, ended after the answer. */
export async function answerCall(call: DirectCall, options: AnswerOptions): Promise<Response> {
  const frames: string[] = [];
  /** The call settled: its answer (if any) is the last frame, and nothing comes after it. */
  let over = false;
  let wake: (() => void) | undefined;
  const push = (message: unknown) => {
    if (over) return; // a late progress notification: the answer was the last message
    frames.push(frame(message));
    wake?.();
  };
  const settle = (answer: unknown) => {
    try {
      // A cancelled call is not answered: its stream ends without one.
      if (answer !== undefined) frames.push(frame(answer));
    } catch (error) {
      options.logger?.warn("a tool call's answer could not be written", { error: String(error) });
    } finally {
      over = true;
      wake?.();
    }
  };
  void runCall(call, {
    tier: options.tier,
    call: options.call,
    signal: options.signal,
    notify: push,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  }).then(settle, (error) => {
    options.logger?.warn("a tool call failed to answer", { error: String(error) });
    settle(undefined);
  });

  // The call's end, its first notification, or the time to stream: whichever comes first.
  let timer: ReturnType<typeof setTimeout> | undefined;
  await new Promise<void>((resolve) => {
    wake = resolve;
    timer = setTimeout(resolve, options.streamAfterMs ?? STREAM_AFTER_MS);
  });
  clearTimeout(timer);
  wake = undefined;
  if (over) return wholeResponse(new Response(frames.splice(0).join(""), { status: 200, headers: SSE_HEADERS }));

  const next = () => new Promise<void>((resolve) => (wake = resolve));
  const { response, delivered } = streamedResponse(
    new ReadableStream<Uint8Array>({
      async pull(controller) {
        while (frames.length === 0 && !over) await next();
        wake = undefined;
        const text = frames.shift();
        if (text !== undefined) return controller.enqueue(encoder.encode(text));
        controller.close();
        delivered();
      },
      cancel: () => delivered(),
    }, { highWaterMark: 0 }),
    { status: 200, headers: SSE_HEADERS },
  );
  return response;
}
