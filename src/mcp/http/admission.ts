/**
 * How many MCP requests one HTTP instance works on at once. A request takes a slot before its body is
 * read and gives it back once its answer has been delivered (a streamed answer at its end), when it
 * failed, or when its client went away; a request finding no slot free is answered 503 with
 * `Retry-After` at once, without reading its body. So an instance asked for far more than it can do
 * sheds the excess in microseconds, and its memory stays bounded by the limit (each admitted request
 * may hold a 4 MiB body, a fresh SDK server and a call), instead of queueing without end.
 */
import { jsonRpcError } from "./response.ts";

/**
 * The default limit: far more than the assistants of one person or team keep in flight, and small
 * enough that the bodies they may hold (64 × 4 MiB) and the calls they make at once to the RunOS API
 * stay modest. A job-following call holds its slot for up to 2 minutes: size it for those.
 */
export const DEFAULT_MAX_CONCURRENT = 64;

/** The seconds a refused client is told to wait: most calls end well within one. */
export const RETRY_AFTER_SECONDS = 1;

/** A slot taken by one request. */
export interface Slot {
  /** Give the slot back; any further call does nothing. */
  release(): void;
}

/** The slots of one server. */
export interface Admission {
  /** How many requests may hold a slot at once. */
  readonly max: number;
  /** How many hold one now. */
  held(): number;
  /**
   * A slot for one request, or undefined when all are taken (or its client already went away). The slot is given back by its
   * `release()`, or when `signal` aborts (its client went away before its answer was delivered).
   */
  take(signal?: AbortSignal): Slot | undefined;
}

/** Slots for at most `max` requests at once (a whole number, at least 1). */
export function admission(max: number): Admission {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`the limit of requests at once must be a whole number of at least 1; got ${max}`);
  let held = 0;
  return {
    max,
    held: () => held,
    take(signal) {
      if (held >= max || signal?.aborted === true) return undefined;
      held++;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        held--;
        signal?.removeEventListener("abort", release);
      };
      signal?.addEventListener("abort", release, { once: true });
      return { release };
    },
  };
}

/** The answer to a request that found no slot free: 503, `Retry-After`, a JSON-RPC error body. */
export function overloadedResponse(max: number): Response {
  return jsonRpcError(503, `Service Unavailable: too many requests at once (this server takes ${max}); retry after ${RETRY_AFTER_SECONDS} s`, {
    "Retry-After": String(RETRY_AFTER_SECONDS),
  });
}
