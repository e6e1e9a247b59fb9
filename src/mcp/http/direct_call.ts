/**
 * A plain `tools/call` over HTTP answered without the MCP SDK, as the SDK's stateless handler answers
 * a 2025-era client: the same checks it makes first (both `application/json` and `text/event-stream`
 * accepted, a protocol version it serves), then an SSE stream holding the call's progress
 * notifications and its answer, one `event: message` each, closed after the answer (or, when the call
 * was cancelled, without one). The call runs as host/direct_call.ts runs every call; there is no
 * elicitation (a stateless server cannot hear the answer) and the confirm token stands in. Anything
 * else (initialize, tools/list, a 2026-07-28 request, a batch, a message with other keys) goes to the
 * SDK's handler. tests/mcp/http/direct_call_test.ts compares the two answers.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { Logger } from "../../log.ts";
import type { Tier } from "../../policy/tier.ts";
import type { CallExtras } from "../call/call.ts";
import { type DirectCall, runCall } from "../host/direct_call.ts";
import { HANDSHAKE_PROTOCOL_VERSIONS, readMessage } from "../stdio/handshake.ts";

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
}

const encoder = new TextEncoder();
const frame = (message: unknown) => encoder.encode(`event: message\ndata: ${JSON.stringify(message)}\n\n`);

/** Run `call` and answer it as the SDK's stateless handler would: an SSE stream, ended after the answer. */
export function answerCall(call: DirectCall, options: AnswerOptions): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (message: unknown) => {
        if (open) controller.enqueue(frame(message));
      };
      void runCall(call, {
        tier: options.tier,
        call: options.call,
        signal: options.signal,
        notify: send,
        ...(options.logger === undefined ? {} : { logger: options.logger }),
      }).then((answer) => {
        if (answer !== undefined) send(answer);
      }).catch((error) => options.logger?.warn("a tool call failed to answer", { error: String(error) }))
        .finally(() => {
          if (!open) return;
          open = false;
          controller.close();
        });
    },
  });
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}
