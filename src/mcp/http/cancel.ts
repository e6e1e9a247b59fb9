/**
 * Cancellation for 2025-era clients of the stateless HTTP server. Such a client cancels with a
 * `notifications/cancelled` naming a request id in a POST of its own, and request ids repeat across
 * clients (each counts from 0), so the answer to `initialize` carries an `Mcp-Session-Id`: a random
 * label, not state. No instance looks it up or refuses an id it does not know; the calls in flight
 * here are filed under it, and a cancellation with the same label aborts the matching call, whose
 * exchange then closes and stops following its job. A cancellation that reaches another instance
 * finds nothing and is ignored. 2026-07-28 clients cancel by closing the request's stream instead,
 * which needs none of this.
 */
import { randomUUID } from "node:crypto";

/** The header carrying the label. */
export const SESSION_HEADER = "mcp-session-id";

/** The calls in flight of one process, by label and request id. */
export interface CancelScope {
  /** A new label for a client's `initialize` answer. */
  newLabel(): string;
  /**
   * File a posted message: a request with an id under `label` is aborted through `controller` when
   * cancelled; a `notifications/cancelled` aborts what it names. Returns the function that takes the
   * request out again once its exchange is over.
   */
  file(label: string | null, message: unknown, controller: AbortController): () => void;
  /** How many calls are filed (for tests). */
  size(): number;
}

/** A new, empty scope. */
export function cancelScope(): CancelScope {
  const inFlight = new Map<string, AbortController>();
  const keyOf = (label: string, id: unknown) => `${label}\n${typeof id}:${String(id)}`;
  return {
    newLabel: () => randomUUID(),
    file(label, message, controller) {
      if (label === null || label === "" || message === null || typeof message !== "object" || Array.isArray(message)) return () => {};
      const { method, id, params } = message as { method?: unknown; id?: unknown; params?: { requestId?: unknown } };
      if (method === "notifications/cancelled") {
        const requestId = params?.requestId;
        if (typeof requestId === "string" || typeof requestId === "number") inFlight.get(keyOf(label, requestId))?.abort();
        return () => {};
      }
      if (typeof method !== "string" || (typeof id !== "string" && typeof id !== "number")) return () => {};
      const key = keyOf(label, id);
      inFlight.set(key, controller);
      return () => {
        if (inFlight.get(key) === controller) inFlight.delete(key);
      };
    },
    size: () => inFlight.size,
  };
}
