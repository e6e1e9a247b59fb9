/**
 * One `tools/call` answered without the MCP SDK, for any transport: the host runs it (host.call) with
 * what the SDK's server would give it (sdk_server.ts: the abort signal, progress notifications for a
 * `_meta.progressToken`, redacted as the tier requires, and a confirmer when the transport can ask the
 * user), and the answer is the JSON-RPC message the SDK's server sends for the same result. stdio
 * (stdio/direct_calls.ts) and HTTP (http/direct_call.ts) frame it; a cancelled call gets no answer, as
 * the SDK sends none.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { Logger } from "../../log.ts";
import type { Tier } from "../../policy/tier.ts";
import type { CallExtras } from "../call/call.ts";
import type { Confirmer } from "../call/confirm.ts";
import { progressSink } from "../call/progress.ts";

/** A JSON-RPC request id as the SDK accepts it. */
export type RequestId = string | number;

/** A plain call, as read off the wire (stdio/handshake.ts readMessage). */
export interface DirectCall {
  readonly id: RequestId;
  readonly name: string;
  readonly arguments: Record<string, unknown>;
  readonly progressToken?: string | number;
}

/** What running one call needs. */
export interface RunCallOptions {
  readonly tier: Tier;
  /** The host's call entry. */
  readonly call: (name: string, args: unknown, extras: CallExtras) => Promise<CallToolResult>;
  /** Aborted when the client cancels the call. */
  readonly signal: AbortSignal;
  /** Sends one notification (a JSON-RPC message) to the client, ahead of the answer. */
  readonly notify: (message: Record<string, unknown>) => void;
  /** Asks the user, where the transport can. */
  readonly confirm?: Confirmer;
  readonly logger?: Logger;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * The result as the SDK's server projects it for a 2025 client (its `projectCallToolResult` with no
 * output schema): a `structuredContent` that is not an object is wrapped as `{result}`, after a text
 * block of it is added when the result has none.
 */
export function projectCallToolResult(result: CallToolResult): CallToolResult {
  const structured = result.structuredContent as unknown;
  if (structured === undefined || isPlainObject(structured)) return result;
  const hasText = result.content?.some((block) => block.type === "text") ?? false;
  const content = hasText ? result.content : [...(result.content ?? []), { type: "text" as const, text: JSON.stringify(structured) }];
  return { ...result, content, structuredContent: { result: structured } };
}

/** Run `call`; resolves with the JSON-RPC answer the SDK's server would send, or undefined once it was cancelled. */
export async function runCall(call: DirectCall, options: RunCallOptions): Promise<Record<string, unknown> | undefined> {
  const { tier, signal, logger } = options;
  const progress = progressSink(
    call.progressToken,
    async (params) => {
      if (signal.aborted) return;
      const { redactTextForTier } = await import("../call/result.ts");
      // Progress text comes from the API too: it passes the tier's redaction like every result.
      options.notify({ jsonrpc: "2.0", method: "notifications/progress", params: params.message === undefined ? params : { ...params, message: redactTextForTier(tier, params.message) } });
    },
    (error) => logger?.debug("progress notification failed", { error: String(error) }),
  );
  const extras: CallExtras = {
    signal,
    ...(progress === undefined ? {} : { progress }),
    ...(options.confirm === undefined ? {} : { confirm: options.confirm }),
  };
  let result: CallToolResult;
  try {
    result = await options.call(call.name, call.arguments, extras);
  } catch (error) {
    const { errorResult } = await import("../call/result.ts");
    result = errorResult(error, { tier, command: call.name });
  }
  logger?.debug(`tools/call ${call.name}${result.isError === true ? " failed" : ""}`);
  return signal.aborted ? undefined : { result: projectCallToolResult(result), jsonrpc: "2.0", id: call.id };
}
