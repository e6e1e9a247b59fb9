/**
 * `tools/call` over stdio without the MCP SDK: the handshake (handshake.ts) hands a plain call here,
 * and it runs as host/direct_call.ts runs one, with an abort signal that a `notifications/cancelled`
 * fires and the user asked through form elicitation when the client declared it. The answer is the
 * line the SDK's server writes for the same result (tests/mcp/stdio/direct_calls_test.ts compares
 * them); a cancelled call is not answered, as the SDK does not answer one.
 *
 * A call started here outlives a handover to the SDK: the answer to one of its elicitations, or its
 * cancellation, arriving after the SDK took stdin, is still taken here ({@link DirectCalls.claims}).
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { Logger } from "../../log.ts";
import type { Tier } from "../../policy/tier.ts";
import type { CallExtras } from "../call/call.ts";
import { type Elicit, elicitationConfirmer } from "../call/confirm.ts";
import { type DirectCall, runCall } from "../host/direct_call.ts";
import type { RequestId } from "../host/direct_call.ts";
import { isPlainObject } from "./handshake.ts";

export type { DirectCall } from "../host/direct_call.ts";

/** How long a server whose stdin has closed still works on the requests it read, before it exits. */
export const EOF_ANSWER_MS = 30_000;

/** Where this module's own requests to the client (elicitations) take their ids from; never a number, so never one of the SDK's. */
export const ELICITATION_ID_PREFIX = "runos-elicit-";

/** What the direct calls need from the server. */
export interface DirectCallsOptions {
  readonly tier: Tier;
  /** Writes one whole line (a JSON-RPC message and its newline) to stdout. */
  readonly write: (line: string) => void;
  /** Runs one call: the host's call entry. */
  readonly call: (name: string, args: unknown, extras: CallExtras) => Promise<CallToolResult>;
  /** The capabilities the client declared in its initialize. */
  readonly clientCapabilities: () => Record<string, unknown> | undefined;
  readonly logger?: Logger;
}

/** The calls running without the SDK. */
export interface DirectCalls {
  /** Run a call; its answer is written when it settles (never, when it was cancelled). */
  start(call: DirectCall): void;
  /** A `notifications/cancelled` for one of these calls: abort it (true), or not ours (false). */
  cancel(requestId: unknown): boolean;
  /** A response to one of the elicitations asked here: settle it (true), or not ours (false). */
  answer(message: Record<string, unknown>): boolean;
  /** Whether a message from the client belongs here (an answer to an elicitation, a cancellation of a call); taken if so. */
  claims(message: unknown): boolean;
  /** stdin ended: nobody can answer an elicitation any more, so each settles as unanswered. */
  inputEnded(): void;
  /** Resolves once every call started here has settled, or after `limitMs`. */
  settled(limitMs: number): Promise<void>;
  /** How many calls are running. */
  readonly running: number;
}

type Json = Record<string, unknown>;

const line = (message: unknown) => `${JSON.stringify(message)}\n`;

/** The calls of one stdio connection that the SDK never sees. */
export function directCalls(options: DirectCallsOptions): DirectCalls {
  const { tier, write, logger } = options;
  const running = new Map<RequestId, AbortController>();
  const elicitations = new Map<string, (answer: Json | Error) => void>();
  const idle = new Set<() => void>();
  let nextElicitation = 1;
  let ended = false;

  const finished = (id: RequestId, controller: AbortController) => {
    if (running.get(id) === controller) running.delete(id);
    if (running.size === 0) for (const wake of [...idle]) wake();
  };

  /** Ask the client with elicitation/create and wait for its answer (the SDK's elicitInput, form mode, without its capability gate). */
  const elicit: Elicit = (params, elicitOptions) => {
    if (ended) return Promise.reject(new Error("stdin ended: nobody can answer"));
    const id = `${ELICITATION_ID_PREFIX}${nextElicitation++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => settle(new Error("the user did not answer in time")), elicitOptions?.timeout ?? 60_000);
      const settle = (answer: Json | Error) => {
        clearTimeout(timer);
        elicitations.delete(id);
        if (answer instanceof Error) reject(answer);
        else resolve(answer as Awaited<ReturnType<Elicit>>);
      };
      elicitations.set(id, settle);
      write(line({ method: "elicitation/create", params: { ...params, mode: "form" }, jsonrpc: "2.0", id }));
    });
  };

  const run = async (call: DirectCall, controller: AbortController): Promise<void> => {
    const confirm = elicitationConfirmer(options.clientCapabilities(), elicit);
    const answer = await runCall(call, {
      tier,
      call: options.call,
      signal: controller.signal,
      notify: (message) => write(line(message)),
      ...(confirm === undefined ? {} : { confirm }),
      ...(logger === undefined ? {} : { logger }),
    });
    if (answer !== undefined) write(line(answer));
  };

  const calls: DirectCalls = {
    start: (call) => {
      const controller = new AbortController();
      running.set(call.id, controller);
      void run(call, controller)
        .catch((error) => logger?.warn("a tool call failed to answer", { error: String(error) }))
        .finally(() => finished(call.id, controller));
    },
    cancel: (requestId) => {
      if (typeof requestId !== "string" && typeof requestId !== "number") return false;
      const controller = running.get(requestId);
      if (controller === undefined) return false;
      controller.abort("cancelled by the client");
      return true;
    },
    answer: (message) => {
      const id = message.id;
      const settle = typeof id === "string" ? elicitations.get(id) : undefined;
      if (settle === undefined) return false;
      settle(elicitationAnswer(message));
      return true;
    },
    claims: (message) => {
      if (!isPlainObject(message) || message.jsonrpc !== "2.0") return false;
      if (message.method === "notifications/cancelled" && isPlainObject(message.params)) return calls.cancel(message.params.requestId);
      if (!("method" in message) && ("result" in message || "error" in message)) return calls.answer(message);
      return false;
    },
    inputEnded: () => {
      ended = true;
      for (const settle of [...elicitations.values()]) settle(new Error("stdin ended: nobody can answer"));
    },
    settled: (limitMs) => {
      if (running.size === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          idle.delete(done);
          resolve();
        };
        const timer = setTimeout(done, limitMs);
        idle.add(done);
      });
    },
    get running() {
      return running.size;
    },
  };
  return calls;
}

/**
 * An elicitation response as the SDK's elicitInput returns it, or the error it throws: an error
 * response, a result that is no ElicitResult, or accepted content that does not match the requested
 * schema (`confirm`, a boolean).
 */
function elicitationAnswer(message: Json): Json | Error {
  if (!("result" in message)) {
    const error = isPlainObject(message.error) ? message.error : {};
    return new Error(typeof error.message === "string" ? error.message : "the client refused the elicitation");
  }
  const result = message.result;
  if (!isPlainObject(result) || !["accept", "decline", "cancel"].includes(result.action as string)) return new Error("the client's answer is no elicitation result");
  if (result.content !== undefined && !isPlainObject(result.content)) return new Error("the client's answer carries content that is no object");
  if (result.action === "accept" && isPlainObject(result.content) && typeof result.content.confirm !== "boolean") {
    return new Error("the accepted content does not match the requested schema");
  }
  return result;
}
